import FacetCore
import FacetStore
import Foundation
import Synchronization

/// Sync runs: the first import, incremental runs every interval, and a full reconcile
/// (which also discontinues what a brand stopped listing) every reconcile interval. Each
/// page is committed with its cursor, then announced.
public final class BrandSyncRunner: Sendable {
    let brands: Brands
    let photos: BrandPhotos
    let monitor: BrandHealthMonitor
    private let scheduler = Mutex<[Task<Void, Never>]>([])

    init(brands: Brands, photos: BrandPhotos, monitor: BrandHealthMonitor) {
        self.brands = brands
        self.photos = photos
        self.monitor = monitor
    }

    /// Each brand has its own loop, so a slow brand never delays another.
    func start() {
        let tasks: [Task<Void, Never>] = brands.names.map { brand in
            Task.detached { [self] in
                while !Task.isCancelled {
                    await tick(brand: brand)
                    try? await Task.sleep(nanoseconds: UInt64(max(0.05, brands.options.syncInterval) * 1e9))
                }
            }
        }
        scheduler.withLock { $0 = tasks }
    }

    func stop() {
        scheduler.withLock { tasks in
            tasks.forEach { $0.cancel() }
            tasks.removeAll()
        }
    }

    /// One scheduled run for every brand (what the loops do, for callers that drive sync by hand).
    public func tick() async {
        await withTaskGroup(of: Void.self) { group in
            for brand in brands.names { group.addTask { [self] in await tick(brand: brand) } }
        }
    }

    func tick(brand: String) async {
        let state = try? brands.syncState.syncState(brand: brand)
        let due = state?.lastFullSyncAt.map { Date().timeIntervalSince($0) >= brands.options.reconcileInterval } ?? true
        _ = try? await sync(brand: brand, full: due)
    }

    public struct RunReport: Sendable {
        public var brand: String
        public var full: Bool
        public var pages: Int
        public var items: Int
        public var changes: Int
        public var seconds: Double
    }

    /// One run: everything (`full`) or what changed since the cursor. Overlapping runs for
    /// one brand are skipped.
    @discardableResult
    public func sync(brand: String, full: Bool) async throws -> RunReport? {
        let connector = try brands.connector(for: brand)
        guard brands.running.withLock({ $0.insert(brand).inserted }) else { return nil }
        defer { brands.running.withLock { _ = $0.remove(brand) } }
        let started = Date()
        var report = RunReport(brand: brand, full: full, pages: 0, items: 0, changes: 0, seconds: 0)
        do {
            let state = try brands.syncState.syncState(brand: brand)
            let since = full ? nil : state.cursor
            var cursor: String?
            var listed = Set<String>()
            // A full run asks once more for photos that were missing last time (once per URL).
            let retry = full ? BrandPhotos.RetryOnce() : nil
            repeat {
                let asked = Date()
                let page = try await connector.page(since: since, cursor: cursor)
                report.pages += 1
                var incoming: [CatalogStore.Incoming] = []
                var newest: Date?
                for item in page.items {
                    do {
                        let product = try connector.mapping.catalogProduct(from: item, baseURL: connector.config.baseURL)
                        let photos = await self.photos.fetch(product.imageURLs, connector: connector, retryMissing: retry)
                        incoming.append(.init(product: product, native: String(decoding: item.encoded(), as: UTF8.self), images: photos,
                                                 observedAt: asked))
                        listed.insert(product.sku)
                        if let at = product.sourceUpdatedAt, newest.map({ at > $0 }) ?? true { newest = at }
                    } catch {
                        try? brands.syncState.recordError(brand: brand, message: "\(error)", kind: "mapping")
                        brands.logger.warning("brand item skipped", metadata: ["brand": "\(brand)", "error": "\(error)"])
                    }
                }
                let pageItems = incoming
                let newestText = newest.map(Timestamps.format)
                let changes = try await brands.database.writer.write { db in
                    let changes = try CatalogStore.upsert(db, pageItems, at: Date())
                    try BrandSyncStore.recordProgress(db, brand: brand, cursor: newestText, items: pageItems.count)
                    return changes
                }
                report.items += incoming.count
                report.changes += changes.count
                brands.announce(changes)
                cursor = page.nextCursor
            } while cursor != nil
            if full {
                let listedSkus = listed
                let gone = try await brands.database.writer.write { db in
                    try CatalogStore.discontinueMissing(db, brand: brand, listed: listedSkus, at: Date())
                }
                report.changes += gone.count
                brands.announce(gone)
            }
            try brands.syncState.recordRun(brand: brand, success: true, full: full, error: nil)
            report.seconds = Date().timeIntervalSince(started)
            if report.changes > 0 || full {
                brands.logger.info("brand sync", metadata: ["brand": "\(brand)", "full": "\(full)", "items": "\(report.items)",
                                                      "changes": "\(report.changes)", "seconds": "\(String(format: "%.2f", report.seconds))"])
            }
            monitor.push(brand)
            return report
        } catch {
            try? brands.syncState.recordRun(brand: brand, success: false, full: full, error: "\(error)")
            brands.logger.error("brand sync failed", metadata: ["brand": "\(brand)", "error": "\(error)"])
            monitor.push(brand)
            throw error
        }
    }
}
