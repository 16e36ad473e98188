import FacetCore
import Foundation
import GRDB

public struct BrandSyncState: Sendable, Equatable {
    public var brand: String
    public var cursor: String?
    public var lastSuccessAt: Date?
    public var lastAttemptAt: Date?
    public var lastFullSyncAt: Date?
    public var lastError: String?
    public var itemsSynced: Int
    public var webhooksReceived: Int
    public var errors24h: Int
    public var products: Int
    public var activeProducts: Int
}

/// Each brand's sync bookkeeping: cursor and runs, errors in the last day, webhook deliveries.
public struct BrandSyncStore: Sendable {
    let database: FacetDatabase
    public init(database: FacetDatabase) { self.database = database }

    public func syncState(brand: String, now: Date = Date()) throws -> BrandSyncState {
        try database.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT * FROM brandSyncState WHERE brand = ?", arguments: [brand])
            let errors = try Int.fetchOne(db, sql: "SELECT count(*) FROM brandSyncError WHERE brand = ? AND at > ?",
                                          arguments: [brand, now.addingTimeInterval(-86_400)]) ?? 0
            let counts = try Row.fetchOne(db, sql: """
                SELECT count(*) AS n, sum(status = 'active') AS active FROM catalogProduct WHERE brand = ?
                """, arguments: [brand])
            return BrandSyncState(brand: brand, cursor: row?["cursor"], lastSuccessAt: row?["lastSuccessAt"],
                                  lastAttemptAt: row?["lastAttemptAt"], lastFullSyncAt: row?["lastFullSyncAt"],
                                  lastError: row?["lastError"], itemsSynced: row?["itemsSynced"] ?? 0,
                                  webhooksReceived: row?["webhooksReceived"] ?? 0, errors24h: errors,
                                  products: counts?["n"] ?? 0, activeProducts: counts?["active"] ?? 0)
        }
    }

    static func ensureState(_ db: Database, brand: String) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO brandSyncState (brand) VALUES (?)", arguments: [brand])
    }

    /// A page has been stored: move the cursor (never backwards) and count the items.
    public static func recordProgress(_ db: Database, brand: String, cursor: String?, items: Int) throws {
        try ensureState(db, brand: brand)
        try db.execute(sql: """
            UPDATE brandSyncState SET itemsSynced = itemsSynced + ?,
              cursor = CASE WHEN ? IS NOT NULL AND (cursor IS NULL OR ? > cursor) THEN ? ELSE cursor END
            WHERE brand = ?
            """, arguments: [items, cursor, cursor, cursor, brand])
    }

    public func recordRun(brand: String, success: Bool, full: Bool, error: String?, kind: String = "sync", at now: Date = Date()) throws {
        try database.writer.write { db in
            try Self.ensureState(db, brand: brand)
            if success {
                try db.execute(sql: """
                    UPDATE brandSyncState SET lastAttemptAt = ?, lastSuccessAt = ?, lastError = NULL,
                      lastFullSyncAt = CASE WHEN ? THEN ? ELSE lastFullSyncAt END WHERE brand = ?
                    """, arguments: [now, now, full, now, brand])
            } else {
                try db.execute(sql: "UPDATE brandSyncState SET lastAttemptAt = ?, lastError = ? WHERE brand = ?",
                               arguments: [now, error, brand])
            }
            if let error {
                try db.execute(sql: "INSERT INTO brandSyncError (brand, at, message, kind) VALUES (?, ?, ?, ?)",
                               arguments: [brand, now, error, kind])
                try db.execute(sql: "DELETE FROM brandSyncError WHERE at < ?", arguments: [now.addingTimeInterval(-7 * 86_400)])
            }
        }
    }

    public func recordError(brand: String, message: String, kind: String, at now: Date = Date()) throws {
        try database.writer.write { db in
            try db.execute(sql: "INSERT INTO brandSyncError (brand, at, message, kind) VALUES (?, ?, ?, ?)",
                           arguments: [brand, now, message, kind])
        }
    }

    /// Records a webhook delivery; false when this delivery id was already processed.
    public static func recordDelivery(_ db: Database, brand: String, id: String, type: String, at now: Date) throws -> Bool {
        try ensureState(db, brand: brand)
        try db.execute(sql: "INSERT OR IGNORE INTO webhookDelivery (brand, deliveryId, type, receivedAt) VALUES (?, ?, ?, ?)",
                       arguments: [brand, id, type, now])
        guard db.changesCount > 0 else { return false }
        try db.execute(sql: "UPDATE brandSyncState SET webhooksReceived = webhooksReceived + 1 WHERE brand = ?", arguments: [brand])
        return true
    }

    public func forgetDelivery(brand: String, id: String) throws {
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM webhookDelivery WHERE brand = ? AND deliveryId = ?", arguments: [brand, id])
        }
    }
}
