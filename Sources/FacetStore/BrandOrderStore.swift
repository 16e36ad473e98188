import FacetCore
import Foundation
import GRDB

public struct BrandOrderRecord: Sendable, Equatable {
    public var idempotencyKey: String
    public var brand: String
    public var facetOrderId: String
    public var request: String
    public var status: String
    public var brandOrderId: String?
    public var brandStatus: String?
    public var attempts: Int
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
}

/// Order notifications to brands, keyed by their idempotency key so a retry reuses it.
public struct BrandOrderStore: Sendable {
    let database: FacetDatabase
    public init(database: FacetDatabase) { self.database = database }

    /// The existing notification for this key, or a new pending one.
    public func brandOrder(key: String, brand: String, facetOrderId: String, request: String, at now: Date = Date()) throws -> BrandOrderRecord {
        try database.writer.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO brandOrder (idempotencyKey, brand, facetOrderId, request, status, attempts, createdAt, updatedAt)
                VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)
                """, arguments: [key, brand, facetOrderId, request, now, now])
            return try Self.order(db, key: key)!
        }
    }

    public func updateBrandOrder(key: String, status: String, brandOrderId: String?, brandStatus: String?, error: String?,
                                 at now: Date = Date()) throws -> BrandOrderRecord? {
        try database.writer.write { db in
            try db.execute(sql: """
                UPDATE brandOrder SET status = ?, brandOrderId = coalesce(?, brandOrderId), brandStatus = coalesce(?, brandStatus),
                  lastError = ?, attempts = attempts + 1, updatedAt = ? WHERE idempotencyKey = ?
                """, arguments: [status, brandOrderId, brandStatus, error, now, key])
            return try Self.order(db, key: key)
        }
    }

    public func pendingBrandOrders() throws -> [BrandOrderRecord] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT idempotencyKey FROM brandOrder WHERE status = 'pending' ORDER BY createdAt")
                .compactMap { try Self.order(db, key: $0) }
        }
    }

    public func brandOrders(limit: Int = 100) throws -> [BrandOrderRecord] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT idempotencyKey FROM brandOrder ORDER BY createdAt DESC LIMIT ?", arguments: [limit])
                .compactMap { try Self.order(db, key: $0) }
        }
    }

    static func order(_ db: Database, key: String) throws -> BrandOrderRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM brandOrder WHERE idempotencyKey = ?", arguments: [key]).map {
            BrandOrderRecord(idempotencyKey: $0["idempotencyKey"], brand: $0["brand"], facetOrderId: $0["facetOrderId"],
                             request: $0["request"], status: $0["status"], brandOrderId: $0["brandOrderId"],
                             brandStatus: $0["brandStatus"], attempts: $0["attempts"], lastError: $0["lastError"],
                             createdAt: $0["createdAt"], updatedAt: $0["updatedAt"])
        }
    }
}
