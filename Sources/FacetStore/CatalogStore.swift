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

/// Brands' products and their photos (tables catalogProduct and catalogImage).
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
        /// When the brand was asked for this reading. A webhook or live check that confirmed stock
        /// after that moment is newer than this reading, and its stock and cost are kept.
        public var observedAt: Date?

        public init(product: CatalogProduct, native: String, images: [(sourceURL: String, fileName: String)]?,
                    observedAt: Date? = nil) {
            self.product = product
            self.native = native
            self.images = images
            self.observedAt = observedAt
        }
    }

    /// Inserts or updates products in one transaction and returns what changed; a product
    /// whose content is the same is only marked as synced.
    public static func upsert(_ db: Database, _ items: [Incoming], at now: Date) throws -> [CatalogChange] {
        var changes: [CatalogChange] = []
        for item in items {
            var product = item.product
            let encoded = try encoder.encode(product)
            var json = String(decoding: encoded, as: UTF8.self)
            var fingerprint = hex(SHA256.hash(data: encoded + Data(item.native.utf8)))
            let row = try Row.fetchOne(db, sql: "SELECT brand, product, fingerprint, stockCheckedAt FROM catalogProduct WHERE sku = ?",
                                       arguments: [product.sku])
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
            var stockCheckedAt = now
            if let old, let row, let observedAt = item.observedAt, (row["stockCheckedAt"] as Date) > observedAt {
                product.stock = old.stock
                product.baseCost = old.baseCost
                stockCheckedAt = row["stockCheckedAt"]
                json = String(decoding: try encoder.encode(product), as: UTF8.self)
                fingerprint = ""  // the next run compares afresh
            }
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
                                     json, item.native, fingerprint, product.sourceUpdatedAt, now, stockCheckedAt, change != nil, now,
                                     product.sku])
            } else {
                change = CatalogChange(kind: product.status == .discontinued ? .discontinued : .created, sku: product.sku,
                                       brand: product.brand, category: product.category,
                                       fields: ["title", "category", "attributes", "gemstones", "baseCost", "moq", "priceTiers",
                                                "stock", "leadTimes", "status", "images"],
                                       product: product, at: now)
                // A brand whose new products wait for review: the product is held until staff approve it.
                if try String.fetchOne(db, sql: "SELECT policy FROM brandPolicy WHERE brand = ?", arguments: [product.brand]) == "review" {
                    try db.execute(sql: "INSERT OR IGNORE INTO approval (id, kind, subject, status, createdAt) VALUES (?, 'brand_product', ?, 'pending', ?)",
                                   arguments: [Identifier.make("ap"), product.sku, now])
                }
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
}
