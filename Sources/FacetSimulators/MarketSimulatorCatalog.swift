import FacetSourcing
import Foundation

/// The demo world's marketplace offers as the simulator serves them. The evaluation-only
/// ground truth in the seed file is never read into this.
struct MarketOffer: Sendable {
    let id: String
    let category: String
    let title: String
    let words: Set<String>
    let priceText: String
    let minPrice: Int64
    let maxPrice: Int64
    let moqText: String
    let leadTimeText: String
    let supplierName: String
    let yearsOnPlatform: Int
    let rating: Double
    let responseRate: String
    let images: [String]
    let url: String

    static func load(seeds: URL) throws -> [MarketOffer] {
        let data = try Data(contentsOf: seeds.appendingPathComponent("marketplace/listings.json"))
        let root = try JSONValue.parse(Array(data))
        return (root["listings"]?.array ?? []).compactMap { item -> MarketOffer? in
            guard let id = item["id"]?.string, let title = item["title"]?.string, let priceText = item["priceText"]?.string,
                  let price = ListingText.price(priceText) else { return nil }
            let supplier = item["supplier"]
            let images = ([item["mainImage"]?.string] + (item["extraImages"]?.array ?? []).map(\.string)).compactMap { $0 }
                .map { "/" + $0.replacingOccurrences(of: "seeds/", with: "") }
            return MarketOffer(
                id: id, category: item["category"]?.string ?? "other", title: title, words: Self.words(title), priceText: priceText,
                minPrice: price.min, maxPrice: price.max, moqText: item["moqText"]?.string ?? "1 piece",
                leadTimeText: item["leadTimeText"]?.string ?? "", supplierName: supplier?["name"]?.string ?? "",
                yearsOnPlatform: supplier?["yearsOnPlatform"]?.string.flatMap { Int($0) } ?? 0,
                rating: supplier?["rating"]?.string.flatMap { Double($0) } ?? 0, responseRate: supplier?["responseRate"]?.string ?? "",
                images: images, url: item["url"]?.string ?? "/product-detail/\(id).html")
        }
    }

    static func words(_ text: String) -> Set<String> {
        Set(text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
    }

    /// The price as a card shows it; some offers use the other common forms so parsers meet them all.
    var displayPrice: String {
        let low = AlibabaWebSourceFormat.decimal(minPrice), high = AlibabaWebSourceFormat.decimal(maxPrice)
        switch id.last {
        case "0": return "$\(low)"
        case "1": return "US $\(low) - \(high)"
        case "2": return "\(low) - \(high) USD"
        default: return priceText
        }
    }

    var displayMOQ: String { id.last == "3" ? "Min. order: \(moqText)" : moqText }
}

enum AlibabaWebSourceFormat {
    static func decimal(_ minor: Int64) -> String { "\(minor / 100).\(String(format: "%02d", Int(minor % 100)))" }
}

struct MarketSearch {
    var category: String?
    var keywords: Set<String>
    var minPrice: Int64?
    var maxPrice: Int64?

    static let ignored: Set<String> = ["ring", "rings", "necklace", "earring", "earrings", "bracelet", "pendant", "bangle", "other",
                                       "jewelry", "jewellery", "and", "with", "for", "the", "a"]

    init(category: String?, text: String, minPrice: String?, maxPrice: String?) {
        self.category = category.flatMap { $0.isEmpty ? nil : $0 }
        keywords = MarketOffer.words(text).subtracting(Self.ignored)
        self.minPrice = minPrice.flatMap { ListingText.price($0, defaultCurrency: "USD")?.min }
        self.maxPrice = maxPrice.flatMap { ListingText.price($0, defaultCurrency: "USD")?.min }
    }

    /// Offers in the category and price range, most keyword matches first.
    func run(_ offers: [MarketOffer]) -> [MarketOffer] {
        offers.compactMap { offer -> (MarketOffer, Int)? in
            if let category, offer.category != category { return nil }
            if let minPrice, offer.minPrice < minPrice { return nil }
            if let maxPrice, offer.minPrice > maxPrice { return nil }
            let score = keywords.intersection(offer.words).count
            if !keywords.isEmpty, score == 0 { return nil }
            return (offer, score)
        }
        .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.id < $1.0.id }
        .map(\.0)
    }
}
