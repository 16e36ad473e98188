import FacetCore
import Foundation
import GRDB

public struct ListingCounts: Sendable, Equatable {
    public var listings: Int
    public var fresh: Int
    public var newest: Date?
    public var oldest: Date?

    public init(listings: Int = 0, fresh: Int = 0, newest: Date? = nil, oldest: Date? = nil) {
        self.listings = listings
        self.fresh = fresh
        self.newest = newest
        self.oldest = oldest
    }
}

/// Listings, settings and the settings audit trail in SQLite.
public struct MarketplaceStore: Sendable {
    let database: FacetDatabase
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        // Dates as their exact Double, so a listing reads back equal to what was stored.
        e.outputFormatting = .sortedKeys
        return e
    }()
    static let decoder = JSONDecoder()
    private static let decoded = DecodedRowCache<MarketplaceListing>()

    public init(database: FacetDatabase) { self.database = database }

    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
    static func value<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try decoder.decode(type, from: Data(text.utf8)) }

    public func upsert(_ listings: [MarketplaceListing]) throws {
        guard !listings.isEmpty else { return }
        try database.writer.write { db in
            for listing in listings {
                try db.execute(sql: """
                    INSERT INTO marketplaceListing (id, source, offerId, category, listing, fetchedAt) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET listing = excluded.listing, fetchedAt = excluded.fetchedAt, category = excluded.category
                    """, arguments: [listing.id, listing.source, listing.offerId, listing.category.rawValue, try Self.json(listing), listing.fetchedAt])
            }
        }
    }

    public func listings(category: Category? = nil) throws -> [MarketplaceListing] {
        try database.read { db in
            let rows = if let category {
                try String.fetchAll(db, sql: "SELECT listing FROM marketplaceListing WHERE category = ? ORDER BY id", arguments: [category.rawValue])
            } else {
                try String.fetchAll(db, sql: "SELECT listing FROM marketplaceListing ORDER BY id")
            }
            return rows.compactMap { try? Self.value(MarketplaceListing.self, $0) }
        }
    }

    /// Per category: how many listings are known, how many were fetched since `freshSince`, and
    /// the newest and oldest fetch.
    public func counts(freshSince: Date) throws -> [Category: ListingCounts] {
        try database.read { db in
            var out: [Category: ListingCounts] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT category, count(*) AS n, sum(fetchedAt >= ?) AS fresh, max(fetchedAt) AS newest, min(fetchedAt) AS oldest
                FROM marketplaceListing GROUP BY category
                """, arguments: [freshSince]) {
                guard let category = Category(rawValue: row["category"]) else { continue }
                out[category] = ListingCounts(listings: row["n"], fresh: row["fresh"] ?? 0, newest: row["newest"], oldest: row["oldest"])
            }
            return out
        }
    }

    public func listing(id: String) throws -> MarketplaceListing? {
        try database.read { db in
            try String.fetchOne(db, sql: "SELECT listing FROM marketplaceListing WHERE id = ?", arguments: [id])
                .flatMap { try? Self.value(MarketplaceListing.self, $0) }
        }
    }

    /// Several listings in one read (a search's candidates), by id; unknown ids are left out.
    public func listings(ids: [String]) throws -> [String: MarketplaceListing] {
        guard !ids.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        return try database.read { db in
            var found: [String: MarketplaceListing] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, listing FROM marketplaceListing WHERE id IN (\(marks))",
                                        arguments: StatementArguments(ids)) {
                if let listing = try? Self.decoded.value(id: row["id"], text: row["listing"], decode: { try Self.value(MarketplaceListing.self, $0) }) {
                    found[row["id"]] = listing
                }
            }
            return found
        }
    }

    public func settings() throws -> MarketplaceSettings? {
        try database.read { db in
            try String.fetchOne(db, sql: "SELECT settings FROM marketplaceSettings WHERE id = 1").map { try Self.value(MarketplaceSettings.self, $0) }
        }
    }

    /// Saves the settings and the audit row in one transaction.
    public func save(_ new: MarketplaceSettings, old: MarketplaceSettings, actorId: String, actorEmail: String, at now: Date = Date()) throws {
        try database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO marketplaceSettings (id, settings, updatedAt, updatedBy) VALUES (1, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET settings = excluded.settings, updatedAt = excluded.updatedAt, updatedBy = excluded.updatedBy
                """, arguments: [try Self.json(new), now, actorId])
            try db.execute(sql: "INSERT INTO marketplaceAudit (at, actorId, actorEmail, old, new) VALUES (?, ?, ?, ?, ?)",
                           arguments: [now, actorId, actorEmail, try Self.json(old), try Self.json(new)])
        }
    }

    public func audit(limit: Int = 100) throws -> [MarketplaceAuditEntry] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM marketplaceAudit ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                MarketplaceAuditEntry(id: row["id"], at: row["at"], actorId: row["actorId"], actorEmail: row["actorEmail"],
                                      old: try Self.value(MarketplaceSettings.self, row["old"]),
                                      new: try Self.value(MarketplaceSettings.self, row["new"]))
            }
        }
    }
}
