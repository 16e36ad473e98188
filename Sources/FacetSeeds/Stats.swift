import Foundation

/// Counts over a generated world: products and images per source, products per category,
/// and products per attribute value.
public struct WorldStats: Codable, Sendable, Equatable {
    public struct SourceCounts: Codable, Sendable, Equatable {
        public var products: Int
        public var images: Int
        public var imagesRendered: Int
        public var imageBytes: Int
        public var categories: [String: Int]
        /// Attribute name → value → number of products.
        public var attributes: [String: [String: Int]]
    }
    public var sources: [String: SourceCounts]
    /// Marketplace listings per relation to the brands (same_design, variant, unrelated).
    public var relations: [String: Int]
    public var totalProducts: Int
    public var totalImages: Int
    public var totalImageBytes: Int

    /// Reads `<seeds>/catalog/images.jsonl` and looks at the images on disk.
    public static func compute(seedsDirectory: URL) throws -> WorldStats {
        let records = try loadImageIndex(seedsDirectory: seedsDirectory)
        var sources: [String: SourceCounts] = [:]
        var seen = Set<String>()
        var relations: [String: Int] = [:]
        var totalBytes = 0
        for r in records {
            var s = sources[r.source.rawValue] ?? SourceCounts(products: 0, images: 0, imagesRendered: 0, imageBytes: 0,
                                                                categories: [:], attributes: [:])
            s.images += 1
            let url = imageURL(r, seedsDirectory: seedsDirectory)
            if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int {
                s.imagesRendered += 1
                s.imageBytes += size
                totalBytes += size
            }
            let key = r.source.rawValue + "/" + r.productId
            if !seen.contains(key) {
                seen.insert(key)
                s.products += 1
                s.categories[r.category.rawValue, default: 0] += 1
                for (name, value) in attributeValues(r.attributes) {
                    s.attributes[name, default: [:]][value, default: 0] += 1
                }
                if let rel = r.relation { relations[rel, default: 0] += 1 }
            }
            sources[r.source.rawValue] = s
        }
        return WorldStats(sources: sources, relations: relations, totalProducts: seen.count, totalImages: records.count,
                         totalImageBytes: totalBytes)
    }

    /// The attribute values counted for a product.
    public static func attributeValues(_ a: Attributes) -> [(String, String)] {
        var out: [(String, String)] = [
            ("type", a.category.rawValue + "/" + a.type), ("metal", a.metal.rawValue), ("purity", a.purity.rawValue),
            ("plating", a.plating.rawValue), ("metalColor", a.metalColor), ("style", a.style.rawValue),
            ("craftsmanship", a.craftsmanship.rawValue), ("pattern", a.pattern.rawValue), ("setting", a.setting.rawValue),
            ("gemstone", a.gemstones.first?.type.rawValue ?? "none"),
            ("gemstoneCut", a.gemstones.first?.cut.rawValue ?? "none"),
            ("gemstoneColor", a.gemstones.first?.color ?? "none"),
        ]
        if let accent = a.gemstones.first(where: { $0.role == "accent" }) { out.append(("accentStones", accent.type.rawValue)) }
        return out
    }

    public func json() throws -> String {
        String(decoding: try jsonEncoder(pretty: true).encode(self), as: UTF8.self)
    }

    /// A plain-text report.
    public func text() -> String {
        var lines: [String] = []
        let order = ["aurelia", "northbridge", "marketplace"].filter { sources[$0] != nil }
        lines.append("Demo world: \(totalProducts) products, \(totalImages) images, \(formatBytes(totalImageBytes)) of images on disk")
        lines.append("")
        lines.append(row(["source", "products", "images", "rendered", "bytes"], [14, 9, 8, 9, 10]))
        for s in order {
            let c = sources[s]!
            lines.append(row([s, "\(c.products)", "\(c.images)", "\(c.imagesRendered)", formatBytes(c.imageBytes)], [14, 9, 8, 9, 10]))
        }
        if !relations.isEmpty {
            lines.append("")
            lines.append("marketplace relations: " + relations.keys.sorted().map { "\($0) \(relations[$0]!)" }.joined(separator: ", "))
        }
        lines.append("")
        lines.append("products per category")
        lines.append(row(["category"] + order, [12] + order.map { _ in 13 }))
        for c in Category.allCases.map(\.rawValue) {
            lines.append(row([c] + order.map { "\(sources[$0]!.categories[c] ?? 0)" }, [12] + order.map { _ in 13 }))
        }
        var names = Set<String>()
        for s in order { names.formUnion(sources[s]!.attributes.keys) }
        for name in names.sorted() {
            lines.append("")
            lines.append("\(name) (products)")
            var values = Set<String>()
            for s in order { values.formUnion(sources[s]!.attributes[name]?.keys ?? [:].keys) }
            for v in values.sorted() {
                lines.append(row(["  " + v] + order.map { "\(sources[$0]!.attributes[name]?[v] ?? 0)" },
                                 [28] + order.map { _ in 13 }))
            }
        }
        return lines.joined(separator: "\n")
    }

    private func row(_ cells: [String], _ widths: [Int]) -> String {
        zip(cells, widths).map { c, w in c.count >= w ? c + " " : c + String(repeating: " ", count: w - c.count) }
            .joined().trimmingCharacters(in: .whitespaces)
    }
}

func formatBytes(_ n: Int) -> String {
    if n >= 1 << 20 { return "\(n * 10 / (1 << 20) / 10).\(n * 10 / (1 << 20) % 10) MB" }
    if n >= 1 << 10 { return "\(n / (1 << 10)) KB" }
    return "\(n) B"
}
