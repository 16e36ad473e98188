import FacetCore
@testable import FacetSourcing
import FacetStore
import Foundation
import Logging
import XCTest

final class MarketplaceServiceTests: XCTestCase {
    var root: URL!

    override func setUp() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("facet-market-\(UUID().uuidString)")
    }

    override func tearDown() { try? FileManager.default.removeItem(at: root) }

    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [0, 0, 0, 64, 0, 0, 0, 64, 8, 2, 0, 0, 0]

    final class Alerts: @unchecked Sendable {
        let lock = NSLock()
        var list: [MarketplaceAlert] = []
        func add(_ a: MarketplaceAlert) { lock.withLock { list.append(a) } }
        var all: [MarketplaceAlert] { lock.withLock { list } }
    }

    func makeService(_ market: FakeMarket, alerts: Alerts, settings: MarketplaceSettings = MarketplaceSettings(sources: ["web": true])) throws -> MarketplaceService {
        var options = MarketplaceService.Options()
        options.webURL = URL(string: "https://market.test")
        options.imageHosts = ["img.market.test"]
        options.defaults = settings
        options.transport = market.transport
        options.resolver = { _ in ["198.51.99.7"] }
        options.backoff = Backoff(base: 0.01, cap: 0.05, maxAttempts: 2)
        let database = try FacetDatabase(dataDirectory: root)
        return try MarketplaceService(database: database, imageStore: ImageStore(directory: root.appendingPathComponent("images")),
                                      options: options, logger: Logger(label: "test"), onAlert: alerts.add)
    }

    static func page(_ name: String) -> FakeMarket {
        let body = Array(((try? fixture(name)) ?? "").utf8)
        return FakeMarket { request, _ in
            if request.url.hasSuffix("/robots.txt") { return HTTPClientResponse(status: 404) }
            if request.url.contains("img.market.test") || request.url.contains("/img/") { return HTTPClientResponse(status: 200, body: png) }
            return HTTPClientResponse(status: 200, body: body)
        }
    }

    func collect(_ service: MarketplaceService, _ query: MarketplaceQuery) async -> (listings: [MarketplaceListing], end: MarketplaceEvent?) {
        var listings: [MarketplaceListing] = []
        var end: MarketplaceEvent?
        for await event in service.search(query) {
            if case let .listings(page) = event { listings += page } else {
                XCTAssertNil(end, "more than one closing event")
                end = event
            }
        }
        return (listings, end)
    }

    func testCaptchaPausesTheSourceAndRaisesOneAlert() async throws {
        let alerts = Alerts()
        let market = Self.page("captcha.html")
        let service = try makeService(market, alerts: alerts)
        let (listings, end) = await collect(service, MarketplaceQuery(category: .ring, keywords: ["gold"]))
        XCTAssertTrue(listings.isEmpty)
        guard case .paused? = end else { return XCTFail("ended with \(String(describing: end))") }
        XCTAssertEqual(alerts.all.map(\.kind), [.blocked])
        let status = try XCTUnwrap(service.status().first { $0.name == "web" })
        XCTAssertNotNil(status.pausedUntil)
        // While paused nothing is fetched: the next search ends at once.
        let before = market.requests.count
        let (_, again) = await collect(service, MarketplaceQuery(category: .ring, keywords: ["silver"]))
        guard case .paused? = again else { return XCTFail("\(String(describing: again))") }
        XCTAssertEqual(market.requests.count, before)
        XCTAssertTrue(service.resume(source: "web"))
        XCTAssertNil(service.status().first { $0.name == "web" }?.pausedUntil)
    }

    func testBuyerPriceLimitIsConvertedThroughTheMarkupAndListingsAreKept() async throws {
        let alerts = Alerts()
        let market = Self.page("results-json.html")
        var settings = MarketplaceSettings(sources: ["web": true])
        settings.maxPages = 1
        let service = try makeService(market, alerts: alerts, settings: settings)
        let markups = MarkupStore(database: try FacetDatabase(dataDirectory: root))
        _ = try markups.apply([(scope: MarkupStore.marketplaceScope(.ring), basisPoints: 2500)], actorId: "u_1", actorEmail: "ops@example.com")
        // Buyer limit $10.00 with 25 % markup → listed ceiling $8.00, asked as its price band's edge ($10.00).
        let (listings, end) = await collect(service, MarketplaceQuery(category: .ring, keywords: ["filigree ruby"], maxPrice: 1000))
        guard case let .finished(stats)? = end else { return XCTFail("\(String(describing: end))") }
        let search = try XCTUnwrap(market.urls(containing: "/trade/search").first?.url)
        XCTAssertTrue(search.contains("pricet=10.00"), search)
        // The $12.50 offer is over the ceiling even if the page offers it; $1.20 stays.
        XCTAssertEqual(listings.map(\.offerId), ["7001"])
        XCTAssertEqual(stats.filteredByPrice, 1)
        XCTAssertEqual(stats.skipped, 1)
        XCTAssertEqual(listings[0].imageFiles.count, 2)
        XCTAssertEqual(Set(listings[0].imageFiles).count, 1, "one photo stored once")
        // The buyer's range comes from the one pricing rule: $1.20 × 1.25 = $1.50, widened to whole dollars.
        XCTAssertEqual(listings[0].price, MoneyRange(min: 120, max: 350, currency: "USD"))
        XCTAssertEqual(try markups.table().approximate(listings[0].price, category: .ring), MoneyRange(min: 100, max: 500, currency: "USD"))
        XCTAssertEqual(try service.knownListings().map(\.id), listings.map(\.id))
        XCTAssertEqual(try service.listing(id: listings[0].id), listings[0])
        XCTAssertEqual(try service.listings(ids: [listings[0].id, "mk_unknown", listings[0].id]), [listings[0].id: listings[0]])
        XCTAssertEqual(try service.listings(ids: []), [:])

        // The same search again comes from the cache.
        let requests = market.requests.count
        let (cached, _) = await collect(service, MarketplaceQuery(category: .ring, keywords: ["filigree ruby"], maxPrice: 1000))
        XCTAssertEqual(cached, listings)
        XCTAssertEqual(market.requests.count, requests)
        XCTAssertEqual(service.status().first?.cacheHits, 1)
        // A nearby limit in the same band ($11.00 → $8.80 listed) shares the page and keeps its own ceiling.
        let (nearby, _) = await collect(service, MarketplaceQuery(category: .ring, keywords: ["filigree ruby"], maxPrice: 1100))
        XCTAssertEqual(nearby, listings)
        XCTAssertEqual(market.requests.count, requests)
    }

    func testConcurrentSearchesAskingTheSameShareOneFetch() async throws {
        let body = Array(try fixture("results-json.html").utf8)
        let market = FakeMarket { request, _ in
            if request.url.hasSuffix("/robots.txt") { return HTTPClientResponse(status: 404) }
            if request.url.contains("img.market.test") || request.url.contains("/img/") { return HTTPClientResponse(status: 200, body: Self.png) }
            // Slow enough that all five searches ask while the first fetch is in flight.
            Thread.sleep(forTimeInterval: 0.3)
            return HTTPClientResponse(status: 200, body: body)
        }
        var settings = MarketplaceSettings(sources: ["web": true])
        settings.maxPages = 1
        let service = try makeService(market, alerts: Alerts(), settings: settings)
        let query = MarketplaceQuery(category: .ring, keywords: ["filigree ruby"])
        let results = await withTaskGroup(of: [MarketplaceListing].self) { group in
            for _ in 0..<5 {
                group.addTask {
                    var found: [MarketplaceListing] = []
                    for await case let .listings(page) in service.search(query) { found += page }
                    return found
                }
            }
            return await group.reduce(into: [[MarketplaceListing]]()) { $0.append($1) }
        }
        XCTAssertEqual(market.urls(containing: "/trade/search").count, 1, "one page fetch for five searches")
        XCTAssertFalse(results[0].isEmpty)
        for r in results { XCTAssertEqual(Set(r.map(\.id)), Set(results[0].map(\.id))) }
        // Each photo fetched once, whoever asked first.
        let photos = market.requests.filter { $0.url.contains("img.market.test") || $0.url.contains("/img/") }.map(\.url)
        XCTAssertEqual(photos.count, Set(photos).count, "\(photos)")
        XCTAssertEqual(service.status().first?.requests, 1)
        XCTAssertEqual(service.status().first?.cacheHits, 4)
        // The background refresh asks again, past the cache.
        _ = await service.refresh(.ring, pages: 1) { _ in }
        XCTAssertEqual(market.urls(containing: "/trade/search").count, 2)
    }

    func testPriceBandsRoundUpToAFewEdgesPerDecade() {
        XCTAssertEqual(PriceBand.edge(above: 800), 1000)
        XCTAssertEqual(PriceBand.edge(above: 1000), 1000)
        XCTAssertEqual(PriceBand.edge(above: 1001), 1500)
        XCTAssertEqual(PriceBand.edge(above: 2999), 3000)
        XCTAssertEqual(PriceBand.edge(above: 7_600), 10_000)
        XCTAssertEqual(PriceBand.edge(above: 42), 50)
        XCTAssertEqual(PriceBand.edge(above: 1), 1)
        XCTAssertEqual(PriceBand.edge(above: 0), 0)
        XCTAssertEqual(PriceBand.edge(above: Int64.max), Int64.max)
        for ceiling: Int64 in [1, 7, 99, 101, 12_345, 999_999_999] {
            let edge = PriceBand.edge(above: ceiling)
            XCTAssertGreaterThanOrEqual(edge, ceiling)
            XCTAssertLessThanOrEqual(Double(edge), Double(ceiling) * 1.5 + 1)
        }
    }

    func testSettingsSavedBeforeTheBackgroundIndexReadAsOff() throws {
        var old = try JSONSerialization.jsonObject(with: JSONEncoder().encode(MarketplaceSettings())) as! [String: Any]
        for key in ["refreshMinutes", "refreshPages", "minLocalListings"] { old.removeValue(forKey: key) }
        let read = try JSONDecoder().decode(MarketplaceSettings.self, from: JSONSerialization.data(withJSONObject: old))
        XCTAssertEqual(read, MarketplaceSettings())
        XCTAssertFalse(read.answersLocally(freshListings: 10_000))
        var on = read
        on.refreshMinutes = 60
        on.minLocalListings = 100
        XCTAssertFalse(on.answersLocally(freshListings: 99))
        XCTAssertTrue(on.answersLocally(freshListings: 100))
        XCTAssertEqual(on.freshSeconds, 7200)
        on.refreshPages = 0
        XCTAssertThrowsError(try on.validate(knownSources: ["api", "web"])) { XCTAssertEqual(($0 as? ValidationFailure)?.field, "refreshPages") }
    }

    func testChangedMarkupFailsWithAnAlert() async throws {
        let alerts = Alerts()
        let service = try makeService(Self.page("changed-markup.html"), alerts: alerts)
        let (_, end) = await collect(service, MarketplaceQuery(category: .ring, keywords: []))
        guard case .failed? = end else { return XCTFail("\(String(describing: end))") }
        XCTAssertEqual(alerts.all.map(\.kind), [.layoutChanged])
    }

    func testSettingsAreValidatedPersistedAndAudited() async throws {
        let alerts = Alerts()
        let service = try makeService(Self.page("no-results.html"), alerts: alerts)
        var bad = service.settings
        bad.requestsPerSecond = 0
        do {
            try await service.update(bad, actorId: "u_1", actorEmail: "ops@example.com")
            XCTFail("accepted 0 requests per second")
        } catch let failure as ValidationFailure { XCTAssertEqual(failure.field, "requestsPerSecond") }
        var unknown = service.settings
        unknown.sources["ebay"] = true
        do { try await service.update(unknown, actorId: "u_1", actorEmail: "ops@example.com"); XCTFail() } catch is ValidationFailure {}

        var good = service.settings
        good.burst = 5
        good.categories = [.ring, .pendant]
        try await service.update(good, actorId: "u_1", actorEmail: "ops@example.com")
        XCTAssertEqual(service.settings.burst, 5)
        let audit = try service.audit()
        XCTAssertEqual(audit.count, 1)
        XCTAssertEqual(audit[0].actorEmail, "ops@example.com")
        XCTAssertEqual(audit[0].old.burst, 3)
        XCTAssertEqual(audit[0].new.burst, 5)
        // A category staff left out is not searched.
        let (_, end) = await collect(service, MarketplaceQuery(category: .bangle, keywords: []))
        guard case let .finished(stats)? = end else { return XCTFail() }
        XCTAssertEqual(stats.pages, 0)
    }
}
