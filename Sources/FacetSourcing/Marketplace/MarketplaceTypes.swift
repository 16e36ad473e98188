import FacetCore
import Foundation

/// What tier 2 asks the marketplace for. `maxPrice` is the buyer-facing limit (after our
/// markup); the service converts it back, so a source receives a copy whose `maxPrice` is
/// the listed-price ceiling.
public struct MarketplaceQuery: Sendable, Equatable, Hashable {
    public var category: Category
    public var keywords: [String]
    public var maxPrice: Int64?
    public var currency: String

    public init(category: Category, keywords: [String], maxPrice: Int64? = nil, currency: String = "USD") {
        self.category = category
        self.keywords = keywords
        self.maxPrice = maxPrice
        self.currency = currency
    }
}

/// One page of a source's answer: what normalised, and how many offers did not.
public struct MarketplacePage: Sendable, Equatable {
    public var listings: [MarketplaceListing]
    public var skipped: Int
    public var hasMore: Bool

    public init(listings: [MarketplaceListing], skipped: Int, hasMore: Bool) {
        self.listings = listings
        self.skipped = skipped
        self.hasMore = hasMore
    }
}

public struct MarketplaceSearchStats: Codable, Sendable, Equatable {
    public var source: String?
    public var pages: Int = 0
    public var listings: Int = 0
    public var skipped: Int = 0
    public var filteredByPrice: Int = 0
    public var cacheHits: Int = 0
    public var imagesStored: Int = 0
    public var imageFailures: Int = 0
    public var seconds: Double = 0
    public var firstResultSeconds: Double?

    public init(source: String? = nil) { self.source = source }
}

/// A search's progress. The stream always ends with exactly one of paused, failed or finished.
public enum MarketplaceEvent: Sendable {
    case listings([MarketplaceListing])
    case paused(String)
    case failed(String)
    case finished(MarketplaceSearchStats)
}

public struct MarketplaceAlert: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case blocked, layoutChanged, robotsDisallowed, failing }
    public var source: String
    public var kind: Kind
    public var message: String
    public var pausedUntil: Date?
    public var at: Date

    public init(source: String, kind: Kind, message: String, pausedUntil: Date?, at: Date = Date()) {
        self.source = source
        self.kind = kind
        self.message = message
        self.pausedUntil = pausedUntil
        self.at = at
    }
}

public struct MarketplaceSourceStatus: Codable, Sendable, Equatable {
    public var name: String
    public var enabled: Bool
    public var pausedUntil: Date?
    public var lastError: String?
    public var lastSuccessAt: Date?
    public var requests: Int
    public var cacheHits: Int
    public var listingsParsed: Int
    public var skipped: Int
}

public enum MarketplaceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A captcha or block page: stop asking, never work around it.
    case blocked(String)
    case refused(String)
    case robotsDisallowed(String)
    case layoutChanged(String)
    case http(Int, String)
    case transport(String)
    case badResponse(String)

    public var description: String {
        switch self {
        case let .blocked(why): "blocked by the marketplace: \(why)"
        case let .refused(why): "fetch refused by policy: \(why)"
        case let .robotsDisallowed(url): "robots.txt disallows \(url)"
        case let .layoutChanged(why): "result page not recognised (markup changed?): \(why)"
        case let .http(status, url): "HTTP \(status) from \(url)"
        case let .transport(why): why
        case let .badResponse(why): "bad response: \(why)"
        }
    }
}

public protocol MarketplaceSource: Sendable {
    var name: String { get }
    /// `query.maxPrice` is in listed prices here (the service has taken the markup off).
    func search(_ query: MarketplaceQuery, page: Int) async throws -> MarketplacePage
}
