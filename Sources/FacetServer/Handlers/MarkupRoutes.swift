import FacetCore
import FacetHTTP
import FacetStore
import Foundation

/// Markups in basis points (3000 = 30 %): global and per category, for our stock and for
/// marketplace items. Staff only; every change audited and announced as `markup.changed`.
enum MarkupRoutes {
    static func register(_ routes: Routes) {
        routes.staff.get("/api/admin/markups", show)
        routes.staff.put("/api/admin/markups", update)
        routes.staff.get("/api/admin/markups/audit", audit)
    }

    struct Scope: Encodable {
        let global: Int
        let perCategory: [String: Int]
        let effective: [String: Int]

        init(global: Int, perCategory: [Category: Int], resolve: (Category) -> Int) {
            self.global = global
            self.perCategory = Dictionary(uniqueKeysWithValues: perCategory.map { ($0.key.rawValue, $0.value) })
            self.effective = Dictionary(uniqueKeysWithValues: Category.allCases.map { ($0.rawValue, resolve($0)) })
        }
    }

    struct View: Encodable {
        let global: Int
        let perCategory: [String: Int]
        let effective: [String: Int]
        let marketplace: Scope
        let rounding = "Exact prices: base cost × (1 + markup), rounded half up to the cent. Approximate ranges (marketplace items): listed price × (1 + marketplace markup), widened outwards to whole currency units."

        init(_ t: MarkupTable) {
            let inventory = Scope(global: t.global, perCategory: t.perCategory, resolve: t.basisPoints(for:))
            global = inventory.global
            perCategory = inventory.perCategory
            effective = inventory.effective
            marketplace = Scope(global: t.marketplaceGlobal, perCategory: t.marketplacePerCategory, resolve: t.marketplaceBasisPoints(for:))
        }
    }

    @Sendable static func show(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        .json(View(try context.services.markups.table()))
    }

    struct ScopeInput: Decodable {
        let global: Int?
        let perCategory: [String: Int?]?
    }

    struct Input: Decodable {
        let global: Int?
        let perCategory: [String: Int?]?
        let marketplace: ScopeInput?
    }

    /// `{"global": 3000, "perCategory": {"ring": 2500, "bangle": null}, "marketplace": {"global": 3500}}`:
    /// null clears a category's own markup, so it follows its global one again.
    @Sendable static func update(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Input.self)
        var updates: [(scope: String, basisPoints: Int?)] = []
        try collect(ScopeInput(global: input.global, perCategory: input.perCategory), fieldPrefix: "",
                    global: MarkupStore.globalScope, category: { $0.rawValue }, into: &updates)
        if let marketplace = input.marketplace {
            try collect(marketplace, fieldPrefix: "marketplace.", global: MarkupStore.marketplaceScope,
                        category: MarkupStore.marketplaceScope, into: &updates)
        }
        guard !updates.isEmpty else { throw ValidationFailure(field: "global", message: "Send global, perCategory and/or marketplace.") }
        let (table, changes) = try context.services.markups.apply(updates, actorId: staff.id, actorEmail: staff.email)
        if !changes.isEmpty {
            try context.services.publisher.publish(topic: "admin", event: "markup.changed", data: ["changes": changes])
            // Every cart price may have moved; open carts refresh.
            try context.services.workspace.announcePriceChanges(offerIds: nil)
        }
        return .json(Updated(markups: View(table), changes: changes))
    }

    static func collect(_ input: ScopeInput, fieldPrefix: String, global: String, category scope: (Category) -> String,
                        into updates: inout [(scope: String, basisPoints: Int?)]) throws {
        func check(_ bp: Int, _ field: String) throws -> Int {
            guard (0...MarkupTable.maximumBasisPoints).contains(bp) else {
                throw ValidationFailure(field: field, message: "A markup must be from 0 % to \(MarkupTable.maximumBasisPoints / 100) % (\(field) is in basis points: 3000 = 30 %).")
            }
            return bp
        }
        if let g = input.global { updates.append((global, try check(g, fieldPrefix + "global"))) }
        for (name, value) in (input.perCategory ?? [:]).sorted(by: { $0.key < $1.key }) {
            let field = "\(fieldPrefix)perCategory.\(name)"
            guard let category = Category(rawValue: name) else { throw ValidationFailure(field: field, message: "Unknown category \(name).") }
            updates.append((scope(category), try value.map { try check($0, field) }))
        }
    }

    struct Updated: Encodable {
        let markups: View
        let changes: [MarkupChange]
    }

    @Sendable static func audit(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        .json(["changes": try context.services.markups.audit()])
    }
}
