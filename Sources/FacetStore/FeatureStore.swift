import FacetCore
import Foundation
import GRDB

/// Vision features of one stored photo, as opaque bytes (the matcher owns their layout).
public struct StoredFeature: Sendable {
    public var fileName: String
    public var embedder: String
    public var embedding: Data
    public var keypoints: Data
    public var attributes: String

    public init(fileName: String, embedder: String, embedding: Data, keypoints: Data, attributes: String) {
        self.fileName = fileName
        self.embedder = embedder
        self.embedding = embedding
        self.keypoints = keypoints
        self.attributes = attributes
    }
}

public struct FeatureStore: Sendable {
    let database: FacetDatabase
    public init(database: FacetDatabase) { self.database = database }

    public func put(_ features: [StoredFeature], at now: Date = Date()) throws {
        guard !features.isEmpty else { return }
        try database.writer.write { db in
            for f in features {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO imageFeature (fileName, embedder, embedding, keypoints, attributes, computedAt)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [f.fileName, f.embedder, f.embedding, f.keypoints, f.attributes, now])
            }
        }
    }

    /// Features for these files made by `embedder`; files without are left out.
    public func features(_ fileNames: [String], embedder: String, withKeypoints: Bool = false) throws -> [String: StoredFeature] {
        guard !fileNames.isEmpty else { return [:] }
        return try database.read { db in
            var result: [String: StoredFeature] = [:]
            for chunk in stride(from: 0, to: fileNames.count, by: 500).map({ Array(fileNames[$0..<min($0 + 500, fileNames.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let columns = withKeypoints ? "fileName, embedder, embedding, keypoints, attributes" : "fileName, embedder, embedding, X'' AS keypoints, attributes"
                let rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM imageFeature WHERE embedder = ? AND fileName IN (\(marks))",
                                            arguments: StatementArguments([embedder] + chunk))
                for row in rows {
                    let f = StoredFeature(fileName: row["fileName"], embedder: row["embedder"], embedding: row["embedding"],
                                          keypoints: row["keypoints"] ?? Data(), attributes: row["attributes"])
                    result[f.fileName] = f
                }
            }
            return result
        }
    }

    public func catalogImages(sku: String) throws -> [String] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT fileName FROM catalogImage WHERE sku = ? ORDER BY position", arguments: [sku])
        }
    }
}

extension FeatureStore {
    /// Every active product with its photos (main view first): what the search index holds.
    public func activeCatalog() throws -> [(product: CatalogProduct, files: [String])] {
        try database.read { db in try Self.catalog(db, where: "status = 'active'", arguments: []) }.map(\.value)
    }

    /// Active products that have at least one stored photo: what the search index should hold.
    public func activeProductsWithPhotos() throws -> Int {
        try database.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM catalogProduct WHERE status = 'active' AND EXISTS (SELECT 1 FROM catalogImage i WHERE i.sku = catalogProduct.sku)
                """) ?? 0
        }
    }

    /// These products with their photos, for building offers; unknown SKUs are left out.
    public func products(skus: [String]) throws -> [String: (product: CatalogProduct, files: [String])] {
        guard !skus.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: skus.count).joined(separator: ",")
        return try database.read { db in
            // A product held for review (or rejected) is not offered to anyone.
            Dictionary(uniqueKeysWithValues: try Self.catalog(db, where: """
                sku IN (\(marks)) AND sku NOT IN (SELECT subject FROM approval WHERE kind = 'brand_product' AND status != 'approved')
                """, arguments: StatementArguments(skus)))
        }
    }

    /// Products matching `condition` (on catalogProduct) with their photos, keyed by SKU.
    static func catalog(_ db: Database, where condition: String, arguments: StatementArguments)
        throws -> [(key: String, value: (product: CatalogProduct, files: [String]))] {
        var files: [String: [String]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT sku, fileName FROM catalogImage WHERE sku IN (SELECT sku FROM catalogProduct WHERE \(condition))
            ORDER BY sku, position
            """, arguments: arguments) {
            files[row["sku"], default: []].append(row["fileName"])
        }
        return try Row.fetchAll(db, sql: "SELECT sku, product FROM catalogProduct WHERE \(condition)", arguments: arguments).map { row in
            let product = try decoded.value(id: row["sku"], text: row["product"]) {
                try CatalogStore.decoder.decode(CatalogProduct.self, from: Data($0.utf8))
            }
            return (product.sku, (product, files[product.sku] ?? []))
        }
    }

    private static let decoded = DecodedRowCache<CatalogProduct>()
}
