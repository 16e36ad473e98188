import FacetCore
import FacetStore
import Foundation

/// Markups, global and per category, in basis points (3000 = 30 %). Staff only; every change audited.
enum MarkupRoutes {
    static func register(on router: Router) {
        router.on(.GET, "/api/admin/markups", show)
        router.on(.PUT, "/api/admin/markups", update)
        router.on(.GET, "/api/admin/markups/audit", audit)
    }

    struct View: Encodable {
        let global: Int
        let perCategory: [String: Int]
        let effective: [String: Int]
        let rounding = "Exact prices: base cost × (1 + markup), rounded half up to the cent. Approximate ranges: widened outwards to whole currency units."
        init(_ t: MarkupTable) {
            global = t.global
            perCategory = Dictionary(uniqueKeysWithValues: t.perCategory.map { ($0.key.rawValue, $0.value) })
            effective = Dictionary(uniqueKeysWithValues: Category.allCases.map { ($0.rawValue, t.basisPoints(for: $0)) })
        }
    }

    @Sendable static func show(_ context: RequestContext) async throws -> HTTPResponse {
        _ = try context.requireStaff()
        return .json(View(try MarkupStore(database: context.services.database).table()))
    }

    /// `{"global": 3000, "perCategory": {"ring": 2500, "bangle": null}}`: null clears a category's own markup.
    @Sendable static func update(_ context: RequestContext) async throws -> HTTPResponse {
        let staff = try context.requireStaff()
        let input = try context.body(Input.self)
        var updates: [(scope: String, basisPoints: Int?)] = []
        func check(_ bp: Int, _ field: String) throws -> Int {
            guard (0...MarkupTable.maximumBasisPoints).contains(bp) else {
                throw APIError.validation(field, "\(field) must be a whole number of basis points from 0 to \(MarkupTable.maximumBasisPoints).")
            }
            return bp
        }
        if let g = input.global { updates.append((MarkupStore.globalScope, try check(g, "global"))) }
        for (name, value) in (input.perCategory ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard Category(rawValue: name) != nil else { throw APIError.validation("perCategory.\(name)", "Unknown category \(name).") }
            updates.append((name, try value.map { try check($0, "perCategory.\(name)") }))
        }
        guard !updates.isEmpty else { throw APIError.validation("global", "Send global and/or perCategory.") }
        let (table, changes) = try MarkupStore(database: context.services.database).apply(updates, actorId: staff.id, actorEmail: staff.email)
        if !changes.isEmpty { try context.services.publisher.publish(topic: "admin", event: "markup.changed", data: ["changes": changes]) }
        return .json(Updated(markups: View(table), changes: changes))
    }

    struct Updated: Encodable {
        let markups: View
        let changes: [MarkupChange]
    }

    struct Input: Decodable {
        let global: Int?
        let perCategory: [String: Int?]?
    }

    @Sendable static func audit(_ context: RequestContext) async throws -> HTTPResponse {
        _ = try context.requireStaff()
        return .json(["changes": try MarkupStore(database: context.services.database).audit()])
    }
}
