import FacetCore
@testable import FacetSourcing
import Foundation
import XCTest

func fixture(_ name: String) throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    return try String(contentsOf: url, encoding: .utf8)
}

final class MarketplacePageTests: XCTestCase {
    func testEmbeddedDataVariant() throws {
        let parsed = try ResultPageParser.parse(try fixture("results-json.html"))
        XCTAssertEqual(parsed.variant, "json")
        XCTAssertEqual(parsed.offers.count, 2)
        XCTAssertEqual(parsed.malformed, 1) // the offer without a price
        XCTAssertTrue(parsed.hasMore)
        let first = parsed.offers[0]
        XCTAssertEqual(first.offerId, "7001")
        XCTAssertEqual(first.priceText, "US $1.20-3.50")
        XCTAssertEqual(first.imageURLs, ["//img.market.test/7001-1.jpg", "//img.market.test/7001-2.jpg"])
        let listing = try XCTUnwrap(ListingNormaliser.normalise(first, source: "web", category: .ring, baseURL: URL(string: "https://market.test/trade/search")))
        XCTAssertEqual(listing.price, MoneyRange(min: 120, max: 350, currency: "USD"))
        XCTAssertEqual(listing.moq, Quantity(amount: 100, unit: "piece"))
        XCTAssertEqual(listing.leadTimeDays, DayRange(min: 12, max: 30))
        XCTAssertEqual(listing.supplier, Supplier(name: "Guangzhou Example Jewelry Co., Ltd.", yearsOnPlatform: 7, rating: 4.8, responseRate: 93))
        XCTAssertEqual(listing.url, "https://market.test/product-detail/7001.html")
        XCTAssertEqual(listing.attributes["gemstone"], "ruby")
        let second = try XCTUnwrap(ListingNormaliser.normalise(parsed.offers[1], source: "web", category: .ring, baseURL: nil))
        XCTAssertEqual(second.moq, Quantity(amount: 2, unit: "pair"))
        XCTAssertEqual(second.leadTimeDays, DayRange(min: 1, max: 7))
        XCTAssertEqual(second.supplier.rating, 4.1)
    }

    func testCardVariant() throws {
        let parsed = try ResultPageParser.parse(try fixture("results-cards.html"))
        XCTAssertEqual(parsed.variant, "html")
        XCTAssertEqual(parsed.offers.count, 3)
        XCTAssertEqual(parsed.malformed, 1) // no offer id
        XCTAssertFalse(parsed.hasMore)
        let pearl = parsed.offers[0]
        XCTAssertEqual(pearl.title, "Boho Freshwater Pearl & Rose Gold Drop Earrings")
        XCTAssertEqual(pearl.imageURLs.count, 3)
        let base = URL(string: "https://market.test/trade/search?page=2")
        let listings = parsed.offers.compactMap { ListingNormaliser.normalise($0, source: "web", category: .earring, baseURL: base) }
        XCTAssertEqual(listings.count, 2) // "Negotiable" has no price
        XCTAssertEqual(listings[0].price, MoneyRange(min: 120_000, max: 150_000, currency: "CNY"))
        XCTAssertEqual(listings[0].moq, Quantity(amount: 12, unit: "piece"))
        XCTAssertEqual(listings[0].leadTimeDays, DayRange(min: 7, max: 7))
        XCTAssertEqual(listings[0].supplier, Supplier(name: "Zhuji Pearl Works", yearsOnPlatform: 11, rating: 4.6, responseRate: 88))
        XCTAssertEqual(listings[0].imageURLs.first, "https://img.market.test/8101-1.jpg")
        XCTAssertEqual(listings[0].attributes["style"], "ethnic")
        XCTAssertEqual(listings[1].price, MoneyRange(min: 350, max: 420, currency: "EUR"))
        XCTAssertEqual(listings[1].moq, Quantity(amount: 1, unit: "set"))
        XCTAssertEqual(listings[1].leadTimeDays, DayRange(min: 14, max: 21))
        XCTAssertEqual(listings[1].supplier.name, "Lisbon Findings Lda")
        XCTAssertNil(listings[1].supplier.yearsOnPlatform)
    }

    func testBlockedChangedAndEmptyPages() throws {
        XCTAssertThrowsError(try ResultPageParser.parse(try fixture("captcha.html"))) { error in
            guard case .blocked? = error as? MarketplaceError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try ResultPageParser.parse(try fixture("changed-markup.html"))) { error in
            guard case .layoutChanged? = error as? MarketplaceError else { return XCTFail("\(error)") }
        }
        let empty = try ResultPageParser.parse(try fixture("no-results.html"))
        XCTAssertEqual(empty.offers.count, 0)
        XCTAssertFalse(empty.hasMore)
        XCTAssertThrowsError(try ResultPageParser.parse("<html><script>window.__INITIAL_DATA__ = {not json};</script></html>"))
        XCTAssertEqual(BlockDetector.reason(status: 403, body: ""), "HTTP 403 (access denied)")
        XCTAssertNotNil(BlockDetector.reason(status: 302, body: "", location: "https://market.test/_____tmd_____/punish?x=1"))
        XCTAssertNil(BlockDetector.reason(status: 200, body: try fixture("results-cards.html")))
    }

    func testOpenAPIResponseAndSignature() async throws {
        let body = Array(try fixture("api-search.json").utf8)
        let seen = Captured()
        let fetcher = PoliteFetcher(policy: .init(allowedHosts: ["api.market.test"]), limits: .init(ratePerSecond: 100, burst: 10, concurrency: 4),
                                    logger: .init(label: "test"), transport: { request in
                                        seen.set(request.url)
                                        return HTTPClientResponse(status: 200, body: body)
                                    }, resolver: { _ in ["203.0.114.10"] })
        let source = AlibabaOpenAPISource(baseURL: URL(string: "https://api.market.test")!, appKey: "k", appSecret: "s", fetcher: fetcher)
        let page = try await source.search(MarketplaceQuery(category: .pendant, keywords: ["14k halo"], maxPrice: 10_000), page: 1)
        XCTAssertEqual(page.listings.count, 1)
        XCTAssertEqual(page.skipped, 1)
        XCTAssertTrue(page.hasMore) // 41 results, 20 a page
        XCTAssertEqual(page.listings[0].price, MoneyRange(min: 8800, max: 12050, currency: "USD"))
        XCTAssertEqual(page.listings[0].moq, Quantity(amount: 5, unit: "piece"))
        XCTAssertEqual(page.listings[0].supplier.yearsOnPlatform, 9)
        let url = try XCTUnwrap(URLComponents(string: seen.get()!))
        var parameters: [String: String] = [:]
        for item in url.queryItems ?? [] { parameters[item.name] = item.value }
        XCTAssertEqual(parameters["max_price"], "100.00")
        XCTAssertEqual(parameters["keyword"], "14k halo pendant")
        XCTAssertEqual(parameters["sign"], AlibabaOpenAPISource.sign(path: "/product/search", parameters: parameters, secret: "s"))
        XCTAssertNotEqual(parameters["sign"], AlibabaOpenAPISource.sign(path: "/product/search", parameters: parameters, secret: "other"))
        // Known vector: HMAC-SHA256("secret", "/p" + "a1b2"), upper-case hex.
        XCTAssertEqual(AlibabaOpenAPISource.sign(path: "/p", parameters: ["b": "2", "a": "1", "sign": "x"], secret: "secret").count, 64)
    }

    func testWebSearchURLCarriesCategoryKeywordsAndListedCeiling() {
        let fetcher = PoliteFetcher(policy: .init(allowedHosts: ["market.test"]), limits: .init(ratePerSecond: 1, burst: 1, concurrency: 1),
                                    logger: .init(label: "test"))
        let source = AlibabaWebSource(baseURL: URL(string: "https://market.test")!, fetcher: fetcher)
        let url = source.searchURL(MarketplaceQuery(category: .ring, keywords: ["18k gold vintage filigree ruby ring"], maxPrice: 23076), page: 2)
        XCTAssertEqual(url.absoluteString,
                       "https://market.test/trade/search?SearchText=18k%20gold%20vintage%20filigree%20ruby%20ring&CatId=ring&pricet=230.76&page=2")
    }
}

final class Captured: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    func set(_ v: String) { lock.lock(); value = v; lock.unlock() }
    func get() -> String? { lock.lock(); defer { lock.unlock() }; return value }
}
