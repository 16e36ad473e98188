import FacetHTTP
import FacetSourcing
import Foundation
import Logging
import Synchronization

/// A wholesale marketplace for the demo and the tests: search result pages in both shapes,
/// an open-platform style signed JSON API, photos, robots.txt, and fault switches at
/// `/_control` (latency, 429 with Retry-After, captcha page, malformed cards, changed
/// markup, dropped connections).
public final class MarketSimulator: HTTPResponder, Sendable {
    public struct Faults: Codable, Sendable, Equatable {
        public var latencyMinMs = 0
        public var latencyMaxMs = 0
        /// The next N search or API requests answer 429.
        public var rateLimit = 0
        public var retryAfter = 1
        /// Every search page is a verification (captcha) page until cleared.
        public var captcha = false
        /// The first N offers of each page lack a readable price.
        public var malformedCards = 0
        /// Cards under other class names and no data blob: what a redesign looks like to a parser.
        public var changedMarkup = false
        /// The next N search or API requests get a broken answer and a closed connection.
        public var dropConnections = 0
        /// "json", "html", or "mixed" (odd pages JSON, even pages cards).
        public var variant = "mixed"
        public var robots = MarketSimulator.defaultRobots

        public init() {}
    }

    public struct Options: Sendable {
        public var seeds: URL
        public var appKey = "demo-app-key"
        public var appSecret = "demo-app-secret"
        public var faults = Faults()
        public var pageSize = 20

        public init(seeds: URL) { self.seeds = seeds }
    }

    public static let defaultRobots = """
        # Result pages may be read slowly; offer detail pages and internal paths may not.
        User-agent: *
        Disallow: /product-detail/
        Disallow: /_control
        Allow: /trade/search
        Allow: /images/

        """

    struct Counters: Codable, Sendable {
        var searchRequests = 0
        var apiRequests = 0
        var robotsRequests = 0
        var imageRequests = 0
        var detailRequests = 0
        var blocked = 0
        var refusedSignatures = 0
        var lastSearch: [String: String] = [:]
        var userAgents: [String] = []
        /// Seconds since the simulator started, of each search or API request (last 500).
        var requestTimes: [Double] = []
    }

    let options: Options
    let offers: [MarketOffer]
    let logger: Logger
    let started = Date()
    let faults: Mutex<Faults>
    let counters = Mutex(Counters())

    public init(options: Options, logger: Logger) throws {
        self.options = options
        self.logger = logger
        self.offers = try MarketOffer.load(seeds: options.seeds)
        self.faults = Mutex(options.faults)
    }

    public var offerCount: Int { offers.count }
    public func setFaults(_ new: Faults) { faults.withLock { $0 = new } }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        let path = request.path
        if path == "/_control" || path.hasPrefix("/_control/") { return control(request) }
        if path == "/health" { return json(200, .object(["ok": .bool(true)])) }
        if path == "/robots.txt" {
            counters.withLock { $0.robotsRequests += 1 }
            return HTTPResponse(status: 200, contentType: "text/plain; charset=utf-8", body: Array(faults.withLock { $0.robots }.utf8))
        }
        if path.hasPrefix("/images/marketplace/") { return image(path) }
        if path.hasPrefix("/product-detail/") {
            counters.withLock { $0.detailRequests += 1 }
            return HTTPResponse(status: 200, contentType: "text/html; charset=utf-8", body: Array(MarketPages.head("Offer").utf8) + Array("</body></html>".utf8))
        }
        let isSearch = path == "/trade/search", isAPI = path == "/rest/product/search"
        guard isSearch || isAPI else { return json(404, .object(["code": .string("NotFound"), "message": .string("No route \(path).")])) }
        let now = Date().timeIntervalSince(started)
        let (f, drop, limited) = faults.withLock { f -> (Faults, Bool, Bool) in
            if f.dropConnections > 0 { f.dropConnections -= 1; return (f, true, false) }
            if f.rateLimit > 0 { f.rateLimit -= 1; return (f, false, true) }
            return (f, false, false)
        }
        counters.withLock { c in
            if isSearch { c.searchRequests += 1 } else { c.apiRequests += 1 }
            c.lastSearch = request.query
            c.requestTimes.append(now)
            if c.requestTimes.count > 500 { c.requestTimes.removeFirst(c.requestTimes.count - 500) }
            if let agent = request.header("user-agent"), !c.userAgents.contains(agent), c.userAgents.count < 20 { c.userAgents.append(agent) }
        }
        let low = max(0, f.latencyMinMs), high = max(low, f.latencyMaxMs)
        if high > 0 { try? await Task.sleep(nanoseconds: UInt64(Int.random(in: low...high)) * 1_000_000) }
        if drop {
            // A conflicting second length makes the client discard the answer, as with a connection cut mid-transfer.
            var response = HTTPResponse(status: 200, contentType: "text/html", headers: [("content-length", "999999")], body: Array("<html>".utf8))
            response.closeConnection = true
            return response
        }
        if limited {
            let body: JSONValue = .object(["code": .string("ApiCallLimit"), "message": .string("Too many requests.")])
            return HTTPResponse(status: 429, contentType: isAPI ? "application/json" : "text/html",
                                headers: [("retry-after", String(f.retryAfter))],
                                body: isAPI ? body.encoded() : Array("<html><body>Too many requests.</body></html>".utf8))
        }
        return isSearch ? searchPage(request, faults: f) : api(request, faults: f)
    }

    func searchPage(_ request: HTTPRequest, faults f: Faults) -> HTTPResponse {
        if f.captcha {
            counters.withLock { $0.blocked += 1 }
            return HTTPResponse(status: 200, contentType: "text/html; charset=utf-8", body: Array(MarketPages.captcha.utf8))
        }
        let q = request.query
        let search = MarketSearch(category: q["CatId"], text: q["SearchText"] ?? "", minPrice: q["pricef"], maxPrice: q["pricet"])
        let found = search.run(offers)
        let page = max(1, Int(q["page"] ?? "") ?? 1)
        let size = options.pageSize
        let slice = found.dropFirst((page - 1) * size).prefix(size)
        let useJSON = !f.changedMarkup && (f.variant == "json" || (f.variant == "mixed" && page % 2 == 1))
        let html = useJSON
            ? MarketPages.json(slice, page: page, pageSize: size, total: found.count, query: q["SearchText"] ?? "", malformed: f.malformedCards)
            : MarketPages.cards(slice, page: page, pageSize: size, total: found.count, query: q["SearchText"] ?? "",
                                malformed: f.malformedCards, changedMarkup: f.changedMarkup)
        return HTTPResponse(status: 200, contentType: "text/html; charset=utf-8", body: Array(html.utf8))
    }

    func api(_ request: HTTPRequest, faults f: Faults) -> HTTPResponse {
        let q = request.query
        func refuse(_ code: String, _ message: String) -> HTTPResponse {
            counters.withLock { $0.refusedSignatures += 1 }
            return json(400, .object(["code": .string(code), "message": .string(message), "request_id": .string(UUID().uuidString.lowercased())]))
        }
        guard q["app_key"] == options.appKey else { return refuse("InvalidAppKey", "Unknown app_key.") }
        guard let stamp = q["timestamp"].flatMap({ Double($0) }), abs(Date().timeIntervalSince1970 * 1000 - stamp) < 300_000 else {
            return refuse("InvalidTimestamp", "timestamp must be within 5 minutes.")
        }
        guard q["sign_method"] == "sha256", let sign = q["sign"],
              sign == AlibabaOpenAPISource.sign(path: "/product/search", parameters: q, secret: options.appSecret) else {
            return refuse("IncompleteSignature", "The request signature does not conform to platform standards.")
        }
        let search = MarketSearch(category: q["category"], text: q["keyword"] ?? "", minPrice: q["min_price"], maxPrice: q["max_price"])
        let found = search.run(offers)
        let page = max(1, Int(q["page_no"] ?? "") ?? 1)
        let size = min(50, max(1, Int(q["page_size"] ?? "") ?? 20))
        return json(200, MarketPages.api(found.dropFirst((page - 1) * size).prefix(size), page: page, pageSize: size, total: found.count))
    }

    func image(_ path: String) -> HTTPResponse {
        counters.withLock { $0.imageRequests += 1 }
        let name = String(path.dropFirst("/images/marketplace/".count))
        guard !name.contains("/"), !name.hasPrefix("."),
              let data = try? Data(contentsOf: options.seeds.appendingPathComponent("images/marketplace").appendingPathComponent(name)) else {
            return json(404, .object(["code": .string("NotFound"), "message": .string("No image.")]))
        }
        return HTTPResponse(status: 200, contentType: name.hasSuffix(".png") ? "image/png" : "image/jpeg",
                            headers: [("cache-control", "public, max-age=86400")], body: Array(data))
    }

    func control(_ request: HTTPRequest) -> HTTPResponse {
        switch request.method {
        case .GET:
            return json(200, status())
        case .POST:
            guard let patch = try? JSONValue.parse(request.body), case let .object(fields) = patch else {
                return json(400, .object(["code": .string("bad_json"), "message": .string("Send a JSON object of fault switches.")]))
            }
            faults.withLock { f in
                if case .bool(true)? = fields["reset"] { f = Faults() }
                if case .bool(true)? = fields["resetCounters"] { counters.withLock { $0 = Counters() } }
                func int(_ key: String) -> Int? { fields[key]?.string.flatMap { Int($0) } }
                func bool(_ key: String) -> Bool? { if case let .bool(b)? = fields[key] { return b }; return nil }
                f.latencyMinMs = int("latencyMinMs") ?? f.latencyMinMs
                f.latencyMaxMs = int("latencyMaxMs") ?? f.latencyMaxMs
                f.rateLimit = int("rateLimit") ?? f.rateLimit
                f.retryAfter = int("retryAfter") ?? f.retryAfter
                f.captcha = bool("captcha") ?? f.captcha
                f.malformedCards = int("malformedCards") ?? f.malformedCards
                f.changedMarkup = bool("changedMarkup") ?? f.changedMarkup
                f.dropConnections = int("dropConnections") ?? f.dropConnections
                if let variant = fields["variant"]?.string, ["json", "html", "mixed"].contains(variant) { f.variant = variant }
                if let robots = fields["robots"]?.string { f.robots = robots }
            }
            return json(200, status())
        default:
            return json(405, .object(["code": .string("method_not_allowed"), "message": .string("GET or POST.")]))
        }
    }

    func status() -> JSONValue {
        let f = faults.withLock { $0 }
        let c = counters.withLock { $0 }
        func value<T: Encodable>(_ v: T) -> JSONValue { (try? JSONValue.parse(Array(JSONEncoder().encode(v)))) ?? .null }
        return .object(["offers": .number(Double(offers.count)), "faults": value(f), "counters": value(c)])
    }

    func json(_ status: Int, _ value: JSONValue) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "application/json", body: value.encoded())
    }
}
