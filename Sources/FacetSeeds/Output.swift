import Foundation

/// File layout of the demo world under the seeds directory.
public enum SeedLayout {
    public static let aurelia = "brands/aurelia/products.json"
    public static let northbridge = "brands/northbridge/catalog.json"
    public static let marketplace = "marketplace/listings.json"
    public static let imageIndex = "catalog/images.jsonl"
    public static let scenes = "scenes"
    public static let images = "images"
}

struct AureliaFile: Codable {
    var brand: String
    var brand_code: String
    var currency: String
    var generated_with_seed: UInt64
    var product_count: Int
    var products: [AureliaProduct]
}

struct NorthbridgeFile: Codable {
    struct Catalog: Codable {
        var vendor: String
        var currency: String
        var seed: UInt64
        var itemCount: Int
        var items: [NorthbridgeItem]
    }
    var catalog: Catalog
}

struct MarketplaceFile: Codable {
    var marketplace: String
    var seed: UInt64
    var totalResults: Int
    var listings: [MarketplaceListing]
}

func jsonEncoder(pretty: Bool) -> JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return e
}

extension SeedWorld {
    /// Writes the brand files, the marketplace listings and the image index under `directory`
    /// (the seeds directory). Images are not touched: see `SceneRenderer`.
    /// Returns the files written.
    @discardableResult
    public func write(to directory: URL) throws -> [URL] {
        let fm = FileManager.default
        let pretty = jsonEncoder(pretty: true)
        var written: [URL] = []
        func put(_ data: Data, _ relative: String) throws {
            let url = directory.appendingPathComponent(relative)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            var d = data
            if d.last != 0x0A { d.append(0x0A) }
            try d.write(to: url, options: .atomic)
            written.append(url)
        }
        try put(pretty.encode(AureliaFile(brand: "Aurelia Fine Jewelry", brand_code: "AUR", currency: "USD",
                                          generated_with_seed: seed, product_count: aurelia.count, products: aurelia)),
                SeedLayout.aurelia)
        try put(pretty.encode(NorthbridgeFile(catalog: .init(vendor: "Northbridge Silver", currency: "USD", seed: seed,
                                                             itemCount: northbridge.count, items: northbridge))),
                SeedLayout.northbridge)
        try put(pretty.encode(MarketplaceFile(marketplace: "demo wholesale marketplace", seed: seed,
                                              totalResults: listings.count, listings: listings)),
                SeedLayout.marketplace)
        try put(imageIndexData(), SeedLayout.imageIndex)
        return written
    }

    /// The image index as JSON Lines.
    public func imageIndexData() throws -> Data {
        let e = jsonEncoder(pretty: false)
        var out = Data()
        for record in images {
            out.append(try e.encode(record))
            out.append(0x0A)
        }
        return out
    }
}

/// Reads seeds/catalog/images.jsonl.
public func loadImageIndex(seedsDirectory: URL) throws -> [ImageRecord] {
    let url = seedsDirectory.appendingPathComponent(SeedLayout.imageIndex)
    let data = try Data(contentsOf: url)
    let d = JSONDecoder()
    var out: [ImageRecord] = []
    for line in data.split(separator: 0x0A) where !line.isEmpty {
        out.append(try d.decode(ImageRecord.self, from: Data(line)))
    }
    return out
}

/// Where an image record's file lives under a seeds directory (its path from "images/" on).
public func imageURL(_ record: ImageRecord, seedsDirectory: URL) -> URL {
    if let r = record.path.range(of: "images/") {
        return seedsDirectory.appendingPathComponent(String(record.path[r.lowerBound...]))
    }
    return seedsDirectory.appendingPathComponent(record.path)
}
