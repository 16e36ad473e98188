import FacetCore
import FacetSourcing
import FacetStore
import Foundation
import Logging
import Synchronization

/// What staff see of the background sourcing index for one category.
public struct SourcingCoverage: Codable, Sendable, Equatable {
    public var category: Category
    /// Whether tier 2 searches the category at all (the settings' categories).
    public var searched: Bool
    public var listings: Int
    /// Listings fetched within the freshness window (twice the refresh interval; a day when off).
    public var fresh: Int
    public var newestFetchedAt: Date?
    public var oldestFetchedAt: Date?
    public var lastRefreshAt: Date?
    public var lastRefreshListings: Int?
    public var lastRefreshError: String?
    public var nextRefreshAt: Date?
    /// Whether a search in this category is answered from the index without a live query now.
    public var answersLocally: Bool
}

/// The background sourcing index: keeps each category's marketplace listings fresh on a
/// schedule (within the source's politeness limits) and indexed with their photos, so that a
/// search answers tier 2 from the index and asks the marketplace live only where it is thin.
public final class SourcingIndex: Sendable {
    struct Refresh { var at: Date; var listings: Int; var error: String? }

    let marketplace: MarketplaceService
    let indexer: SearchIndexer
    let logger: Logger
    private let refreshes = Mutex<[Category: Refresh]>([:])
    private let counts = Mutex<(at: Date, byCategory: [Category: ListingCounts])?>(nil)
    private let loop = Mutex<Task<Void, Never>?>(nil)
    /// Refreshes run one at a time in the order asked (the last one queued, and the categories
    /// waiting), so that staff asking for several never put more than one page ahead of a buyer.
    private let queue = Mutex<(tail: Task<Void, Never>?, waiting: Set<Category>)>((nil, []))

    public init(marketplace: MarketplaceService, indexer: SearchIndexer, logger: Logger) {
        self.marketplace = marketplace
        self.indexer = indexer
        self.logger = logger
    }

    /// Checks every `tick` seconds which categories are due and refreshes them one at a time.
    public func start(tick: Double = 30) {
        let task = Task.detached { [self] in
            while !Task.isCancelled {
                await refreshDue()
                try? await Task.sleep(for: .seconds(tick))
            }
        }
        loop.withLock { $0?.cancel(); $0 = task }
    }

    public func stop() { loop.withLock { $0?.cancel(); $0 = nil } }

    /// Refreshes each searched category whose last refresh is older than the interval.
    public func refreshDue(now: Date = Date()) async {
        let settings = marketplace.settings
        guard settings.refreshMinutes > 0 else { return }
        for category in settings.categories where !Task.isCancelled {
            if let last = refreshes.withLock({ $0[category] }), now.timeIntervalSince(last.at) < Double(settings.refreshMinutes * 60) { continue }
            await enqueue(category, pages: settings.refreshPages).value
        }
    }

    /// Queues a refresh of the category after those already queued; a category already waiting
    /// is not queued twice (its waiting refresh is returned).
    @discardableResult
    public func enqueue(_ category: Category, pages: Int) -> Task<Void, Never> {
        queue.withLock { q in
            if q.waiting.contains(category), let tail = q.tail { return tail }
            q.waiting.insert(category)
            let previous = q.tail
            let task = Task.detached { [self] in
                await previous?.value
                _ = queue.withLock { $0.waiting.remove(category) }
                await refresh(category, pages: pages)
            }
            q.tail = task
            return task
        }
    }

    /// Fetches a category `pages` deep and indexes what comes back.
    public func refresh(_ category: Category, pages: Int) async {
        let indexer = self.indexer
        let end = await marketplace.refresh(category, pages: pages) { batch in await indexer.indexListings(batch, background: true) }
        var outcome = Refresh(at: Date(), listings: 0, error: nil)
        switch end {
        case let .finished(stats): outcome.listings = stats.listings
        case let .failed(message), let .paused(message): outcome.error = message
        case .listings: break
        }
        if let error = outcome.error {
            logger.warning("sourcing index refresh failed", metadata: ["category": "\(category.rawValue)", "error": "\(error)"])
        }
        refreshes.withLock { $0[category] = outcome }
        counts.withLock { $0 = nil }
    }

    /// The index's listing counts, read again at most every few seconds: every search asks.
    func listingCounts(settings: MarketplaceSettings) -> [Category: ListingCounts] {
        if let known = counts.withLock({ $0 }), Date().timeIntervalSince(known.at) < 5 { return known.byCategory }
        let read = (try? marketplace.store.counts(freshSince: Date().addingTimeInterval(-settings.freshSeconds))) ?? [:]
        counts.withLock { $0 = (Date(), read) }
        return read
    }

    /// Whether the index holds enough fresh listings of the category to skip a live query.
    public func answersLocally(_ category: Category) -> Bool {
        let settings = marketplace.settings
        guard settings.categories.contains(category), settings.refreshMinutes > 0, settings.minLocalListings > 0 else { return false }
        return settings.answersLocally(freshListings: listingCounts(settings: settings)[category]?.fresh ?? 0)
    }

    public func coverage() -> [SourcingCoverage] {
        let settings = marketplace.settings
        counts.withLock { $0 = nil }
        let byCategory = listingCounts(settings: settings)
        let done = refreshes.withLock { $0 }
        return Category.allCases.map { category in
            let c = byCategory[category] ?? ListingCounts()
            let last = done[category]
            let searched = settings.categories.contains(category)
            let next: Date? = searched && settings.refreshMinutes > 0
                ? (last?.at.addingTimeInterval(Double(settings.refreshMinutes * 60)) ?? Date()) : nil
            return SourcingCoverage(category: category, searched: searched, listings: c.listings, fresh: c.fresh,
                                    newestFetchedAt: c.newest, oldestFetchedAt: c.oldest, lastRefreshAt: last?.at,
                                    lastRefreshListings: last?.listings, lastRefreshError: last?.error, nextRefreshAt: next,
                                    answersLocally: searched && settings.answersLocally(freshListings: c.fresh))
        }
    }
}
