import FacetCore
import Foundation
import GRDB

/// One buyer search as stored: the request, the stage it reached, and its final state as
/// JSON text (attributes, exact match, alternatives) written by the search service.
public struct SearchRecord: Sendable, Equatable {
    public var id: String
    public var buyerId: String
    public var category: Category
    public var maxPriceAmount: Int64?
    public var currency: String
    public var status: String
    public var stage: String
    public var imageFile: String
    public var attributes: String?
    public var exactMatch: String?
    public var alternatives: String?
    public var notes: String?
    public var error: String?
    public var createdAt: Date
    public var completedAt: Date?

    public init(id: String, buyerId: String, category: Category, maxPriceAmount: Int64?, currency: String, imageFile: String,
                createdAt: Date) {
        self.id = id
        self.buyerId = buyerId
        self.category = category
        self.maxPriceAmount = maxPriceAmount
        self.currency = currency
        self.status = "running"
        self.stage = "received"
        self.imageFile = imageFile
        self.createdAt = createdAt
    }

    init(row: Row) {
        id = row["id"]; buyerId = row["buyerId"]
        category = Category(rawValue: row["category"]) ?? .other
        maxPriceAmount = row["maxPriceAmount"]; currency = row["currency"]
        status = row["status"]; stage = row["stage"]; imageFile = row["imageFile"]
        attributes = row["attributes"]; exactMatch = row["exactMatch"]; alternatives = row["alternatives"]
        notes = row["notes"]; error = row["error"]
        createdAt = row["createdAt"]; completedAt = row["completedAt"]
    }
}

public struct SearchStore: Sendable {
    let database: FacetDatabase
    public init(database: FacetDatabase) { self.database = database }

    public static func insert(_ db: Database, _ r: SearchRecord) throws {
        try db.execute(sql: """
            INSERT INTO search (id, buyerId, category, maxPriceAmount, currency, status, stage, imageFile, createdAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [r.id, r.buyerId, r.category.rawValue, r.maxPriceAmount, r.currency, r.status, r.stage, r.imageFile, r.createdAt])
    }

    public static func update(_ db: Database, _ r: SearchRecord) throws {
        try db.execute(sql: """
            UPDATE search SET status = ?, stage = ?, attributes = ?, exactMatch = ?, alternatives = ?, notes = ?, error = ?,
                completedAt = ? WHERE id = ?
            """, arguments: [r.status, r.stage, r.attributes, r.exactMatch, r.alternatives, r.notes, r.error, r.completedAt, r.id])
    }

    public func find(id: String) throws -> SearchRecord? {
        try database.read { db in try Row.fetchOne(db, sql: "SELECT * FROM search WHERE id = ?", arguments: [id]).map(SearchRecord.init) }
    }

    public func list(buyerId: String, limit: Int, before: Date? = nil) throws -> [SearchRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM search WHERE buyerId = ? AND createdAt < ? ORDER BY createdAt DESC LIMIT ?
                """, arguments: [buyerId, before ?? Date.distantFuture, limit]).map(SearchRecord.init)
        }
    }

    /// Searches left running by a stop: they cannot resume, so they end as failed.
    public func failInterrupted(at now: Date = Date()) throws -> Int {
        try database.writer.write { db in
            try db.execute(sql: """
                UPDATE search SET status = 'failed', error = 'The search was interrupted by a restart; please search again.',
                    completedAt = ? WHERE status = 'running'
                """, arguments: [now])
            return db.changesCount
        }
    }

    /// The opaque id buyers see for a catalog product or listing (`ref`), made on first use.
    public func offerId(source: String, ref: String, at now: Date = Date()) throws -> String {
        if let id = try database.read({ db in try String.fetchOne(db, sql: "SELECT id FROM offer WHERE ref = ?", arguments: [ref]) }) {
            return id
        }
        return try database.writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO offer (id, source, ref, createdAt) VALUES (?, ?, ?, ?)",
                           arguments: [Identifier.make("of"), source, ref, now])
            return try String.fetchOne(db, sql: "SELECT id FROM offer WHERE ref = ?", arguments: [ref])!
        }
    }

    public func offerRef(id: String) throws -> (source: String, ref: String)? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT source, ref FROM offer WHERE id = ?", arguments: [id]).map { ($0["source"], $0["ref"]) }
        }
    }
}
