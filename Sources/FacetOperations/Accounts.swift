import FacetCore
import FacetStore
import Foundation
import GRDB

/// Buyers as operations see them, and staff accounts as admins manage them.
public struct AccountRow: Encodable, Sendable {
    public let id: String
    public let email: String
    public let role: Role
    public let companyName: String
    public let contactName: String
    public let country: String
    public let verified: Bool
    public let businessVerified: Bool
    public let suspended: Bool
    public let createdAt: Date
    public var searches: Int?
    public var quotes: Int?
    public var orders: Int?
}

extension Operations {
    static func row(_ db: Database, _ r: Row, counts: Bool) throws -> AccountRow {
        var row = AccountRow(id: r["id"], email: r["email"], role: Role(rawValue: r["role"]) ?? .buyer, companyName: r["companyName"],
                             contactName: r["contactName"], country: r["country"], verified: (r["verifiedAt"] as Date?) != nil,
                             businessVerified: (r["businessVerifiedAt"] as Date?) != nil, suspended: (r["suspendedAt"] as Date?) != nil,
                             createdAt: r["createdAt"])
        if counts {
            let id: String = r["id"]
            row.searches = try Int.fetchOne(db, sql: "SELECT count(*) FROM search WHERE buyerId = ?", arguments: [id])
            row.quotes = try Int.fetchOne(db, sql: "SELECT count(*) FROM quote WHERE buyerId = ?", arguments: [id])
            row.orders = try Int.fetchOne(db, sql: "SELECT count(*) FROM salesOrder WHERE buyerId = ?", arguments: [id])
        }
        return row
    }

    /// Buyers matching `query` (company, contact or e-mail), newest first.
    public func buyers(query: String?, limit: Int) throws -> [AccountRow] {
        try database.read { db in
            let like = query.map { "%\($0.lowercased())%" }
            return try Row.fetchAll(db, sql: """
                SELECT * FROM user WHERE role = 'buyer' AND (? IS NULL OR lower(companyName) LIKE ? OR lower(contactName) LIKE ? OR email LIKE ?)
                ORDER BY createdAt DESC LIMIT ?
                """, arguments: [like, like, like, like, limit]).map { try Self.row(db, $0, counts: true) }
        }
    }

    public struct BuyerDetail: Encodable, Sendable {
        public struct Note: Encodable, Sendable { public let at: Date; public let author: String; public let body: String }
        public struct Item: Encodable, Sendable { public let id: String; public let label: String; public let status: String; public let at: Date }
        public let buyer: AccountRow
        public let phone: String
        public let businessLicense: String
        public let businessType: String
        public let typicalOrderVolume: String
        public let preferredCategories: [String]
        public let notes: [Note]
        public let searches: [Item]
        public let cart: [Item]
        public let quotes: [Item]
        public let orders: [Item]
    }

    /// One buyer in one place: profile, staff notes, searches, cart, quotes and orders.
    public func buyer(id: String) throws -> BuyerDetail {
        try database.read { db in
            guard let r = try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ? AND role = 'buyer'", arguments: [id]) else {
                throw DomainError.notFound("No buyer \(id).")
            }
            let categories = (try? JSONDecoder().decode([String].self, from: Data(((r["preferredCategories"] as String?) ?? "[]").utf8))) ?? []
            return BuyerDetail(
                buyer: try Self.row(db, r, counts: true), phone: r["phone"], businessLicense: r["businessLicense"], businessType: r["businessType"],
                typicalOrderVolume: r["typicalOrderVolume"], preferredCategories: categories,
                notes: try Row.fetchAll(db, sql: "SELECT * FROM buyerNote WHERE buyerId = ? ORDER BY at DESC", arguments: [id]).map {
                    .init(at: $0["at"], author: $0["authorEmail"], body: $0["body"])
                },
                searches: try Row.fetchAll(db, sql: "SELECT id, category, status, createdAt FROM search WHERE buyerId = ? ORDER BY createdAt DESC LIMIT 50",
                                           arguments: [id]).map { .init(id: $0["id"], label: $0["category"], status: $0["status"], at: $0["createdAt"]) },
                cart: try Row.fetchAll(db, sql: "SELECT id, offerId, quantity, addedAt FROM cartLine WHERE buyerId = ? ORDER BY addedAt", arguments: [id]).map {
                    .init(id: $0["offerId"], label: "\($0["quantity"] as Int) pieces", status: "in cart", at: $0["addedAt"])
                },
                quotes: try Row.fetchAll(db, sql: "SELECT id, number, status, createdAt FROM quote WHERE buyerId = ? ORDER BY createdAt DESC", arguments: [id]).map {
                    .init(id: $0["id"], label: "Q-" + String(format: "%06d", $0["number"] as Int), status: $0["status"], at: $0["createdAt"])
                },
                orders: try Row.fetchAll(db, sql: "SELECT id, number, status, createdAt FROM salesOrder WHERE buyerId = ? ORDER BY createdAt DESC", arguments: [id]).map {
                    .init(id: $0["id"], label: "O-" + String(format: "%06d", $0["number"] as Int), status: $0["status"], at: $0["createdAt"])
                })
        }
    }

    public struct BuyerUpdate: Decodable, Sendable {
        public let businessVerified: Bool?
        public let suspended: Bool?
        public let note: String?
    }

    /// Verifies a business, suspends or restores an account, or adds a note; audited.
    public func updateBuyer(id: String, _ input: BuyerUpdate, by staff: UserRecord, now: Date = Date()) throws -> BuyerDetail {
        let note = try QuoteRules.text(input.note, field: "note")
        guard input.businessVerified != nil || input.suspended != nil || note != nil else {
            throw DomainError.invalid("note", "Send businessVerified, suspended or a note.")
        }
        try publisher.transaction { db, events in
            guard let r = try Row.fetchOne(db, sql: "SELECT companyName FROM user WHERE id = ? AND role = 'buyer'", arguments: [id]) else {
                throw DomainError.notFound("No buyer \(id).")
            }
            let company: String = r["companyName"]
            if let verified = input.businessVerified {
                try db.execute(sql: "UPDATE user SET businessVerifiedAt = ? WHERE id = ?", arguments: [verified ? now : nil, id])
                events.append(try audit(db, actor: staff, kind: "buyer.verification", subject: id,
                                        summary: "\(verified ? "Verified" : "Withdrew verification of") the business \(company)", at: now))
            }
            if let suspended = input.suspended {
                try db.execute(sql: "UPDATE user SET suspendedAt = ? WHERE id = ?", arguments: [suspended ? now : nil, id])
                if suspended { try db.execute(sql: "DELETE FROM session WHERE userId = ?", arguments: [id]) }
                events.append(try audit(db, actor: staff, kind: "buyer.suspension", subject: id,
                                        summary: "\(suspended ? "Suspended" : "Restored") the account of \(company)", at: now))
            }
            if let note {
                try db.execute(sql: "INSERT INTO buyerNote (buyerId, authorEmail, body, at) VALUES (?, ?, ?, ?)", arguments: [id, staff.email, note, now])
                events.append(try audit(db, actor: staff, kind: "buyer.note", subject: id, summary: "Added a note on \(company)", at: now))
            }
        }
        return try buyer(id: id)
    }

    public func staff() throws -> [AccountRow] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM user WHERE role != 'buyer' ORDER BY createdAt").map { try Self.row(db, $0, counts: false) }
        }
    }

    public struct StaffUpdate: Decodable, Sendable {
        public let role: Role?
        public let disabled: Bool?
    }

    /// An admin changes a staff member's role or disables the account (its sessions end). An
    /// admin cannot demote or disable themself, so there is always someone to undo a mistake.
    public func updateStaff(id: String, _ input: StaffUpdate, by admin: UserRecord, now: Date = Date()) throws -> AccountRow {
        if id == admin.id { throw DomainError.conflict("own_account", "Ask another admin to change your own role or access.") }
        if input.role == .buyer { throw DomainError.invalid("role", "role is ops or admin.") }
        return try publisher.commit { db, events in
            guard let r = try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ? AND role != 'buyer'", arguments: [id]) else {
                throw DomainError.notFound("No staff member \(id).")
            }
            let email: String = r["email"]
            if let role = input.role {
                try db.execute(sql: "UPDATE user SET role = ?, updatedAt = ? WHERE id = ?", arguments: [role.rawValue, now, id])
                events.append(try audit(db, actor: admin, kind: "staff.role", subject: id, summary: "Made \(email) \(role.rawValue)", at: now))
            }
            if let disabled = input.disabled {
                try db.execute(sql: "UPDATE user SET suspendedAt = ? WHERE id = ?", arguments: [disabled ? now : nil, id])
                if disabled { try db.execute(sql: "DELETE FROM session WHERE userId = ?", arguments: [id]) }
                events.append(try audit(db, actor: admin, kind: "staff.access", subject: id,
                                        summary: "\(disabled ? "Disabled" : "Re-enabled") the account of \(email)", at: now))
            }
            guard let updated = try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ?", arguments: [id]) else { throw DomainError.notFound(id) }
            return try Self.row(db, updated, counts: false)
        }
    }

    public func isSuspended(userId: String) -> Bool {
        let suspended = try? database.read { db in
            try Bool.fetchOne(db, sql: "SELECT suspendedAt IS NOT NULL FROM user WHERE id = ?", arguments: [userId])
        }
        return (suspended ?? nil) ?? false
    }

    /// A live check's answer, for the supply report's stock-out rate.
    public func recordStockCheck(sku: String, brand: String, inStock: Bool, now: Date = Date()) {
        _ = try? database.writer.write { db in
            try db.execute(sql: "INSERT INTO stockCheck (sku, brand, inStock, at) VALUES (?, ?, ?, ?)", arguments: [sku, brand, inStock, now])
        }
    }
}
