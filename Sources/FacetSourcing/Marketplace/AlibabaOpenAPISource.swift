import Crypto
import FacetCore
import Foundation

/// Product search over an official open-platform API, shaped like the Alibaba.com Open
/// Platform: every call carries `app_key`, a millisecond `timestamp`, `sign_method=sha256`
/// and `sign` = upper-case hex HMAC-SHA256 (key: the app secret) over the API path followed
/// by each parameter's name and value, sorted by name. Answers are JSON.
public struct AlibabaOpenAPISource: MarketplaceSource {
    public let name = "api"
    public let baseURL: URL
    public let apiPath: String
    let appKey: String
    let appSecret: String
    let pageSize: Int
    let fetcher: PoliteFetcher

    public init(baseURL: URL, appKey: String, appSecret: String, fetcher: PoliteFetcher,
                apiPath: String = "/product/search", pageSize: Int = 20) {
        self.baseURL = baseURL
        self.appKey = appKey
        self.appSecret = appSecret
        self.fetcher = fetcher
        self.apiPath = apiPath
        self.pageSize = pageSize
    }

    public static func sign(path: String, parameters: [String: String], secret: String) -> String {
        let text = path + parameters.filter { $0.key != "sign" }.sorted { $0.key < $1.key }.map { $0.key + $0.value }.joined()
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02X", $0) }.joined()
    }

    public func requestURL(_ query: MarketplaceQuery, page: Int, now: Date = Date()) -> URL {
        var parameters = [
            "app_key": appKey, "timestamp": String(Int64(now.timeIntervalSince1970 * 1000)), "sign_method": "sha256",
            "keyword": AlibabaWebSource.searchText(query), "category": query.category.rawValue,
            "page_no": String(page), "page_size": String(pageSize), "currency": query.currency,
        ]
        if let max = query.maxPrice { parameters["max_price"] = AlibabaWebSource.decimal(max, currency: query.currency) }
        parameters["sign"] = Self.sign(path: apiPath, parameters: parameters, secret: appSecret)
        var components = URLComponents(url: baseURL.appendingPathComponent("rest" + apiPath), resolvingAgainstBaseURL: false)!
        components.queryItems = parameters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        // '+' is a space to most form decoders; send it encoded.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url!
    }

    public func search(_ query: MarketplaceQuery, page: Int) async throws -> MarketplacePage {
        let url = requestURL(query, page: page)
        let response = try await fetcher.get(url.absoluteString, kind: .api, headers: [("Accept", "application/json")])
        let root = try? JSONValue.parse(response.body)
        guard response.isSuccess, let root, root["code"]?.string ?? "0" == "0" else {
            let code = root?["code"]?.string ?? "HTTP \(response.status)"
            let message = root?["message"]?.string ?? ""
            if response.status == 429 || code == "ApiCallLimit" { throw MarketplaceError.http(429, "\(code) \(message)") }
            throw MarketplaceError.badResponse("\(code) \(message)".trimmingCharacters(in: .whitespaces))
        }
        guard let products = root["result"]?["products"]?.array else { throw MarketplaceError.badResponse("no result.products") }
        let now = Date()
        var listings: [MarketplaceListing] = []
        for product in products {
            let price = product["price"]
            let priceText = [price?["min"]?.string, price?["max"]?.string].compactMap { $0 }.joined(separator: "-") + " " + (price?["currency"]?.string ?? "")
            let moq = [product["moq"]?["quantity"]?.string, product["moq"]?["unit"]?.string].compactMap { $0 }.joined(separator: " ")
            let supplier = product["supplier"]
            let raw = RawOffer(offerId: product["product_id"]?.string ?? "", title: product["subject"]?.string ?? "", priceText: priceText,
                               moqText: moq, leadTimeText: product["lead_time"]?.string,
                               supplierName: supplier?["company_name"]?.string ?? "", supplierYears: supplier?["years"]?.string,
                               supplierRating: supplier?["rating"]?.string, supplierResponseRate: supplier?["response_rate"]?.string,
                               url: product["detail_url"]?.string ?? "",
                               imageURLs: ([product["main_image"]] + (product["images"]?.array ?? [])).compactMap { $0?.string })
            if let listing = ListingNormaliser.normalise(raw, source: name, category: query.category, baseURL: baseURL, now: now) {
                listings.append(listing)
            }
        }
        let total = root["result"]?["total_count"]?.string.flatMap { Int($0) } ?? 0
        return MarketplacePage(listings: listings, skipped: products.count - listings.count, hasMore: page * pageSize < total)
    }
}
