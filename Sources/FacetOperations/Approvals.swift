import FacetCore
import FacetStore
import Foundation
import GRDB

/// Stored JSON handed to staff as it is (extracted attributes, a listing's attributes).
public indirect enum JSONTree: Codable, Sendable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONTree]), object([String: JSONTree])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONTree].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONTree].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .number(n): try c.encode(n)
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }

    static func parse(_ text: String?) -> JSONTree? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(JSONTree.self, from: Data(text.utf8))
    }
}

public enum ApprovalKind: String, Codable, Sendable { case brandProduct = "brand_product", marketplaceListing = "marketplace_listing" }
public enum ApprovalPolicy: String, Codable, Sendable, CaseIterable { case publish, review }

public struct ApprovalView: Encodable, Sendable {
    public let id: String
    public let kind: ApprovalKind
    public let subject: String
    public let status: String
    public let title: String
    public let category: String?
    public let source: String
    public let photos: [String]
    /// What the brand or the listing says.
    public let attributes: JSONTree?
    /// What Facet's vision read from the first photo.
    public let extracted: JSONTree?
    public let corrections: [String: String]?
    public let reason: String?
    public let createdAt: Date
    public let decidedAt: Date?
    public let decidedBy: String?
}

extension Operations {
    /// Marketplace listings buyers put in carts or quote requests become candidates for the
    /// curated catalog; new brand products of "review" brands are already queued by the sync.
    func proposeListings(_ db: Database, now: Date) throws {
        var offerIds = Set(try String.fetchAll(db, sql: "SELECT offerId FROM cartLine"))
        for request in try String.fetchAll(db, sql: "SELECT request FROM quote") {
            if let object = try? JSONSerialization.jsonObject(with: Data(request.utf8)) as? [String: Any],
               let lines = object["lines"] as? [[String: Any]] { offerIds.formUnion(lines.compactMap { $0["offerId"] as? String }) }
        }
        guard !offerIds.isEmpty else { return }
        let marks = Array(repeating: "?", count: offerIds.count).joined(separator: ",")
        let refs = try String.fetchAll(db, sql: "SELECT ref FROM offer WHERE id IN (\(marks)) AND ref LIKE 'mk:%'", arguments: StatementArguments(Array(offerIds)))
        for ref in refs {
            try db.execute(sql: "INSERT OR IGNORE INTO approval (id, kind, subject, status, createdAt) VALUES (?, 'marketplace_listing', ?, 'pending', ?)",
                           arguments: [Identifier.make("ap"), String(ref.dropFirst(3)), now])
        }
    }

    public func approvals(status: String?, now: Date = Date()) throws -> [ApprovalView] {
        try database.writer.write { db in
            try proposeListings(db, now: now)
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM approval WHERE (? IS NULL OR status = ?) ORDER BY CASE status WHEN 'pending' THEN 0 ELSE 1 END, createdAt
                LIMIT 500
                """, arguments: [status, status])
            return try rows.map { try Self.approvalView(db, $0) }
        }
    }

    static func approvalView(_ db: Database, _ row: Row) throws -> ApprovalView {
        let kind = ApprovalKind(rawValue: row["kind"]) ?? .brandProduct
        let subject: String = row["subject"]
        var title = subject, category: String?, source = "", photos: [String] = [], attributes: JSONTree?, firstFile: String?
        if kind == .brandProduct, let p = try Row.fetchOne(db, sql: "SELECT title, category, brand, product FROM catalogProduct WHERE sku = ?", arguments: [subject]) {
            title = p["title"]; category = p["category"]; source = "brand " + (p["brand"] as String)
            if case let .object(o)? = JSONTree.parse(p["product"]) { attributes = o["attributes"] }
            let files = try String.fetchAll(db, sql: "SELECT fileName FROM catalogImage WHERE sku = ? ORDER BY position", arguments: [subject])
            photos = files.map { "/api/images/\($0)" }
            firstFile = files.first
        } else if kind == .marketplaceListing, let l = try String.fetchOne(db, sql: "SELECT listing FROM marketplaceListing WHERE id = ?", arguments: [subject]),
                  case let .object(o)? = JSONTree.parse(l) {
            if case let .string(t)? = o["title"] { title = t }
            if case let .string(c)? = o["category"] { category = c }
            if case let .object(s)? = o["supplier"], case let .string(name)? = s["name"] { source = "supplier " + name }
            attributes = o["attributes"]
            if case let .array(files)? = o["imageFiles"] {
                let names = files.compactMap { if case let .string(f) = $0 { return f } else { return nil } }
                photos = names.map { "/api/images/\($0)" }
                firstFile = names.first
            }
        }
        let extracted = try firstFile.flatMap { try String.fetchOne(db, sql: "SELECT attributes FROM imageFeature WHERE fileName = ?", arguments: [$0]) }
        let corrections = (row["corrections"] as String?).flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
        return ApprovalView(id: row["id"], kind: kind, subject: subject, status: row["status"], title: title, category: category, source: source,
                            photos: photos, attributes: attributes, extracted: JSONTree.parse(extracted), corrections: corrections,
                            reason: row["reason"], createdAt: row["createdAt"], decidedAt: row["decidedAt"], decidedBy: row["decidedBy"])
    }

    /// Approves (publishing a held product, or promoting a listing to the curated catalog) or
    /// rejects with a reason. Corrected attributes are kept as labelled examples.
    public func decide(id: String, approve: Bool, reason: String?, corrections: [String: String], by staff: UserRecord,
                       now: Date = Date()) throws -> ApprovalView {
        let reason = try QuoteRules.text(reason, field: "reason", limit: 1000)
        if !approve, reason == nil { throw DomainError.invalid("reason", "Say why it is rejected.") }
        for (key, value) in corrections {
            guard !key.isEmpty, key.count <= 40, !value.isEmpty, value.count <= 100 else {
                throw DomainError.invalid("corrections", "Corrections map an attribute to a value (at most 100 characters).")
            }
        }
        return try publisher.commit { db, events in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM approval WHERE id = ?", arguments: [id]) else {
                throw DomainError.notFound("No approval \(id).")
            }
            guard (row["status"] as String) == "pending" else {
                throw DomainError.conflict("already_decided", "This was \(row["status"] as String) already.")
            }
            let before = try Self.approvalView(db, row)
            let status = approve ? "approved" : "rejected"
            try db.execute(sql: "UPDATE approval SET status = ?, reason = ?, corrections = ?, decidedAt = ?, decidedBy = ? WHERE id = ?",
                           arguments: [status, reason, corrections.isEmpty ? nil : String(decoding: try JSONEncoder().encode(corrections), as: UTF8.self),
                                       now, staff.email, id])
            let file = before.photos.first.map { String($0.dropFirst("/api/images/".count)) }
            for (attribute, value) in corrections.sorted(by: { $0.key < $1.key }) {
                var extracted: String?
                if case let .object(o)? = before.extracted, case let .object(a)? = o[attribute] ?? (o["values"].flatMap { if case let .object(v) = $0 { return v[attribute] } else { return nil } }),
                   case let .string(v)? = a["value"] { extracted = v }
                try db.execute(sql: "INSERT INTO attributeCorrection (subject, fileName, attribute, extracted, corrected, by, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: [before.subject, file, attribute, extracted, value, staff.email, now])
            }
            let what = before.kind == .brandProduct ? "product \(before.subject)" : "listing \(before.title)"
            events.append(try audit(db, actor: staff, kind: "approval.\(status)", subject: before.subject,
                                    summary: "\(approve ? "Approved" : "Rejected") \(what)\(reason.map { ": \($0)" } ?? "")", at: now))
            guard let after = try Row.fetchOne(db, sql: "SELECT * FROM approval WHERE id = ?", arguments: [id]) else { throw DomainError.notFound(id) }
            return try Self.approvalView(db, after)
        }
    }

    public struct PolicyView: Codable, Sendable, Equatable {
        public let brand: String
        public let policy: ApprovalPolicy
        public let updatedAt: Date?
        public let updatedBy: String?
    }

    public func policies(brands: [String]) throws -> [PolicyView] {
        try database.read { db in
            try brands.sorted().map { brand in
                let row = try Row.fetchOne(db, sql: "SELECT * FROM brandPolicy WHERE brand = ?", arguments: [brand])
                return PolicyView(brand: brand, policy: row.flatMap { ApprovalPolicy(rawValue: $0["policy"]) } ?? .publish,
                                  updatedAt: row?["updatedAt"], updatedBy: row?["updatedBy"])
            }
        }
    }

    public func setPolicy(brand: String, _ policy: ApprovalPolicy, known: [String], by staff: UserRecord, now: Date = Date()) throws -> PolicyView {
        guard known.contains(brand) else { throw DomainError.invalid("brand", "No brand \(brand).") }
        try publisher.transaction { db, events in
            try db.execute(sql: """
                INSERT INTO brandPolicy (brand, policy, updatedAt, updatedBy) VALUES (?, ?, ?, ?)
                ON CONFLICT(brand) DO UPDATE SET policy = excluded.policy, updatedAt = excluded.updatedAt, updatedBy = excluded.updatedBy
                """, arguments: [brand, policy.rawValue, now, staff.email])
            events.append(try audit(db, actor: staff, kind: "policy", subject: brand,
                                    summary: "New products from \(brand) \(policy == .review ? "wait for review" : "publish at once")", at: now))
        }
        return PolicyView(brand: brand, policy: policy, updatedAt: now, updatedBy: staff.email)
    }
}
