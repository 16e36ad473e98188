import Crypto
import FacetCore
import Foundation
import GRDB

/// A product row as staff see it: Facet's shape, the brand's native JSON, the stored photos.
public struct CatalogEntry: Sendable {
    public let product: CatalogProduct
    public let native: String
    public let images: [Image]
    public let syncedAt: Date
    public let stockCheckedAt: Date
    public let createdAt: Date
    public let updatedAt: Date

    public struct Image: Sendable, Equatable {
        public let position: Int
        public let sourceURL: String
        public let fileName: String
    }
}

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

/// Brands' products, their photos, sync bookkeeping, webhook deliveries and order
/// notifications.
public struct CatalogStore: Sendable {
    let database: FacetDatabase

    public init(database: FacetDatabase) { self.database = database }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    public struct Incoming: Sendable {
        public var product: CatalogProduct
        public var native: String
        /// Stored photo file names by position, when the photos were fetched.
        public var images: [(sourceURL: String, fileName: String)]?

        public init(product: CatalogProduct, native: String, images: [(sourceURL: String, fileName: String)]?) {
            self.product = product
            self.native = native
            self.images = images
        }
    }

    /// Inserts or updates products in one transaction and returns what changed; a product
    /// whose content is the same is only marked as synced.
    public static func upsert(_ db: Database, _ items: [Incoming], at now: Date) throws -> [CatalogChange] {
        var changes: [CatalogChange] = []
        for item in items {
            let product = item.product
            let encoded = try encoder.encode(product)
            let json = String(decoding: encoded, as: UTF8.self)
            let fingerprint = hex(SHA256.hash(data: encoded + Data(item.native.utf8)))
            let row = try Row.fetchOne(db, sql: "SELECT brand, product, fingerprint FROM catalogProduct WHERE sku = ?", arguments: [product.sku])
            if let row, (row["fingerprint"] as String) == fingerprint, (row["brand"] as String) == product.brand {
                // Nothing changed at the brand: only note that it was seen.
                try db.execute(sql: "UPDATE catalogProduct SET syncedAt = ? WHERE sku = ?", arguments: [now, product.sku])
                if let images = item.images, try !sameImages(db, sku: product.sku, images) {
                    try replaceImages(db, sku: product.sku, images)
                }
                continue
            }
            let old: CatalogProduct? = try row.map { try decoder.decode(CatalogProduct.self, from: Data(($0["product"] as String).utf8)) }
            var change: CatalogChange?
            // A SKU belongs to the brand that first listed it; another brand cannot overwrite it.
            if let old, old.brand != product.brand { continue }
            if let old {
                let fields = CatalogChange.differences(old, product)
                if !fields.isEmpty {
                    let kind: CatalogChange.Kind = fields.contains("status") && product.status == .discontinued ? .discontinued : .updated
                    change = CatalogChange(kind: kind, sku: product.sku, brand: product.brand, category: product.category,
                                           fields: fields, product: product, at: now)
                }
                try db.execute(sql: """
                    UPDATE catalogProduct SET brand = ?, title = ?, category = ?, status = ?, baseCostAmount = ?, currency = ?,
                      moq = ?, stock = ?, product = ?, native = ?, fingerprint = ?, sourceUpdatedAt = ?, syncedAt = ?,
                      stockCheckedAt = ?, updatedAt = CASE WHEN ? THEN ? ELSE updatedAt END
                    WHERE sku = ?
                    """, arguments: [product.brand, product.title, product.category.rawValue, product.status.rawValue,
                                     product.baseCost.amount, product.baseCost.currency, product.moq, product.stock,
                                     json, item.native, fingerprint, product.sourceUpdatedAt, now, now, change != nil, now, product.sku])
            } else {
                change = CatalogChange(kind: product.status == .discontinued ? .discontinued : .created, sku: product.sku,
                                       brand: product.brand, category: product.category,
                                       fields: ["title", "category", "attributes", "gemstones", "baseCost", "moq", "priceTiers",
                                                "stock", "leadTimes", "status", "images"],
                                       product: product, at: now)
                try db.execute(sql: """
                    INSERT INTO catalogProduct (sku, brand, title, category, status, baseCostAmount, currency, moq, stock, product,
                      native, fingerprint, sourceUpdatedAt, syncedAt, stockCheckedAt, createdAt, updatedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [product.sku, product.brand, product.title, product.category.rawValue, product.status.rawValue,
                                     product.baseCost.amount, product.baseCost.currency, product.moq, product.stock, json,
                                     item.native, fingerprint, product.sourceUpdatedAt, now, now, now, now])
            }
            if let images = item.images, try !sameImages(db, sku: product.sku, images) {
                try replaceImages(db, sku: product.sku, images)
            }
            if let change { changes.append(change) }
        }
        return changes
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func replaceImages(_ db: Database, sku: String, _ images: [(sourceURL: String, fileName: String)]) throws {
        try db.execute(sql: "DELETE FROM catalogImage WHERE sku = ?", arguments: [sku])
        for (position, image) in images.enumerated() {
            try db.execute(sql: "INSERT INTO catalogImage (sku, position, sourceURL, fileName) VALUES (?, ?, ?, ?)",
                           arguments: [sku, position, image.sourceURL, image.fileName])
        }
    }

    static func sameImages(_ db: Database, sku: String, _ images: [(sourceURL: String, fileName: String)]) throws -> Bool {
        let rows = try Row.fetchAll(db, sql: "SELECT sourceURL, fileName FROM catalogImage WHERE sku = ? ORDER BY position", arguments: [sku])
        guard rows.count == images.count else { return false }
        for (row, image) in zip(rows, images) where (row["sourceURL"] as String) != image.sourceURL || (row["fileName"] as String) != image.fileName {
            return false
        }
        return true
    }

    /// Applies fresh stock (and cost, when given) for one product; nil when nothing changed.
    public static func applyStock(_ db: Database, brand: String, sku: String, stock: Int, cost: Int64?, at now: Date) throws -> CatalogChange? {
        guard let row = try Row.fetchOne(db, sql: "SELECT product FROM catalogProduct WHERE sku = ? AND brand = ?",
                                         arguments: [sku, brand]) else { return nil }
        let old = try decoder.decode(CatalogProduct.self, from: Data((row["product"] as String).utf8))
        var product = old
        product.stock = max(0, stock)
        if let cost { product.baseCost.amount = cost }
        let fields = CatalogChange.differences(old, product)
        let json = String(decoding: try encoder.encode(product), as: UTF8.self)
        try db.execute(sql: """
            UPDATE catalogProduct SET stock = ?, baseCostAmount = ?, product = ?, stockCheckedAt = ?, fingerprint = '',
              updatedAt = CASE WHEN ? THEN ? ELSE updatedAt END WHERE sku = ?
            """, arguments: [product.stock, product.baseCost.amount, json, now, !fields.isEmpty, now, sku])
        guard !fields.isEmpty else { return nil }
        return CatalogChange(kind: .updated, sku: sku, brand: product.brand, category: product.category, fields: fields,
                             product: product, at: now)
    }

    /// After a full listing: a brand's active products it no longer lists are discontinued.
    public static func discontinueMissing(_ db: Database, brand: String, listed: Set<String>, at now: Date) throws -> [CatalogChange] {
        let rows = try Row.fetchAll(db, sql: "SELECT sku, product FROM catalogProduct WHERE brand = ? AND status = 'active'",
                                    arguments: [brand])
        var changes: [CatalogChange] = []
        for row in rows where !listed.contains(row["sku"] as String) {
            var product = try decoder.decode(CatalogProduct.self, from: Data((row["product"] as String).utf8))
            product.status = .discontinued
            let json = String(decoding: try encoder.encode(product), as: UTF8.self)
            try db.execute(sql: "UPDATE catalogProduct SET status = 'discontinued', product = ?, fingerprint = '', updatedAt = ? WHERE sku = ?",
                           arguments: [json, now, product.sku])
            changes.append(CatalogChange(kind: .discontinued, sku: product.sku, brand: brand, category: product.category,
                                         fields: ["status"], product: product, at: now))
        }
        return changes
    }

    public func entry(sku: String) async throws -> CatalogEntry? {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM catalogProduct WHERE sku = ?", arguments: [sku]) else { return nil }
            return try Self.entry(db, row: row, withImages: true)
        }
    }

    public func product(sku: String) async throws -> CatalogProduct? {
        try await entry(sku: sku)?.product
    }

    public struct Query: Sendable {
        public var brand: String?
        public var category: String?
        public var text: String?
        public var status: String?
        public var limit = 100
        public var offset = 0
        public init() {}
    }

    public func list(_ query: Query) async throws -> (entries: [CatalogEntry], total: Int) {
        try database.read { db in
            var clauses: [String] = []
            var arguments: [any DatabaseValueConvertible] = []
            if let brand = query.brand { clauses.append("brand = ?"); arguments.append(brand) }
            if let category = query.category { clauses.append("category = ?"); arguments.append(category) }
            if let status = query.status { clauses.append("status = ?"); arguments.append(status) }
            if let text = query.text, !text.isEmpty {
                clauses.append("(title LIKE ? ESCAPE '\\' OR sku LIKE ? ESCAPE '\\')")
                let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_")
                arguments.append("%\(escaped)%")
                arguments.append("%\(escaped)%")
            }
            let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM catalogProduct \(filter)",
                                         arguments: StatementArguments(arguments)) ?? 0
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM catalogProduct \(filter) ORDER BY brand, sku LIMIT ? OFFSET ?",
                                        arguments: StatementArguments(arguments + [query.limit, query.offset]))
            return (try rows.map { try Self.entry(db, row: $0, withImages: true) }, total)
        }
    }

    public static func entry(_ db: Database, sku: String) throws -> CatalogEntry? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM catalogProduct WHERE sku = ?", arguments: [sku]) else { return nil }
        return try entry(db, row: row, withImages: false)
    }

    static func entry(_ db: Database, row: Row, withImages: Bool) throws -> CatalogEntry {
        let sku: String = row["sku"]
        let images = withImages ? try Row.fetchAll(db, sql: "SELECT position, sourceURL, fileName FROM catalogImage WHERE sku = ? ORDER BY position",
                                                    arguments: [sku]).map {
            CatalogEntry.Image(position: $0["position"], sourceURL: $0["sourceURL"], fileName: $0["fileName"])
        } : []
        return CatalogEntry(product: try decoder.decode(CatalogProduct.self, from: Data((row["product"] as String).utf8)),
                            native: row["native"], images: images, syncedAt: row["syncedAt"], stockCheckedAt: row["stockCheckedAt"],
                            createdAt: row["createdAt"], updatedAt: row["updatedAt"])
    }

    // MARK: image sources

    /// (file name or nil, HTTP status) for a source URL already fetched.
    public func imageSource(url: String) throws -> (fileName: String?, status: Int)? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT fileName, httpStatus FROM imageSource WHERE sourceURL = ?", arguments: [url])
                .map { ($0["fileName"], $0["httpStatus"]) }
        }
    }

    public func recordImageSource(url: String, fileName: String?, bytes: Int?, status: Int, at now: Date = Date()) throws {
        try database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO imageSource (sourceURL, fileName, bytes, httpStatus, fetchedAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(sourceURL) DO UPDATE SET fileName = excluded.fileName, bytes = excluded.bytes,
                  httpStatus = excluded.httpStatus, fetchedAt = excluded.fetchedAt
                """, arguments: [url, fileName, bytes, status, now])
        }
    }

    public func forgetMissingImages() throws {
        try database.writer.write { db in try db.execute(sql: "DELETE FROM imageSource WHERE fileName IS NULL") }
    }

    // MARK: sync state

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

    // MARK: brand orders

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
