import Foundation

/// What staff may change at run time (persisted, every change audited). Prices here are
/// listed (marketplace) prices in minor units of `currency`.
public struct MarketplaceSettings: Codable, Sendable, Equatable {
    /// Source name → enabled.
    public var sources: [String: Bool]
    public var categories: [Category]
    public var currency: String
    public var minListedPrice: Int64?
    public var maxListedPrice: Int64?
    /// Search-page requests per second per host, the bucket size, and requests in flight per host.
    public var requestsPerSecond: Double
    public var burst: Int
    public var concurrency: Int
    public var imageRequestsPerSecond: Double
    public var cacheTTLSeconds: Int
    /// How long a source stays paused after a captcha or block page.
    public var pauseSeconds: Int
    public var maxPages: Int
    public var imagesPerListing: Int
    /// The background sourcing index: every `refreshMinutes` each category is fetched again,
    /// `refreshPages` result pages deep, within the limits above (0: no background fetching).
    public var refreshMinutes: Int
    public var refreshPages: Int
    /// A search asks the marketplace live only while its category holds fewer fresh listings
    /// than this in the local index (0: always ask live).
    public var minLocalListings: Int

    public init(sources: [String: Bool] = ["api": true, "web": false], categories: [Category] = Category.allCases, currency: String = "USD",
                minListedPrice: Int64? = nil, maxListedPrice: Int64? = nil, requestsPerSecond: Double = 1, burst: Int = 3,
                concurrency: Int = 2, imageRequestsPerSecond: Double = 20, cacheTTLSeconds: Int = 900,
                pauseSeconds: Int = 1800, maxPages: Int = 3, imagesPerListing: Int = 2,
                refreshMinutes: Int = 0, refreshPages: Int = 5, minLocalListings: Int = 0) {
        self.sources = sources
        self.categories = categories
        self.currency = currency
        self.minListedPrice = minListedPrice
        self.maxListedPrice = maxListedPrice
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
        self.concurrency = concurrency
        self.imageRequestsPerSecond = imageRequestsPerSecond
        self.cacheTTLSeconds = cacheTTLSeconds
        self.pauseSeconds = pauseSeconds
        self.maxPages = maxPages
        self.imagesPerListing = imagesPerListing
        self.refreshMinutes = refreshMinutes
        self.refreshPages = refreshPages
        self.minLocalListings = minLocalListings
    }

    /// A listing fetched longer ago than this no longer counts as covering its category.
    public var freshSeconds: Double { Double(refreshMinutes > 0 ? 2 * refreshMinutes * 60 : 86_400) }

    /// Whether a search in a category holding `freshListings` skips the live marketplace query.
    public func answersLocally(freshListings: Int) -> Bool {
        refreshMinutes > 0 && minLocalListings > 0 && freshListings >= minLocalListings
    }

    public func validate(knownSources: Set<String>) throws {
        func fail(_ field: String, _ message: String) -> ValidationFailure { ValidationFailure(field: field, message: message) }
        if let unknown = sources.keys.first(where: { !knownSources.contains($0) }) {
            throw fail("sources", "Unknown source \(unknown); known: \(knownSources.sorted().joined(separator: ", ")).")
        }
        guard !categories.isEmpty else { throw fail("categories", "categories must name at least one category.") }
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw fail("currency", "currency must be an ISO 4217 code such as USD.")
        }
        if let min = minListedPrice, min < 0 { throw fail("minListedPrice", "minListedPrice must not be negative.") }
        if let max = maxListedPrice, max <= 0 { throw fail("maxListedPrice", "maxListedPrice must be positive.") }
        if let min = minListedPrice, let max = maxListedPrice, min > max {
            throw fail("minListedPrice", "minListedPrice must not exceed maxListedPrice.")
        }
        guard (0.05...50).contains(requestsPerSecond) else { throw fail("requestsPerSecond", "requestsPerSecond must be between 0.05 and 50.") }
        guard (1...50).contains(burst) else { throw fail("burst", "burst must be between 1 and 50.") }
        guard (1...16).contains(concurrency) else { throw fail("concurrency", "concurrency must be between 1 and 16.") }
        guard (0.1...200).contains(imageRequestsPerSecond) else {
            throw fail("imageRequestsPerSecond", "imageRequestsPerSecond must be between 0.1 and 200.")
        }
        guard (0...86_400).contains(cacheTTLSeconds) else { throw fail("cacheTTLSeconds", "cacheTTLSeconds must be between 0 and 86400.") }
        guard (1...604_800).contains(pauseSeconds) else { throw fail("pauseSeconds", "pauseSeconds must be between 1 and 604800.") }
        guard (1...10).contains(maxPages) else { throw fail("maxPages", "maxPages must be between 1 and 10.") }
        guard (0...5).contains(imagesPerListing) else { throw fail("imagesPerListing", "imagesPerListing must be between 0 and 5.") }
        guard (0...10_080).contains(refreshMinutes) else { throw fail("refreshMinutes", "refreshMinutes must be between 0 (off) and 10080.") }
        guard (1...20).contains(refreshPages) else { throw fail("refreshPages", "refreshPages must be between 1 and 20.") }
        guard (0...100_000).contains(minLocalListings) else {
            throw fail("minLocalListings", "minLocalListings must be between 0 (always ask live) and 100000.")
        }
    }
}

extension MarketplaceSettings {
    enum CodingKeys: String, CodingKey {
        case sources, categories, currency, minListedPrice, maxListedPrice, requestsPerSecond, burst, concurrency,
             imageRequestsPerSecond, cacheTTLSeconds, pauseSeconds, maxPages, imagesPerListing, refreshMinutes, refreshPages, minLocalListings
    }

    /// Settings saved before the background index existed have no refresh members: they read as off.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = MarketplaceSettings()
        self.init(sources: try c.decode([String: Bool].self, forKey: .sources), categories: try c.decode([Category].self, forKey: .categories),
                  currency: try c.decode(String.self, forKey: .currency),
                  minListedPrice: try c.decodeIfPresent(Int64.self, forKey: .minListedPrice),
                  maxListedPrice: try c.decodeIfPresent(Int64.self, forKey: .maxListedPrice),
                  requestsPerSecond: try c.decode(Double.self, forKey: .requestsPerSecond), burst: try c.decode(Int.self, forKey: .burst),
                  concurrency: try c.decode(Int.self, forKey: .concurrency),
                  imageRequestsPerSecond: try c.decode(Double.self, forKey: .imageRequestsPerSecond),
                  cacheTTLSeconds: try c.decode(Int.self, forKey: .cacheTTLSeconds), pauseSeconds: try c.decode(Int.self, forKey: .pauseSeconds),
                  maxPages: try c.decode(Int.self, forKey: .maxPages), imagesPerListing: try c.decode(Int.self, forKey: .imagesPerListing),
                  refreshMinutes: try c.decodeIfPresent(Int.self, forKey: .refreshMinutes) ?? d.refreshMinutes,
                  refreshPages: try c.decodeIfPresent(Int.self, forKey: .refreshPages) ?? d.refreshPages,
                  minLocalListings: try c.decodeIfPresent(Int.self, forKey: .minLocalListings) ?? d.minLocalListings)
    }
}

public struct MarketplaceAuditEntry: Codable, Sendable, Equatable {
    public var id: Int64
    public var at: Date
    public var actorId: String
    public var actorEmail: String
    public var old: MarketplaceSettings
    public var new: MarketplaceSettings

    public init(id: Int64, at: Date, actorId: String, actorEmail: String, old: MarketplaceSettings, new: MarketplaceSettings) {
        self.id = id
        self.at = at
        self.actorId = actorId
        self.actorEmail = actorEmail
        self.old = old
        self.new = new
    }
}
