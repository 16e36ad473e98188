import FacetCore
import Foundation

/// Alibaba-style result pages: `/trade/search?SearchText=…&CatId=…&pricet=…&page=N`,
/// category first, then attribute keywords, the price ceiling in listed prices.
public struct AlibabaWebSource: MarketplaceSource {
    public let name = "web"
    public let baseURL: URL
    /// Facet category → the marketplace's category id (defaults to the category's name).
    public let categoryIds: [Category: String]
    let fetcher: PoliteFetcher

    public init(baseURL: URL, fetcher: PoliteFetcher, categoryIds: [Category: String] = [:]) {
        self.baseURL = baseURL
        self.fetcher = fetcher
        self.categoryIds = categoryIds
    }

    public func searchURL(_ query: MarketplaceQuery, page: Int) -> URL {
        var components = URLComponents(url: baseURL.appendingPathComponent("trade/search"), resolvingAgainstBaseURL: false)!
        var items = [URLQueryItem(name: "SearchText", value: Self.searchText(query)),
                     URLQueryItem(name: "CatId", value: categoryIds[query.category] ?? query.category.rawValue)]
        if let max = query.maxPrice { items.append(URLQueryItem(name: "pricet", value: Self.decimal(max, currency: query.currency))) }
        items.append(URLQueryItem(name: "page", value: String(page)))
        components.queryItems = items
        return components.url!
    }

    static func searchText(_ query: MarketplaceQuery) -> String {
        var words = query.keywords.flatMap { $0.split(whereSeparator: \.isWhitespace).map { $0.lowercased() } }
        if !words.contains(query.category.rawValue) { words.append(query.category.rawValue) }
        var seen = Set<String>()
        return words.filter { seen.insert($0).inserted }.joined(separator: " ")
    }

    static func decimal(_ minor: Int64, currency: String) -> String {
        let exponent = ListingText.minorExponent(currency)
        guard exponent > 0 else { return String(minor) }
        let scale = Int64(pow(10, Double(exponent)))
        return "\(minor / scale).\(String(format: "%0\(exponent)d", Int(minor % scale)))"
    }

    public func search(_ query: MarketplaceQuery, page: Int) async throws -> MarketplacePage {
        let url = searchURL(query, page: page)
        let response = try await fetcher.get(url.absoluteString, kind: .page, headers: [("Accept", "text/html")])
        let body = String(decoding: response.body, as: UTF8.self)
        if let reason = BlockDetector.reason(status: response.status, body: body, location: response.headers["location"]) {
            throw MarketplaceError.blocked(reason)
        }
        guard response.isSuccess else { throw MarketplaceError.http(response.status, url.absoluteString) }
        let parsed = try ResultPageParser.parse(body)
        let now = Date()
        var listings: [MarketplaceListing] = []
        for offer in parsed.offers {
            if let listing = ListingNormaliser.normalise(offer, source: name, category: query.category, baseURL: url, now: now) {
                listings.append(listing)
            }
        }
        return MarketplacePage(listings: listings, skipped: parsed.malformed + parsed.offers.count - listings.count, hasMore: parsed.hasMore)
    }
}
