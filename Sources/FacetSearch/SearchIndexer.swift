import FacetCore
import FacetMatching
import FacetSourcing
import FacetStore
import FacetVision
import Foundation
import Logging
import Synchronization

/// Keeps the in-memory index equal to the catalog: loads every active product's photos at
/// start (features computed once per stored file and kept in SQLite), then follows the
/// catalog change stream so a discontinued item leaves search at once.
public final class SearchIndexer: Sendable {
    public let index: CatalogIndex
    let pipeline: VisionPipeline
    let features: FeatureStore
    let images: ImageStore
    let pool: ComputePool
    let logger: Logger
    /// Listing photo readings decoded while indexing go here, so searches need not read them again.
    let readings: PhotoReadings?
    private let isLoaded = Atomic<Bool>(false)
    /// Inventory batches being analysed now; with `pending` empty and this at zero, the index is current.
    private let indexing = Atomic<Int>(0)
    private let pending = Mutex<[String: CatalogChange]>([:])

    init(database: FacetDatabase, imagesDirectory: URL, pipeline: VisionPipeline, pool: ComputePool, readings: PhotoReadings? = nil, logger: Logger) {
        self.readings = readings
        self.pipeline = pipeline
        self.index = CatalogIndex(dimension: pipeline.embedder.dimension)
        self.features = FeatureStore(database: database)
        self.images = ImageStore(directory: imagesDirectory)
        self.pool = pool
        self.logger = logger
    }

    public var loaded: Bool { isLoaded.load(ordering: .acquiring) }

    /// How far the index is from the catalog: products with photos in the catalog against
    /// products searchable now. Ready once the first load is done and no change waits.
    public struct Readiness: Codable, Sendable, Equatable {
        public var ready: Bool
        public var indexed: Int
        public var known: Int
        public var percent: Int
    }

    public func readiness() -> Readiness {
        let known = (try? features.activeProductsWithPhotos()) ?? 0
        let indexed = index.count(source: .inventory)
        let idle = loaded && pending.withLock { $0.isEmpty } && indexing.load(ordering: .acquiring) == 0
        let percent = known == 0 ? 100 : min(idle ? 100 : 99, indexed * 100 / known)
        return Readiness(ready: idle, indexed: indexed, known: known, percent: percent)
    }

    /// Indexes the whole active catalog; photos without stored features are analysed on the pool.
    func load() async {
        let started = Date()
        do {
            let catalog = try features.activeCatalog()
            for chunk in stride(from: 0, to: catalog.count, by: 64).map({ Array(catalog[$0..<min($0 + 64, catalog.count)]) }) {
                try await index(chunk.map { (product: $0.product, files: $0.files) })
            }
            let stats = index.stats
            logger.info("search index loaded", metadata: ["products": "\(stats.items)", "images": "\(stats.images)",
                                                           "seconds": "\(String(format: "%.1f", Date().timeIntervalSince(started)))"])
        } catch {
            logger.error("search index load failed", metadata: ["error": "\(error)"])
        }
        isLoaded.store(true, ordering: .releasing)
    }

    /// Follows brand sync: created and updated products are (re)indexed, discontinued ones
    /// removed at once. Changes are coalesced per SKU and indexed in batches, so an initial
    /// import of thousands of products is analysed on every compute thread.
    func follow(_ stream: AsyncStream<CatalogChange>) async {
        let (kicks, kick) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let drain = Task { [self] in
            for await _ in kicks {
                while true {
                    // Counted as indexing before it leaves `pending`, so readiness never sees a gap.
                    indexing.add(1, ordering: .releasing)
                    defer { indexing.subtract(1, ordering: .releasing) }
                    let batch = pending.withLock { p -> [CatalogChange] in
                        let take = Array(p.values.prefix(256))
                        for c in take { p.removeValue(forKey: c.sku) }
                        return take
                    }
                    if batch.isEmpty { break }
                    try? await index(batch.map { (product: $0.product, files: (try? features.catalogImages(sku: $0.sku)) ?? []) })
                }
            }
        }
        for await change in stream {
            let ref = Self.ref(sku: change.sku)
            if change.kind == .discontinued || change.product.status != .active {
                pending.withLock { _ = $0.removeValue(forKey: change.sku) }
                index.remove(ref)
                continue
            }
            // Price and stock changes do not move a product in the index; offers read them fresh.
            guard change.kind == .created || !Set(change.fields).isDisjoint(with: ["images", "category", "attributes", "gemstones", "status"])
                    || !index.contains(ref) else { continue }
            pending.withLock { $0[change.sku] = change }
            kick.yield()
        }
        kick.finish()
        await drain.value
    }

    /// The brands' photos are analysed on the background lane: a buyer's search goes first, and an
    /// import of a few thousand photos (a minute with the learned embedder) no longer holds it up.
    private func index(_ products: [(product: CatalogProduct, files: [String])]) async throws {
        try await index(products.map { (IndexedItem(ref: Self.ref(sku: $0.product.sku), source: .inventory,
                                                    labels: ProductLabels.labels(of: $0.product)), $0.product.category, $0.files) },
                        background: true)
    }

    static let photosPerJob = 4

    /// Puts items' photos in the index; photos without stored features are analysed now, on every thread.
    /// `describe` may relabel an item from its photos' features once they are known.
    private func index(_ items: [(item: IndexedItem, category: Category, files: [String])], background: Bool = false,
                       describe: ((IndexedItem, [String: StoredFeature]) -> IndexedItem)? = nil) async throws {
        let all = items.flatMap(\.files)
        var known = try features.features(all, embedder: pipeline.embedder.identifier)
        let missing = Array(Set(all.filter { known[$0] == nil }))
        if !missing.isEmpty {
            let computed = try await analyse(missing, background: background)
            try features.put(computed)
            for f in computed { known[f.fileName] = f }
        }
        for (item, category, files) in items {
            let vectors = files.compactMap { f in known[f].map { (fileName: f, embedding: FeatureCodec.embedding($0.embedding)) } }
            index.upsert(describe?(item, known) ?? item, category: category, images: vectors)
        }
    }

    /// Analyses files spread over every compute thread, a few photos per pool job: a buyer's search
    /// queued meanwhile waits for one small job, not for a thread's whole share of a brand import.
    func analyse(_ files: [String], background: Bool = false) async throws -> [StoredFeature] {
        let parts = max(1, min(pool.threads, files.count))
        return try await withThrowingTaskGroup(of: [StoredFeature].self) { group in
            for k in 0..<parts {
                let share = stride(from: k, to: files.count, by: parts).map { files[$0] }
                group.addTask { [self] in
                    var done: [StoredFeature] = []
                    for start in stride(from: 0, to: share.count, by: Self.photosPerJob) {
                        let chunk = Array(share[start..<min(start + Self.photosPerJob, share.count)])
                        done += try await pool.run(background: background) { chunk.compactMap { self.analyse(fileName: $0) } }
                    }
                    return done
                }
            }
            var all: [StoredFeature] = []
            for try await part in group { all += part }
            return all
        }
    }

    /// Features of one stored photo; nil when the file is missing or will not decode.
    func analyse(fileName: String) -> StoredFeature? {
        guard let url = images.file(named: fileName), let data = try? Data(contentsOf: url),
              let a = try? pipeline.analyze(bytes: [UInt8](data)) else { return nil }
        return StoredFeature(fileName: fileName, embedder: pipeline.embedder.identifier, embedding: FeatureCodec.embedding(a.embedding),
                             keypoints: FeatureCodec.keypoints(a.keypoints), attributes: FeatureCodec.attributes(a.attributes))
    }

    /// Indexes marketplace listings' photos, so later searches find them without fetching.
    /// `background`: the sourcing index's refresh, whose photos wait while searches need the threads.
    func indexListings(_ listings: [MarketplaceListing], background: Bool = false) async {
        guard !listings.isEmpty else { return }
        do {
            // Labelled from the title and the main photo together, as the offer describes it.
            let byRef = Dictionary(listings.map { (Self.ref(listing: $0.id), $0) }, uniquingKeysWith: { a, _ in a })
            try await index(listings.map { (IndexedItem(ref: Self.ref(listing: $0.id), source: .marketplace,
                                                        labels: ProductLabels.labels(guessed: $0.attributes)), $0.category, $0.imageFiles) },
                            background: background) { item, known in
                guard let l = byRef[item.ref], let file = l.imageFiles.first, let stored = known[file],
                      let reading = PhotoReadings.decode(stored.attributes) else { return item }
                self.readings?.remember(reading, file: file)
                return IndexedItem(ref: item.ref, source: item.source,
                                   labels: ProductLabels.labels(guessed: ListingDescription.describe(l.attributes, photo: reading)))
            }
        } catch {
            logger.warning("marketplace listings not indexed", metadata: ["count": "\(listings.count)", "error": "\(error)"])
        }
    }

    func keypoints(_ files: [String]) -> [String: KeypointSet] {
        let stored = (try? features.features(files, embedder: pipeline.embedder.identifier, withKeypoints: true)) ?? [:]
        return stored.mapValues { FeatureCodec.keypoints($0.keypoints) }
    }

    static func ref(sku: String) -> String { "inv:" + sku }
    static func ref(listing: String) -> String { "mk:" + listing }
}
