import FacetCore
@testable import FacetSourcing
import Foundation
import Logging
import XCTest

/// A scripted transport that records when each request was sent.
final class FakeMarket: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [(url: String, at: Date)] = []
    private let answer: @Sendable (HTTPClientRequest, Int) -> HTTPClientResponse

    init(_ answer: @escaping @Sendable (HTTPClientRequest, Int) -> HTTPClientResponse) { self.answer = answer }

    var transport: PoliteFetcher.Transport {
        { request in
            let n = self.lock.withLock { () -> Int in
                self.log.append((request.url, Date()))
                return self.log.count
            }
            return self.answer(request, n)
        }
    }

    var requests: [(url: String, at: Date)] { lock.withLock { log } }
    func urls(containing text: String) -> [(url: String, at: Date)] { requests.filter { $0.url.contains(text) } }
}

func fetcher(_ market: FakeMarket, hosts: Set<String> = ["market.test"], addresses: [String: [String]] = [:], allowLoopback: Bool = false,
             limits: RateLimiter.Limits = .init(ratePerSecond: 100, burst: 100, concurrency: 8), backoff: Backoff = Backoff(base: 0.01, cap: 0.05, maxAttempts: 4)) -> PoliteFetcher {
    var policy = PoliteFetcher.Policy(allowedHosts: hosts)
    policy.allowLoopback = allowLoopback
    policy.backoff = backoff
    return PoliteFetcher(policy: policy, limits: limits, logger: Logger(label: "test"), transport: market.transport,
                         resolver: { host in addresses[host] ?? ["198.51.99.7"] })
}

final class MarketplaceFetchTests: XCTestCase {
    let ok = FakeMarket { _, _ in HTTPClientResponse(status: 200, body: Array("ok".utf8)) }

    func assertRefused(_ f: PoliteFetcher, _ url: String, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            _ = try await f.get(url, kind: .page)
            XCTFail("\(url) was fetched", file: file, line: line)
        } catch let error as MarketplaceError {
            guard case .refused = error else { return XCTFail("\(error)", file: file, line: line) }
        } catch { XCTFail("\(error)", file: file, line: line) }
    }

    func testAddressRanges() {
        for ip in ["10.0.0.5", "172.16.3.4", "192.168.1.1", "100.64.0.1", "fd00::1", "fc12::3"] {
            XCTAssertEqual(AddressPolicy.classify(ip), .privateNetwork, ip)
        }
        for ip in ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"] { XCTAssertEqual(AddressPolicy.classify(ip), .loopback, ip) }
        for ip in ["169.254.169.254", "fe80::1"] { XCTAssertEqual(AddressPolicy.classify(ip), .linkLocal, ip) }
        for ip in ["0.0.0.0", "::", "224.0.0.1", "255.255.255.255", "not an ip"] { XCTAssertEqual(AddressPolicy.classify(ip), .reserved, ip) }
        for ip in ["47.246.136.1", "8.8.8.8", "2a00:1450:4001::1"] { XCTAssertEqual(AddressPolicy.classify(ip), .publicAddress, ip) }
        XCTAssertEqual(AddressPolicy.classify("::ffff:10.1.2.3"), .privateNetwork)
    }

    func testPrivateLoopbackLinkLocalAndUnlistedHostsAreRefused() async {
        let hosts: Set<String> = ["market.test", "inside.test", "meta.test", "loop.test", "10.1.2.3", "127.0.0.1", "169.254.169.254", "::1"]
        let f = fetcher(ok, hosts: hosts, addresses: [
            "inside.test": ["10.1.2.3"], "meta.test": ["169.254.169.254"], "loop.test": ["127.0.0.1"],
            "10.1.2.3": ["10.1.2.3"], "127.0.0.1": ["127.0.0.1"], "169.254.169.254": ["169.254.169.254"], "::1": ["::1"],
            "market.test": ["198.51.99.7", "192.168.0.9"],
        ])
        await assertRefused(f, "http://10.1.2.3/trade/search")
        await assertRefused(f, "http://127.0.0.1:8080/trade/search")
        await assertRefused(f, "http://169.254.169.254/latest/meta-data/")
        await assertRefused(f, "http://[::1]:8080/trade/search")
        await assertRefused(f, "http://inside.test/trade/search") // an allowed name that resolves inside
        await assertRefused(f, "http://meta.test/")
        await assertRefused(f, "http://loop.test/")
        await assertRefused(f, "http://market.test/") // one of its addresses is private
        await assertRefused(f, "http://elsewhere.test/trade/search") // not a marketplace host
        await assertRefused(f, "file:///etc/passwd")
        await assertRefused(f, "http://user:pw@market.test/")
        XCTAssertEqual(ok.requests.count, 0)
    }

    func testLoopbackOnlyWhenAllowedAndConnectionPinned() async throws {
        let seen = FakeMarket { request, _ in HTTPClientResponse(status: 200, body: Array(request.resolve.joined().utf8)) }
        let f = fetcher(seen, hosts: ["127.0.0.1"], addresses: ["127.0.0.1": ["127.0.0.1"]], allowLoopback: true)
        let response = try await f.get("http://127.0.0.1:9000/trade/search", kind: .page)
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "127.0.0.1:9000:127.0.0.1")
        // Loopback stays refused for other private ranges even then.
        let g = fetcher(seen, hosts: ["market.test"], addresses: ["market.test": ["10.0.0.1"]], allowLoopback: true)
        await assertRefused(g, "http://market.test/")
    }

    func testRedirectToAPrivateAddressIsRefused() async {
        let market = FakeMarket { request, _ in
            request.url.hasSuffix("/robots.txt") ? HTTPClientResponse(status: 404)
                : HTTPClientResponse(status: 302, headers: ["location": "http://169.254.169.254/latest/meta-data/"])
        }
        let f = fetcher(market, hosts: ["market.test", "169.254.169.254"], addresses: ["169.254.169.254": ["169.254.169.254"]])
        await assertRefused(f, "http://market.test/trade/search")
        XCTAssertFalse(market.requests.contains { $0.url.contains("169.254") })
        let offsite = FakeMarket { request, _ in
            request.url.hasSuffix("/robots.txt") ? HTTPClientResponse(status: 404)
                : HTTPClientResponse(status: 301, headers: ["location": "https://attacker.test/x"])
        }
        await assertRefused(fetcher(offsite), "http://market.test/trade/search")
    }

    func testRobotsTxtIsHonouredAndCached() async throws {
        let market = FakeMarket { request, _ in
            if request.url.hasSuffix("/robots.txt") {
                return HTTPClientResponse(status: 200, body: Array("User-agent: *\nDisallow: /product-detail/\nDisallow: /trade/search?*tracelog=\n\nUser-agent: OtherBot\nDisallow: /\n".utf8))
            }
            return HTTPClientResponse(status: 200)
        }
        let f = fetcher(market)
        _ = try await f.get("http://market.test/trade/search?SearchText=ring", kind: .page)
        for url in ["http://market.test/product-detail/1.html", "http://market.test/trade/search?q=1&tracelog=x"] {
            do {
                _ = try await f.get(url, kind: .page)
                XCTFail("robots.txt should refuse \(url)")
            } catch MarketplaceError.robotsDisallowed {}
        }
        XCTAssertEqual(market.urls(containing: "robots.txt").count, 1)
        XCTAssertEqual(market.urls(containing: "product-detail").count, 0)

        let rules = RobotsRules(parsing: "User-agent: facetsourcing\nAllow: /trade/\nDisallow: /\nUser-agent: *\nDisallow: /trade/", userAgent: "FacetSourcing/1")
        XCTAssertTrue(rules.allows("/trade/search?x=1"))
        XCTAssertFalse(rules.allows("/images/a.jpg"))
        let anchored = RobotsRules(parsing: "User-agent: *\nDisallow: /*.php$\nAllow: /a/$", userAgent: "x")
        XCTAssertFalse(anchored.allows("/index.php"))
        XCTAssertTrue(anchored.allows("/index.php?x"))
        XCTAssertTrue(anchored.allows("/anything"))
    }

    func testAnUnreachableRobotsTxtMeansDoNotCrawl() async {
        let market = FakeMarket { _, _ in HTTPClientResponse(status: 503) }
        let f = fetcher(market, backoff: .noRetry)
        do {
            _ = try await f.get("http://market.test/trade/search", kind: .page)
            XCTFail("fetched without a robots.txt")
        } catch MarketplaceError.robotsDisallowed {} catch { XCTFail("\(error)") }
    }

    func testTokenBucketHoldsTheRateUnderABurstOfSearches() async throws {
        let market = FakeMarket { _, _ in HTTPClientResponse(status: 200) }
        let rate = 4.0, burst = 2
        let f = fetcher(market, limits: .init(ratePerSecond: rate, burst: burst, concurrency: 3))
        let started = Date()
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<14 { group.addTask { _ = try? await f.get("http://market.test/trade/search?page=\(i)", kind: .api) } }
        }
        let times = market.requests.map { $0.at.timeIntervalSince(started) }.sorted()
        XCTAssertEqual(times.count, 14)
        // 14 requests, 2 at once then 4 a second: at least 3 s.
        XCTAssertGreaterThanOrEqual(times.last!, Double(14 - burst) / rate - 0.05)
        for (i, t) in times.enumerated() {
            let inWindow = times[i...].prefix { $0 < t + 1 }.count
            XCTAssertLessThanOrEqual(inWindow, Int(rate) + burst, "more than rate + burst requests within a second")
        }
    }

    func testBackoffHonoursRetryAfterThenSucceeds() async throws {
        let market = FakeMarket { _, n in
            n == 1 ? HTTPClientResponse(status: 429, headers: ["retry-after": "1"]) : HTTPClientResponse(status: 200, body: [1])
        }
        let f = fetcher(market, backoff: Backoff(base: 0.01, cap: 0.5, maxAttempts: 3))
        let started = Date()
        let response = try await f.get("http://market.test/rest/x", kind: .api)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(market.requests.count, 2)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.95)

        // A Retry-After beyond what we would wait ends the request instead of an early retry.
        let patient = FakeMarket { _, _ in HTTPClientResponse(status: 429, headers: ["retry-after": "3600"]) }
        let p = fetcher(patient, backoff: Backoff(base: 0.01, cap: 0.5, maxAttempts: 3))
        let refused = try await p.get("http://market.test/rest/x", kind: .api)
        XCTAssertEqual(refused.status, 429)
        XCTAssertEqual(patient.requests.count, 1)

        let failing = FakeMarket { _, _ in HTTPClientResponse(status: 503) }
        let g = fetcher(failing, backoff: Backoff(base: 0.02, cap: 0.1, maxAttempts: 4))
        let last = try await g.get("http://market.test/rest/x", kind: .api)
        XCTAssertEqual(last.status, 503)
        XCTAssertEqual(failing.requests.count, 4)
        let gaps = zip(failing.requests.dropFirst(), failing.requests).map { $0.at.timeIntervalSince($1.at) }
        XCTAssertTrue(gaps.allSatisfy { $0 <= 0.2 }, "jittered waits stay under the cap: \(gaps)")
    }

    func testImageDimensionsFromHeaders() {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        png += [0, 0, 0x01, 0x40, 0, 0, 0, 0xF0] + [8, 2, 0, 0, 0]
        XCTAssertEqual(ImageDimensions.read(png)?.width, 320)
        XCTAssertEqual(ImageDimensions.read(png)?.height, 240)
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0x4E, 0x20, 0x75, 0x30, 3, 0, 0, 0, 0]
        XCTAssertEqual(ImageDimensions.read(jpeg)?.width, 30000)
        XCTAssertEqual(ImageDimensions.read(jpeg)?.height, 20000)
        XCTAssertNil(ImageDimensions.read(Array("GIF89a".utf8)))
    }
}
