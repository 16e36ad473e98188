import FacetCore
import Foundation
import Logging
import Metrics
import Synchronization

/// The only way marketplace code reaches the network. Every request, redirect hop and
/// robots.txt fetch goes through the same checks: an allowed host, a public address (the
/// resolved one, pinned for the connection), robots.txt, the per-host token bucket and
/// concurrency cap, and backoff with jitter on 429/5xx that honours Retry-After. One honest
/// User-Agent; nothing here varies identity to get past a refusal.
public final class PoliteFetcher: Sendable {
    public typealias Transport = @Sendable (HTTPClientRequest) async throws -> HTTPClientResponse
    public typealias Resolver = @Sendable (String) -> [String]

    /// Search pages and robots.txt share one bucket per host; photos (CDN) and API calls their own.
    public enum Kind: String, Sendable { case page, image, api }

    public struct Policy: Sendable {
        public var allowedHosts: Set<String>
        public var allowLoopback = false
        public var userAgent = "FacetSourcing/1 (+https://facet.example/sourcing-bot)"
        public var timeout: Double = 10
        public var backoff = Backoff(base: 0.5, cap: 30, maxAttempts: 4)
        public var robotsTTL: Double = 3600
        public var maxRedirects = 3

        public init(allowedHosts: Set<String>) { self.allowedHosts = Set(allowedHosts.map { $0.lowercased() }) }
    }

    public let policy: Policy
    let limiter: RateLimiter
    let transport: Transport
    let resolver: Resolver
    let logger: Logger
    private let limits: Mutex<[Kind: RateLimiter.Limits]>
    private let robots = Mutex<[String: (rules: RobotsRules, fetchedAt: Date)]>([:])
    private let counters = Mutex<(requests: Int, retries: Int)>((0, 0))

    public init(policy: Policy, limits: RateLimiter.Limits, logger: Logger, transport: Transport? = nil, resolver: Resolver? = nil) {
        self.policy = policy
        self.limiter = RateLimiter()
        self.limits = Mutex([.page: limits, .image: limits, .api: limits])
        let client = HTTPClient(userAgent: policy.userAgent)
        self.transport = transport ?? { try await client.send($0) }
        self.resolver = resolver ?? AddressPolicy.resolve
        self.logger = logger
    }

    public var requestCount: Int { counters.withLock { $0.requests } }

    public func setLimits(page: RateLimiter.Limits, image: RateLimiter.Limits, api: RateLimiter.Limits) {
        limits.withLock { $0 = [.page: page, .image: image, .api: api] }
    }

    public func forgetRobots() { robots.withLock { $0.removeAll() } }

    /// A checked GET. Redirects are followed by hand so every hop passes the same checks.
    public func get(_ urlString: String, kind: Kind, headers: [(String, String)] = [], maxBytes: Int = 4 << 20) async throws -> HTTPClientResponse {
        var current = urlString
        for _ in 0...policy.maxRedirects {
            let target = try check(current)
            if kind != .api, !(try await robotsAllow(target)) { throw MarketplaceError.robotsDisallowed(current) }
            let response = try await send(target, kind: kind, headers: headers, maxBytes: maxBytes)
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.headers["location"] else { return response }
            guard let next = URL(string: location, relativeTo: target.url)?.absoluteURL.absoluteString else {
                throw MarketplaceError.badResponse("unreadable redirect to \(location)")
            }
            current = next
        }
        throw MarketplaceError.refused("more than \(policy.maxRedirects) redirects from \(urlString)")
    }

    struct Target {
        let url: URL
        let host: String
        let port: Int
        let address: String
        var pathAndQuery: String {
            let path = url.path.isEmpty ? "/" : url.path
            return url.query.map { "\(path)?\($0)" } ?? path
        }
    }

    /// Scheme, allowed host, and a resolved address outside private, loopback and link-local ranges.
    func check(_ urlString: String) throws -> Target {
        guard let url = URL(string: urlString), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let rawHost = url.host, !rawHost.isEmpty else {
            throw MarketplaceError.refused("not an http(s) URL: \(urlString)")
        }
        let host = rawHost.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard url.user == nil, url.password == nil else { throw MarketplaceError.refused("credentials in URL") }
        guard policy.allowedHosts.contains(host) || policy.allowedHosts.contains("[\(host)]") else {
            throw MarketplaceError.refused("host \(host) is not a configured marketplace host")
        }
        let addresses = resolver(host)
        guard let first = addresses.first else { throw MarketplaceError.refused("\(host) does not resolve") }
        for address in addresses {
            let range = AddressPolicy.classify(address)
            guard AddressPolicy.allowed(range, allowLoopback: policy.allowLoopback) else {
                throw MarketplaceError.refused("\(host) resolves to \(address) (\(range.rawValue))")
            }
        }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        return Target(url: url, host: host, port: port, address: first)
    }

    func robotsAllow(_ target: Target) async throws -> Bool {
        let key = "\(target.url.scheme ?? "http")://\(target.host):\(target.port)"
        if let cached = robots.withLock({ $0[key] }), Date().timeIntervalSince(cached.fetchedAt) < policy.robotsTTL {
            return cached.rules.allows(target.pathAndQuery)
        }
        var rules = RobotsRules.allowAll
        do {
            let robotsURL = URL(string: "/robots.txt", relativeTo: target.url)!.absoluteURL
            let robotsTarget = try check(robotsURL.absoluteString)
            let response = try await send(robotsTarget, kind: .page, headers: [], maxBytes: 512 << 10)
            if response.isSuccess {
                rules = RobotsRules(parsing: String(decoding: response.body, as: UTF8.self), userAgent: policy.userAgent)
            } else if response.status >= 500 || response.status == 429 {
                rules = .disallowAll // RFC 9309: an unreachable robots.txt means "do not crawl"
            }
        } catch let error as MarketplaceError {
            throw error
        } catch {
            rules = .disallowAll
        }
        robots.withLock { $0[key] = (rules, Date()) }
        return rules.allows(target.pathAndQuery)
    }

    func send(_ target: Target, kind: Kind, headers: [(String, String)], maxBytes: Int) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: target.url.absoluteString, headers: headers, timeout: policy.timeout, maxBodyBytes: maxBytes)
        let pinned = target.address.contains(":") ? "[\(target.address)]" : target.address
        request.resolve = ["\(target.host):\(target.port):\(pinned)"]
        let key = "\(target.host)#\(kind.rawValue)"
        var attempt = 0
        while true {
            await limiter.acquire(key, limits: limits.withLock { $0[kind]! })
            counters.withLock { $0.requests += 1 }
            let result: Result<HTTPClientResponse, Error>
            do { result = .success(try await transport(request)) } catch { result = .failure(error) }
            await limiter.release(key)
            let outcome = (try? result.get()).map { "\($0.status / 100)xx" } ?? "error"
            Counter(label: "facet_marketplace_fetches_total", dimensions: [("kind", kind.rawValue), ("outcome", outcome)]).increment()
            var retryAfter: Double?
            switch result {
            case let .success(response):
                guard Backoff.shouldRetry(status: response.status), attempt + 1 < policy.backoff.maxAttempts else { return response }
                retryAfter = response.retryAfter
                // Asked to wait longer than we would: give up rather than come back early.
                if let retryAfter, retryAfter > policy.backoff.cap * 4 { return response }
            case let .failure(error):
                if case HTTPClientError.tooLarge = error { throw MarketplaceError.badResponse("\(error)") }
                guard attempt + 1 < policy.backoff.maxAttempts else { throw MarketplaceError.transport("\(error)") }
            }
            let wait = policy.backoff.delay(attempt: attempt, retryAfter: retryAfter, unit: Double.random(in: 0..<1))
            counters.withLock { $0.retries += 1 }
            logger.debug("marketplace retry", metadata: ["url": "\(target.url)", "attempt": "\(attempt + 1)", "wait": "\(wait)"])
            attempt += 1
            try await Task.sleep(for: .seconds(wait))
        }
    }
}
