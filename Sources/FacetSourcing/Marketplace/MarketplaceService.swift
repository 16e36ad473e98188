import FacetCore
import FacetStore
import Foundation
import Logging
import Metrics
import Synchronization

/// Tier-2 sourcing: asks the preferred enabled marketplace source, normalises what comes back,
/// stores photos and listings, and streams each page as soon as it is ready. A captcha or
/// block page pauses that source and raises an alert; a search never throws.
public final class MarketplaceService: Sendable {
    public struct Options: Sendable {
        /// Result pages (the web source); nil leaves it out.
        public var webURL: URL?
        /// The open-platform API; used only with a key and secret.
        public var apiURL: URL?
        public var appKey: String?
        public var appSecret: String?
        /// Further hosts photos may come from (a CDN).
        public var imageHosts: [String] = []
        /// Only for the simulator in tests and the demo.
        public var allowLoopback = false
        public var userAgent = "FacetSourcing/1 (+https://facet.example/sourcing-bot)"
        public var requestTimeout: Double = 10
        public var backoff = Backoff(base: 0.5, cap: 30, maxAttempts: 4)
        public var pageSize = 20
        public var maxImagePixels = 40_000_000
        /// Used until staff save settings of their own.
        public var defaults = MarketplaceSettings()
        public var transport: PoliteFetcher.Transport?
        public var resolver: PoliteFetcher.Resolver?

        public init() {}
    }

    struct SourceState {
        var pausedUntil: Date?
        var lastError: String?
        var lastSuccessAt: Date?
        var requests = 0
        var cacheHits = 0
        var listingsParsed = 0
        var skipped = 0
    }

    struct CacheKey: Hashable { let source: String; let query: MarketplaceQuery; let page: Int }

    public let options: Options
    public let store: MarketplaceStore
    let markups: MarkupStore
    public let fetcher: PoliteFetcher
    let sources: [any MarketplaceSource]
    let imageStore: ImageStore
    let imageSources: ImageSourceStore
    let logger: Logger
    let onAlert: @Sendable (MarketplaceAlert) -> Void
    private let current: Mutex<MarketplaceSettings>
    private let states = Mutex<[String: SourceState]>([:])
    private let cache = Mutex<[CacheKey: (page: MarketplacePage, at: Date)]>([:])
    private let pageFlights = SharedFlights<CacheKey, MarketplacePage>()
    /// Buyer-facing searches running now; the background refresh waits for them between pages.
    private let liveSearches = Atomic<Int>(0)
    private let photoFlights = SharedFlights<String, StoredPhoto?>()

    public init(database: FacetDatabase, imageStore: ImageStore, options: Options, logger: Logger,
                onAlert: @escaping @Sendable (MarketplaceAlert) -> Void) throws {
        self.options = options
        self.store = MarketplaceStore(database: database)
        self.markups = MarkupStore(database: database)
        self.imageSources = ImageSourceStore(database: database)
        self.imageStore = imageStore
        self.logger = logger
        self.onAlert = onAlert
        var hosts = Set(options.imageHosts.map { $0.lowercased() })
        for url in [options.webURL, options.apiURL].compactMap({ $0 }) { if let host = url.host { hosts.insert(host.lowercased()) } }
        var policy = PoliteFetcher.Policy(allowedHosts: hosts)
        policy.allowLoopback = options.allowLoopback
        policy.userAgent = options.userAgent
        policy.timeout = options.requestTimeout
        policy.backoff = options.backoff
        var settings = try store.settings() ?? options.defaults
        fetcher = PoliteFetcher(policy: policy, limits: Self.pageLimits(settings), logger: logger,
                                transport: options.transport, resolver: options.resolver)
        var sources: [any MarketplaceSource] = []
        if let api = options.apiURL, let key = options.appKey, let secret = options.appSecret {
            sources.append(AlibabaOpenAPISource(baseURL: api, appKey: key, appSecret: secret, fetcher: fetcher, pageSize: options.pageSize))
        }
        if let web = options.webURL { sources.append(AlibabaWebSource(baseURL: web, fetcher: fetcher)) }
        self.sources = sources
        let names = Set(sources.map(\.name))
        settings.sources = Dictionary(uniqueKeysWithValues: names.map { ($0, settings.sources[$0] ?? false) })
        current = Mutex(settings)
        states.withLock { s in for source in sources { s[source.name] = SourceState() } }
        applyLimits()
    }

    static func pageLimits(_ s: MarketplaceSettings) -> RateLimiter.Limits {
        RateLimiter.Limits(ratePerSecond: s.requestsPerSecond, burst: s.burst, concurrency: s.concurrency)
    }

    func applyLimits() {
        let s = settings
        fetcher.setLimits(page: Self.pageLimits(s),
                                image: RateLimiter.Limits(ratePerSecond: s.imageRequestsPerSecond, burst: max(4, s.burst), concurrency: max(4, s.concurrency)),
                                api: Self.pageLimits(s))
    }

    public var sourceNames: [String] { sources.map(\.name) }
    public var settings: MarketplaceSettings { current.withLock { $0 } }

    public func knownListings() throws -> [MarketplaceListing] { try store.listings() }
    public func listing(id: String) throws -> MarketplaceListing? { try store.listing(id: id) }
    public func listings(ids: [String]) throws -> [String: MarketplaceListing] { try store.listings(ids: ids) }

    // MARK: admin

    public func update(_ new: MarketplaceSettings, actorId: String, actorEmail: String) async throws {
        try new.validate(knownSources: Set(sourceNames))
        let old = settings
        try store.save(new, old: old, actorId: actorId, actorEmail: actorEmail)
        current.withLock { $0 = new }
        cache.withLock { $0.removeAll() }
        applyLimits()
    }

    public func audit(limit: Int = 100) throws -> [MarketplaceAuditEntry] { try store.audit(limit: limit) }

    /// Lifts a pause and forgets cached robots.txt and results, so the next search starts fresh.
    @discardableResult
    public func resume(source name: String) -> Bool {
        guard sourceNames.contains(name) else { return false }
        states.withLock { $0[name]?.pausedUntil = nil; $0[name]?.lastError = nil }
        fetcher.forgetRobots()
        cache.withLock { $0.removeAll() }
        return true
    }

    public func status() -> [MarketplaceSourceStatus] {
        let s = settings
        let now = Date()
        return states.withLock { states in
            sources.map { source in
                let st = states[source.name] ?? SourceState()
                return MarketplaceSourceStatus(name: source.name, enabled: s.sources[source.name] ?? false,
                                               pausedUntil: st.pausedUntil.flatMap { $0 > now ? $0 : nil }, lastError: st.lastError,
                                               lastSuccessAt: st.lastSuccessAt, requests: st.requests, cacheHits: st.cacheHits,
                                               listingsParsed: st.listingsParsed, skipped: st.skipped)
            }
        }
    }

    // MARK: search

    public func search(_ query: MarketplaceQuery) -> AsyncStream<MarketplaceEvent> {
        AsyncStream { continuation in
            let task = Task {
                let end = await self.run(query) { continuation.yield(.listings($0)) }
                continuation.yield(end)
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The source to ask: the first enabled one (API before web) that is not paused.
    func pick(_ settings: MarketplaceSettings) -> (source: (any MarketplaceSource)?, pausedUntil: Date?) {
        let now = Date()
        var pausedUntil: Date?
        for source in sources where settings.sources[source.name] == true {
            if let until = states.withLock({ $0[source.name]?.pausedUntil }), until > now {
                pausedUntil = min(pausedUntil ?? until, until)
                continue
            }
            return (source, nil)
        }
        return (nil, pausedUntil)
    }

    func run(_ query: MarketplaceQuery, deliver: @Sendable ([MarketplaceListing]) -> Void) async -> MarketplaceEvent {
        await run(query, pages: nil, fresh: false, deliver: deliver)
    }

    /// The background index's fetch of a whole category: `pages` deep, past the cache.
    public func refresh(_ category: Category, pages: Int, deliver: @escaping @Sendable ([MarketplaceListing]) async -> Void) async -> MarketplaceEvent {
        let (events, feed) = AsyncStream<[MarketplaceListing]>.makeStream()
        let consumer = Task { for await batch in events { await deliver(batch) } }
        let end = await run(MarketplaceQuery(category: category, keywords: [], currency: settings.currency), pages: pages, fresh: true) { feed.yield($0) }
        feed.finish()
        await consumer.value
        return end
    }

    func run(_ query: MarketplaceQuery, pages: Int?, fresh: Bool, deliver: @Sendable ([MarketplaceListing]) -> Void) async -> MarketplaceEvent {
        let started = Date()
        let settings = self.settings
        var stats = MarketplaceSearchStats()
        guard settings.categories.contains(query.category) else { return .finished(stats) }
        let (picked, pausedUntil) = pick(settings)
        guard let source = picked else {
            if let pausedUntil { return .paused("The marketplace source is paused until \(JSONTime.format(pausedUntil)).") }
            return .failed("No marketplace source is enabled.")
        }
        stats.source = source.name
        if !fresh {
            liveSearches.add(1, ordering: .relaxed)
        }
        defer { if !fresh { liveSearches.subtract(1, ordering: .relaxed) } }
        // The buyer's limit applies to our price: take the marketplace markup off before asking.
        let markups = (try? self.markups.table()) ?? .standard
        let listed = query.maxPrice.map { markups.listedCeiling(forBuyerPrice: $0, category: query.category) }
        // The source is asked up to the price band's edge, so that buyers with nearby limits share
        // one fetch; each search keeps only what is within its own ceiling.
        var ceiling = listed, asked = listed.map(PriceBand.edge(above:))
        if let cap = settings.maxListedPrice { (ceiling, asked) = (min(ceiling ?? cap, cap), min(asked ?? cap, cap)) }
        let sourceQuery = MarketplaceQuery(category: query.category, keywords: query.keywords, maxPrice: asked, currency: query.currency)
        do {
            for number in 1...(pages ?? settings.maxPages) {
                try Task.checkCancellation()
                if fresh { try await yieldToLiveSearches() }
                var (page, shared) = try await self.page(CacheKey(source: source.name, query: sourceQuery, page: number), from: source,
                                                         fresh: fresh, ttl: settings.cacheTTLSeconds)
                if shared {
                    stats.cacheHits += 1
                    record(source.name) { $0.cacheHits += 1 }
                }
                stats.skipped += page.skipped
                let before = page.listings.count
                page.listings = page.listings.filter { within($0.price, ceiling: ceiling, floor: settings.minListedPrice, currency: query.currency) }
                stats.filteredByPrice += before - page.listings.count
                let store = self.store
                var firstAt = stats.firstResultSeconds
                // The refresh takes its photos a few listings at a time, yielding to buyers' searches
                // in between: the photo budget per host is shared too.
                var kept: [MarketplaceListing] = []
                for part in fresh ? stride(from: 0, to: page.listings.count, by: 4).map({ Array(page.listings[$0..<min($0 + 4, page.listings.count)]) })
                                  : [page.listings] {
                    if fresh { try await yieldToLiveSearches() }
                    kept += try await withImages(part, settings: settings, stats: &stats) { batch, changed in
                        // A shared page's listings were stored by the search that fetched it.
                        if changed || !shared { try store.upsert(batch) }
                        if firstAt == nil { firstAt = Date().timeIntervalSince(started) }
                        deliver(batch)
                    }
                }
                page.listings = kept
                stats.firstResultSeconds = firstAt
                stats.listings += page.listings.count
                stats.pages += 1
                if !page.hasMore { break }
            }
            record(source.name) { $0.lastSuccessAt = Date(); $0.lastError = nil }
            stats.seconds = Date().timeIntervalSince(started)
            return .finished(stats)
        } catch is CancellationError {
            return .failed("The search was cancelled.")
        } catch let error as MarketplaceError {
            return handle(error, source: source.name, settings: settings)
        } catch {
            record(source.name) { $0.lastError = "\(error)" }
            return .failed("The marketplace search failed: \(error)")
        }
    }

    /// The refresh shares the source's politeness budget with buyers' searches: it takes a page
    /// only while none is running (or after half a minute of waiting, so it cannot starve).
    func yieldToLiveSearches() async throws {
        var waited = 0.0
        while liveSearches.load(ordering: .relaxed) > 0, waited < 30 {
            try await Task.sleep(for: .milliseconds(200))
            waited += 0.2
        }
    }

    /// A result page: from the cache, from a fetch another search already has in flight (both
    /// `shared`), or fetched now. Concurrent searches asking the same page wait for one fetch.
    func page(_ key: CacheKey, from source: any MarketplaceSource, fresh: Bool, ttl: Int) async throws -> (MarketplacePage, shared: Bool) {
        if !fresh, let hit = cache.withLock({ $0[key] }), Date().timeIntervalSince(hit.at) < Double(ttl) { return (hit.page, true) }
        let (page, joined) = try await pageFlights.value(for: key) {
            let page = try await source.search(key.query, page: key.page)
            self.record(key.source) { $0.requests += 1; $0.listingsParsed += page.listings.count; $0.skipped += page.skipped }
            self.cache.withLock { cache in
                if cache.count > 1000 { cache.removeAll() }
                cache[key] = (page, Date())
            }
            return page
        }
        return (page, joined)
    }

    func within(_ price: MoneyRange, ceiling: Int64?, floor: Int64?, currency: String) -> Bool {
        guard price.currency == currency else { return true } // no exchange rates here: the source filtered it
        if let ceiling, price.min > ceiling { return false }
        if let floor, price.max < floor { return false }
        return true
    }

    func handle(_ error: MarketplaceError, source: String, settings: MarketplaceSettings) -> MarketplaceEvent {
        let message = error.description
        record(source) { $0.lastError = message }
        switch error {
        case .blocked:
            Counter(label: "facet_marketplace_blocks_total", dimensions: [("source", source)]).increment()
            let until = Date().addingTimeInterval(Double(settings.pauseSeconds))
            record(source) { $0.pausedUntil = until }
            logger.warning("marketplace source paused", metadata: ["source": "\(source)", "reason": "\(message)"])
            onAlert(MarketplaceAlert(source: source, kind: .blocked, message: message, pausedUntil: until))
            return .paused("The \(source) source met a block page and is paused until \(JSONTime.format(until)).")
        case .layoutChanged:
            onAlert(MarketplaceAlert(source: source, kind: .layoutChanged, message: message, pausedUntil: nil))
        case .robotsDisallowed:
            onAlert(MarketplaceAlert(source: source, kind: .robotsDisallowed, message: message, pausedUntil: nil))
        default:
            logger.warning("marketplace search failed", metadata: ["source": "\(source)", "error": "\(message)"])
        }
        return .failed(message)
    }

    func record(_ source: String, _ change: (inout SourceState) -> Void) {
        states.withLock { change(&$0[source, default: SourceState()]) }
    }

    // MARK: photos

    /// Stores each listing's photos; listings are handed to `ready` in small batches as their
    /// photos land (the first at once), so a slow photo never holds back the rest of the page.
    /// Returns the page's listings, in page order, with their stored file names.
    func withImages(_ listings: [MarketplaceListing], settings: MarketplaceSettings, stats: inout MarketplaceSearchStats,
                    ready: ([MarketplaceListing], _ changed: Bool) throws -> Void) async throws -> [MarketplaceListing] {
        guard settings.imagesPerListing > 0, !listings.isEmpty else {
            if !listings.isEmpty { try ready(listings, false) }
            return listings
        }
        var out = listings
        try await withThrowingTaskGroup(of: (Int, [String], Int, Int).self) { group in
            for (index, listing) in listings.enumerated() {
                let urls = Array(listing.imageURLs.prefix(settings.imagesPerListing))
                group.addTask {
                    var files: [String] = []
                    var stored = 0
                    var failed = 0
                    for url in urls {
                        if let file = await self.storeImage(url) { files.append(file.name); stored += file.new ? 1 : 0 } else { failed += 1 }
                    }
                    return (index, files, stored, failed)
                }
            }
            var pending: [MarketplaceListing] = []
            var changed = false
            var delivered = 0
            for try await (index, files, stored, failed) in group {
                out[index].imageFiles = files
                stats.imagesStored += stored
                stats.imageFailures += failed
                changed = changed || stored > 0
                pending.append(out[index])
                if delivered == 0 || pending.count >= 5 {
                    try ready(pending, changed)
                    delivered += pending.count
                    pending.removeAll()
                    changed = false
                }
            }
            if !pending.isEmpty { try ready(pending, changed) }
        }
        return out
    }

    /// The stored file for a photo URL, fetching it once however many searches ask at the same
    /// time; nil when it cannot be had. Only the search that fetched it counts it as new.
    func storeImage(_ url: String) async -> StoredPhoto? {
        guard let (file, joined) = try? await photoFlights.value(for: url, { await self.fetchImage(url) }), let file else { return nil }
        return joined ? (file.name, false) : file
    }

    typealias StoredPhoto = (name: String, new: Bool)

    func fetchImage(_ url: String) async -> StoredPhoto? {
        if let known = try? imageSources.imageSource(url: url), let name = known.fileName, imageStore.file(named: name) != nil {
            return (name, false)
        }
        do {
            let response = try await fetcher.get(url, kind: .image, headers: [("Accept", "image/jpeg, image/png, image/webp")],
                                                 maxBytes: imageStore.maxBytes)
            guard response.isSuccess else {
                try? imageSources.recordImageSource(url: url, fileName: nil, bytes: nil, status: response.status)
                return nil
            }
            guard let size = ImageDimensions.read(response.body), size.width > 0, size.height > 0,
                  size.width * size.height <= options.maxImagePixels else { return nil }
            let stored = try imageStore.store(response.body)
            try? imageSources.recordImageSource(url: url, fileName: stored.fileName, bytes: stored.bytes, status: response.status)
            return (stored.fileName, true)
        } catch {
            logger.debug("marketplace photo not stored", metadata: ["url": "\(url)", "error": "\(error)"])
            return nil
        }
    }
}

/// Listed-price ceilings rounded up to a few edges per decade (1, 1.5, 2, 3, 5, 7.5), so that
/// buyers with nearby limits ask the marketplace the same question.
enum PriceBand {
    static func edge(above ceiling: Int64) -> Int64 {
        guard ceiling > 0 else { return ceiling }
        var decade: Int64 = 1
        while decade <= Int64.max / 100, decade * 10 <= ceiling { decade *= 10 }
        for tenths: Int64 in [10, 15, 20, 30, 50, 75, 100] {
            let (edge, overflow) = decade.multipliedReportingOverflow(by: tenths)
            if overflow { return ceiling }
            if edge / 10 >= ceiling { return edge / 10 }
        }
        return ceiling
    }
}

enum JSONTime {
    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }
}
