import FacetCore
import FacetMatching
import FacetSourcing
import FacetStore
import FacetVision
import Foundation
import Logging

/// Runs buyer searches: the upload is checked and stored at once, then the stages run in the
/// background and each is published on `search:<id>` with everything known so far, and
/// stored, so `GET /api/searches/<id>` shows the same state at any time.
public final class SearchService: Sendable {
    public struct Options: Sendable {
        public var matcher = MatcherOptions()
        public var currency = "USD"
        public var computeThreads = max(1, ProcessInfo.processInfo.activeProcessorCount)
        public var maxQueued = 256
        /// Seconds from the upload until a search settles with what it has; marketplace listings
        /// found later are pushed to the open page and stored with the search. A second short of the
        /// 5 s promise: a hundred searches reaching their budget together take about 0.6 s more to
        /// settle and be written (4.5 s gave `done` at p95 5.13 s with live sourcing).
        public var marketplaceBudget: Double = 4.0
        /// After the budget, how long sourcing goes on for the open page (late designs are pushed and stored).
        public var lateSourcingWindow: Double = 45
        /// Searches one buyer may have running at once; more are refused 429.
        public var maxInFlightPerBuyer = 3
        /// What turns photos into vectors; the hand-made embedder when nil. The index keeps each
        /// vector's embedder, so switching re-analyses photos instead of mixing vector spaces.
        public var embedder: (any Embedder)?
        /// Metal and stone heads fitted for that embedder (`facet model fit-heads`); nil keeps the colour rules.
        public var attributeHeads: AttributeHeads?
        /// Why the server is not running the embedder it was asked for (its model file is missing):
        /// staff see it on the console's search tile, which turns amber.
        public var embedderWarning: String?
        public init() {}
    }

    let database: FacetDatabase
    let searches: SearchStore
    let markups: MarkupStore
    let features: FeatureStore
    let readings: PhotoReadings
    let publisher: Publisher
    let sourcing: SourcingService?
    let marketplace: MarketplaceService?
    public let indexer: SearchIndexer
    let pool: ComputePool
    let pipeline: VisionPipeline
    let matcher: Matcher
    let imageStore: ImageStore
    public let options: Options
    let logger: Logger
    public let buyerSlots: BuyerSlots
    /// The background sourcing index; nil without a marketplace.
    public let sourcingIndex: SourcingIndex?

    public init(database: FacetDatabase, dataDirectory: URL, publisher: Publisher, sourcing: SourcingService?,
         marketplace: MarketplaceService?, options: Options, logger: Logger) {
        self.marketplace = marketplace
        self.database = database
        self.searches = SearchStore(database: database)
        self.markups = MarkupStore(database: database)
        self.features = FeatureStore(database: database)
        self.publisher = publisher
        self.sourcing = sourcing
        self.options = options
        self.logger = logger
        self.buyerSlots = BuyerSlots(perBuyer: options.maxInFlightPerBuyer)
        let pipeline = VisionPipeline(embedder: options.embedder ?? HandcraftedEmbedder(), heads: options.attributeHeads)
        self.pipeline = pipeline
        let readings = PhotoReadings(features: features, embedder: pipeline.embedder.identifier)
        self.readings = readings
        let pool = ComputePool(threads: options.computeThreads, capacity: options.maxQueued)
        self.pool = pool
        let images = dataDirectory.appendingPathComponent("images")
        self.imageStore = ImageStore(directory: images)
        let indexer = SearchIndexer(database: database, imagesDirectory: images, pipeline: pipeline, pool: pool, readings: readings, logger: logger)
        self.indexer = indexer
        self.matcher = Matcher(index: indexer.index, calibration: pipeline.embedder.calibration, options: options.matcher) { files in indexer.keypoints(files) }
        self.sourcingIndex = marketplace.map { SourcingIndex(marketplace: $0, indexer: indexer, logger: logger) }
    }

    /// Loads the index and follows catalog changes; searches may run meanwhile on what is loaded.
    public func start() {
        _ = try? searches.failInterrupted()
        let stream = sourcing?.changes.subscribe()
        if let watched = sourcing?.changes.subscribe() {
            let watcher = SearchWatcher(service: self)
            Task.detached { await watcher.follow(watched) }
        }
        Task.detached { [self] in
            await indexer.load()
            if let known = try? marketplace?.knownListings() {
                for chunk in stride(from: 0, to: known.count, by: 64).map({ Array(known[$0..<min($0 + 64, known.count)]) }) {
                    await indexer.indexListings(chunk)
                }
            }
            // The background index refreshes once what is already known is indexed.
            sourcingIndex?.start()
            if let stream { await indexer.follow(stream) }
        }
    }

    public func stop() {
        sourcingIndex?.stop()
        pool.stop()
    }

    // MARK: starting a search

    public struct Upload: Sendable {
        public var bytes: [UInt8]
        public var category: Category
        public var maxPrice: Int64?
        /// When the upload began to arrive (nil: when the search starts). Under load a 100-buyer
        /// burst spends a noticeable part of a second in transfer; the budget counts from the upload.
        public var startedAt: Date?

        public init(bytes: [UInt8], category: Category, maxPrice: Int64?, startedAt: Date? = nil) {
            self.bytes = bytes
            self.category = category
            self.maxPrice = maxPrice
            self.startedAt = startedAt
        }
    }

    /// Decodes and stores the photo, records the search and announces `received`. Errors here
    /// (bad image, busy) leave nothing behind.
    public func start(_ upload: Upload, buyerId: String) async throws -> SearchRecord {
        guard let slot = buyerSlots.acquire(buyerId) else { throw BuyerSlots.refusal(perBuyer: buyerSlots.perBuyer) }
        var slotHandedOver = false
        defer { if !slotHandedOver { slot.release() } }
        let pipeline = pipeline, imageStore = imageStore
        let uploaded = ContinuousClock.now
        // The search exists from the moment the upload began to arrive: its budget and timings count from there.
        let receivedAt = min(Date(), upload.startedAt ?? Date())
        let (image, stored): (RGBAImage, ImageStore.Stored)
        do {
            (image, stored) = try await pool.run {
                let image = try ImageDecoder.decode(upload.bytes, limits: pipeline.limits)
                return (image, try imageStore.store(try UploadCleaning.clean(upload.bytes, decoded: image)))
            }
        } catch let error as VisionError {
            throw Self.unusable(error)
        } catch is ComputePool.Busy {
            throw Self.busy
        }
        StageTimer.record(stage: "decode_store", ContinuousClock.now - uploaded)
        let record = SearchRecord(id: Identifier.make("s"), buyerId: buyerId, category: upload.category, maxPriceAmount: upload.maxPrice,
                                  currency: options.currency, imageFile: stored.fileName, createdAt: receivedAt)
        try publisher.transaction { db, events in
            try SearchStore.insert(db, record)
            events.append(try Self.event(SearchView(record)))
        }
        slotHandedOver = true
        let photo = PhotoHandoff(image)
        Task.detached { [self] in
            await run(record, photo: photo, whenDone: { slot.release() })
            slot.release()
            // A burst is over: give the decode buffers' pages back to the system.
            if buyerSlots.total == 0 { MemoryRelief.trim() }
        }
        return record
    }

    static let busy = DomainError(.unavailable, code: "busy", "Many searches are running right now; try again in a few seconds.",
                                  retryAfter: 5)

    /// Why the photo cannot be searched, in the buyer's words, naming the form field.
    static func unusable(_ error: VisionError) -> DomainError {
        let message = "The image could not be used: \(error.description)."
        switch error {
        case .unsupportedType: return DomainError(.unsupportedMedia, code: "unsupported_media_type", message, field: "image")
        case .tooLarge, .tooManyPixels: return DomainError(.tooLarge, code: "image_too_large", message, field: "image")
        case .empty, .corrupt: return DomainError(.invalid, code: "invalid_image", message, field: "image")
        }
    }

    static func event(_ view: SearchView) throws -> PendingEvent {
        try PendingEvent(topic: "search:\(view.id)", event: "search.stage", data: view)
    }
}
