import FacetCore
import FacetStore
import Foundation
import Logging
import Synchronization

/// Sync health of one brand, as `GET /api/admin/sync` shows it.
public struct BrandHealth: Codable, Sendable, Equatable {
    public var brand: String
    public var name: String
    public var baseURL: String
    public var lastSuccessAt: Date?
    public var lastAttemptAt: Date?
    public var lastFullSyncAt: Date?
    public var lagSeconds: Int?
    public var itemsSynced: Int
    public var errors24h: Int
    public var webhooksReceived: Int
    public var products: Int
    public var activeProducts: Int
    public var lastError: String?
    public var cursor: String?
    public var syncing: Bool
    public var healthy: Bool

    enum CodingKeys: String, CodingKey {
        case brand, name, baseURL, lastSuccessAt, lastAttemptAt, lastFullSyncAt, lagSeconds, itemsSynced, errors24h,
             webhooksReceived, products, activeProducts, lastError, cursor, syncing, healthy
    }

    /// Fields not known yet are sent as null rather than left out.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(brand, forKey: .brand)
        try c.encode(name, forKey: .name)
        try c.encode(baseURL, forKey: .baseURL)
        try c.encode(lastSuccessAt, forKey: .lastSuccessAt)
        try c.encode(lastAttemptAt, forKey: .lastAttemptAt)
        try c.encode(lastFullSyncAt, forKey: .lastFullSyncAt)
        try c.encode(lagSeconds, forKey: .lagSeconds)
        try c.encode(itemsSynced, forKey: .itemsSynced)
        try c.encode(errors24h, forKey: .errors24h)
        try c.encode(webhooksReceived, forKey: .webhooksReceived)
        try c.encode(products, forKey: .products)
        try c.encode(activeProducts, forKey: .activeProducts)
        try c.encode(lastError, forKey: .lastError)
        try c.encode(cursor, forKey: .cursor)
        try c.encode(syncing, forKey: .syncing)
        try c.encode(healthy, forKey: .healthy)
    }
}

/// The answer of a live stock and price check.
public struct LiveCheck: Codable, Sendable, Equatable {
    public var sku: String
    public var brand: String
    public var stock: Int
    public var baseCost: CatalogProduct.Cost
    public var status: String
    /// True when the brand answered now; false when these are cached values.
    public var live: Bool
    public var asOf: Date
    public var ageSeconds: Int
    public var reason: String?
}

public enum WebhookOutcome: Sendable, Equatable {
    case applied(changes: Int)
    case duplicate
}

public enum SourcingError: Error, Sendable, Equatable {
    case unknownBrand(String)
    case unknownProduct(String)
    case rejected(String)
    case badPayload(String)
    case failed(String)
}

/// Brand sync: initial import, scheduled incremental runs, webhooks, nightly reconcile,
/// live checks and order notifications. Every catalog change is committed first, then
/// announced (the in-process stream and `onChanges`).
public final class SourcingService: Sendable {
    public struct Options: Sendable {
        public var syncInterval: Double = 60
        public var reconcileInterval: Double = 86_400
        public var liveTimeout: Double = 1.5
        public var requestTimeout: Double = 10
        public var backoff = Backoff()
        public var webhookWindow: Double = WebhookSignature.defaultWindow
        public var downloadImages = true
        public init() {}
    }

    public let store: CatalogStore
    public let images: ImageStore
    public let changes = CatalogChangeStream()
    public let options: Options
    let database: FacetDatabase
    let connectors: [String: BrandConnector]
    let order: [String]
    let logger: Logger
    let onChanges: @Sendable ([CatalogChange]) -> Void
    let onHealth: @Sendable (BrandHealth) -> Void
    private let running = Mutex<Set<String>>([])
    private let lastPushed = Mutex<[String: String]>([:])
    private let scheduler = Mutex<[Task<Void, Never>]>([])
    private let ordersInFlight = Mutex<Set<String>>([])
    /// Source URL → stored file, for photos already downloaded (saves a lookup per photo per sync).
    private let imageCache = Mutex<[String: String]>([:])

    public init(database: FacetDatabase, dataDirectory: URL, brands: [BrandConfig], mappingRoot: URL, options: Options = Options(),
                logger: Logger, onChanges: @escaping @Sendable ([CatalogChange]) -> Void = { _ in },
                onHealth: @escaping @Sendable (BrandHealth) -> Void = { _ in }) throws {
        self.database = database
        self.store = CatalogStore(database: database)
        self.images = ImageStore(directory: dataDirectory.appendingPathComponent("images"))
        self.options = options
        self.logger = logger
        self.onChanges = onChanges
        self.onHealth = onHealth
        let client = HTTPClient()
        var connectors: [String: BrandConnector] = [:]
        for config in brands {
            let mapping = try config.resolvedMapping(relativeTo: mappingRoot)
            let brand = config.brand
            connectors[config.brand] = BrandConnector(config: config, mapping: mapping, client: client, backoff: options.backoff,
                                                      timeout: options.requestTimeout) { attempt, reason in
                logger.warning("brand request retried", metadata: ["brand": "\(brand)", "attempt": "\(attempt)", "reason": "\(reason)"])
            }
        }
        self.connectors = connectors
        self.order = brands.map(\.brand)
    }

    public var brands: [String] { order }

    public func connector(_ brand: String) -> BrandConnector? { connectors[brand] }

    // MARK: schedule

    /// Runs the initial import (or a reconcile when due), then incremental syncs every interval.
    /// Each brand has its own loop, so a slow brand never delays another; order
    /// notifications that failed are retried on a loop of their own.
    public func start() {
        var tasks: [Task<Void, Never>] = order.map { brand in
            Task.detached { [self] in
                while !Task.isCancelled {
                    await tick(brand: brand)
                    try? await Task.sleep(nanoseconds: UInt64(max(0.05, options.syncInterval) * 1e9))
                }
            }
        }
        tasks.append(Task.detached { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(max(5, options.syncInterval) * 1e9))
                for brand in order { await retryPendingOrders(brand: brand) }
            }
        })
        scheduler.withLock { $0 = tasks }
    }

    public func stop() {
        scheduler.withLock { tasks in
            tasks.forEach { $0.cancel() }
            tasks.removeAll()
        }
    }

    /// One scheduled run for every brand (what the loops do, for callers that drive sync by hand).
    public func tick() async {
        await withTaskGroup(of: Void.self) { group in
            for brand in order { group.addTask { [self] in await tick(brand: brand) } }
        }
    }

    func tick(brand: String) async {
        let state = try? store.syncState(brand: brand)
        let due = state?.lastFullSyncAt.map { Date().timeIntervalSince($0) >= options.reconcileInterval } ?? true
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
        guard let connector = connectors[brand] else { throw SourcingError.unknownBrand(brand) }
        guard running.withLock({ $0.insert(brand).inserted }) else { return nil }
        defer { running.withLock { _ = $0.remove(brand) } }
        let started = Date()
        var report = RunReport(brand: brand, full: full, pages: 0, items: 0, changes: 0, seconds: 0)
        do {
            let state = try store.syncState(brand: brand)
            let since = full ? nil : state.cursor
            var cursor: String?
            var listed = Set<String>()
            // A full run asks once more for photos that were missing last time (once per URL).
            let retry = full ? RetryOnce() : nil
            repeat {
                let page = try await connector.page(since: since, cursor: cursor)
                report.pages += 1
                var incoming: [CatalogStore.Incoming] = []
                var newest: Date?
                for item in page.items {
                    do {
                        let product = try connector.mapping.catalogProduct(from: item, baseURL: connector.config.baseURL)
                        let photos = await fetchImages(product.imageURLs, connector: connector, retryMissing: retry)
                        incoming.append(.init(product: product, native: String(decoding: item.encoded(), as: UTF8.self), images: photos))
                        listed.insert(product.sku)
                        if let at = product.sourceUpdatedAt, newest.map({ at > $0 }) ?? true { newest = at }
                    } catch {
                        try? store.recordError(brand: brand, message: "\(error)", kind: "mapping")
                        logger.warning("brand item skipped", metadata: ["brand": "\(brand)", "error": "\(error)"])
                    }
                }
                let pageItems = incoming
                let newestText = newest.map(Timestamps.format)
                let changes = try await database.writer.write { db in
                    let changes = try CatalogStore.upsert(db, pageItems, at: Date())
                    try CatalogStore.recordProgress(db, brand: brand, cursor: newestText, items: pageItems.count)
                    return changes
                }
                report.items += incoming.count
                report.changes += changes.count
                announce(changes)
                cursor = page.nextCursor
            } while cursor != nil
            if full {
                let listedSkus = listed
                let gone = try await database.writer.write { db in
                    try CatalogStore.discontinueMissing(db, brand: brand, listed: listedSkus, at: Date())
                }
                report.changes += gone.count
                announce(gone)
            }
            try store.recordRun(brand: brand, success: true, full: full, error: nil)
            report.seconds = Date().timeIntervalSince(started)
            if report.changes > 0 || full {
                logger.info("brand sync", metadata: ["brand": "\(brand)", "full": "\(full)", "items": "\(report.items)",
                                                      "changes": "\(report.changes)", "seconds": "\(String(format: "%.2f", report.seconds))"])
            }
            pushHealth(brand)
            return report
        } catch {
            try? store.recordRun(brand: brand, success: false, full: full, error: "\(error)")
            logger.error("brand sync failed", metadata: ["brand": "\(brand)", "error": "\(error)"])
            pushHealth(brand)
            throw error
        }
    }

    /// Downloads each photo once (by URL, then by content); returns the stored ones in order.
    final class RetryOnce: Sendable {
        private let seen = Mutex<Set<String>>([])
        func first(_ url: String) -> Bool { seen.withLock { $0.insert(url).inserted } }
    }

    func fetchImages(_ urls: [String], connector: BrandConnector, retryMissing: RetryOnce?) async -> [(sourceURL: String, fileName: String)]? {
        guard options.downloadImages else { return nil }
        var stored: [(sourceURL: String, fileName: String)] = []
        for url in urls {
            if let name = imageCache.withLock({ $0[url] }) { stored.append((url, name)); continue }
            if let known = try? store.imageSource(url: url) {
                if let name = known.fileName { imageCache.withLock { $0[url] = name } }
                if let name = known.fileName { stored.append((url, name)); continue }
                guard let retryMissing, retryMissing.first(url) else { continue }
            } else {
                _ = retryMissing?.first(url) // fetched now: no second try in this run
            }
            do {
                let response = try await connector.image(url: url)
                guard response.isSuccess else {
                    if response.status == 404 || response.status == 410 {
                        try? store.recordImageSource(url: url, fileName: nil, bytes: nil, status: response.status)
                    }
                    continue
                }
                let saved = try images.store(response.body)
                try store.recordImageSource(url: url, fileName: saved.fileName, bytes: saved.bytes, status: response.status)
                imageCache.withLock { $0[url] = saved.fileName }
                stored.append((url, saved.fileName))
            } catch {
                try? store.recordImageSource(url: url, fileName: nil, bytes: nil, status: 415)
                logger.warning("image not stored", metadata: ["url": "\(url)", "error": "\(error)"])
            }
        }
        return stored
    }

    func announce(_ changes: [CatalogChange]) {
        guard !changes.isEmpty else { return }
        self.changes.send(changes)
        onChanges(changes)
    }

    // MARK: health

    public func health(brand: String, now: Date = Date()) throws -> BrandHealth {
        guard let connector = connectors[brand] else { throw SourcingError.unknownBrand(brand) }
        let state = try store.syncState(brand: brand, now: now)
        let lag = state.lastSuccessAt.map { Int(now.timeIntervalSince($0).rounded()) }
        let healthy = state.lastError == nil && (lag.map { Double($0) <= max(options.syncInterval * 3, 180) } ?? false)
        return BrandHealth(brand: brand, name: connector.mapping.name, baseURL: connector.config.baseURL,
                           lastSuccessAt: state.lastSuccessAt, lastAttemptAt: state.lastAttemptAt, lastFullSyncAt: state.lastFullSyncAt,
                           lagSeconds: lag, itemsSynced: state.itemsSynced, errors24h: state.errors24h,
                           webhooksReceived: state.webhooksReceived, products: state.products, activeProducts: state.activeProducts,
                           lastError: state.lastError, cursor: state.cursor, syncing: running.withLock { $0.contains(brand) },
                           healthy: healthy)
    }

    public func health() throws -> [BrandHealth] { try order.map { try health(brand: $0) } }

    /// Pushes a brand's health when something an operator cares about moved (not the
    /// lag ticking), or at least once a minute while it syncs.
    func pushHealth(_ brand: String) {
        guard let health = try? health(brand: brand) else { return }
        let signature = "\(health.itemsSynced)|\(health.errors24h)|\(health.webhooksReceived)|\(health.products)|\(health.activeProducts)|\(health.healthy)|\(health.lastFullSyncAt.map { "\($0.timeIntervalSince1970)" } ?? "")|\(Int((health.lastSuccessAt?.timeIntervalSince1970 ?? 0) / 60))"
        let changed = lastPushed.withLock { pushed -> Bool in
            if pushed[brand] == signature { return false }
            pushed[brand] = signature
            return true
        }
        if changed { onHealth(health) }
    }

    // MARK: webhooks

    public func receiveWebhook(brand: String, headers: [String: String], body: [UInt8], now: Date = Date()) async throws -> WebhookOutcome {
        guard let connector = connectors[brand] else { throw SourcingError.unknownBrand(brand) }
        do {
            try WebhookSignature.verify(secrets: connector.config.webhookSecrets, timestamp: headers[WebhookSignature.timestampHeader],
                                        signature: headers[WebhookSignature.signatureHeader], body: body, now: now,
                                        window: options.webhookWindow)
        } catch let rejection as WebhookSignature.Rejection {
            try? store.recordError(brand: brand, message: "webhook rejected: \(rejection)", kind: "webhook")
            pushHealth(brand)
            throw SourcingError.rejected(rejection.description)
        }
        guard let payload = try? JSONValue.parse(body), let type = payload["type"]?.string else {
            throw SourcingError.badPayload("The body must be a JSON event with a type.")
        }
        guard let id = headers[WebhookSignature.idHeader] ?? payload["id"]?.string, !id.isEmpty else {
            throw SourcingError.badPayload("The delivery has no id.")
        }
        let fresh = try await database.writer.write { db in try CatalogStore.recordDelivery(db, brand: brand, id: id, type: type, at: now) }
        guard fresh else { return .duplicate }
        do {
            let changes = try await apply(type: type, data: payload["data"] ?? .null, connector: connector)
            pushHealth(brand)
            return .applied(changes: changes)
        } catch {
            // Let the brand redeliver: the delivery was not applied.
            try? store.forgetDelivery(brand: brand, id: id)
            try? store.recordError(brand: brand, message: "webhook \(type) failed: \(error)", kind: "webhook")
            pushHealth(brand)
            throw error
        }
    }

    func apply(type: String, data: JSONValue, connector: BrandConnector) async throws -> Int {
        let brand = connector.brand
        switch type {
        case "product.updated", "product.discontinued":
            var native = data["product"]
            let sku = data["sku"]?.string ?? native.flatMap { try? connector.mapping.catalogProduct(from: $0, baseURL: connector.config.baseURL).sku }
            guard let sku else { throw SourcingError.badPayload("A product event needs data.sku or data.product.") }
            if native == nil { native = try await connector.product(sku: sku) }
            if native == nil, type == "product.discontinued" {
                let changes = try await database.writer.write { db -> [CatalogChange] in
                    guard var product = try CatalogStore.entry(db, sku: sku)?.product, product.brand == brand else { return [] }
                    product.status = .discontinued
                    return try CatalogStore.upsert(db, [.init(product: product, native: "{}", images: nil)], at: Date())
                }
                announce(changes)
                return changes.count
            }
            guard let native else { throw SourcingError.failed("\(brand) has no product \(sku)") }
            var product = try connector.mapping.catalogProduct(from: native, baseURL: connector.config.baseURL)
            if type == "product.discontinued" { product.status = .discontinued }
            let photos = await fetchImages(product.imageURLs, connector: connector, retryMissing: nil)
            let item = CatalogStore.Incoming(product: product, native: String(decoding: native.encoded(), as: UTF8.self), images: photos)
            let changes = try await database.writer.write { db in
                let changes = try CatalogStore.upsert(db, [item], at: Date())
                try CatalogStore.recordProgress(db, brand: brand, cursor: nil, items: 1)
                return changes
            }
            announce(changes)
            return changes.count
        case "stock.changed":
            let entries = data["items"]?.array ?? [data]
            let readings: [(String, Int)] = entries.compactMap { entry in
                guard let sku = entry["sku"]?.string, let qty = entry["stock_qty"]?.string.flatMap({ Int($0) }) else { return nil }
                return (sku, qty)
            }
            guard !readings.isEmpty else { throw SourcingError.badPayload("stock.changed needs data.items[].sku and stock_qty.") }
            let changes = try await database.writer.write { db in
                try readings.compactMap { try CatalogStore.applyStock(db, brand: brand, sku: $0.0, stock: $0.1, cost: nil, at: Date()) }
            }
            announce(changes)
            return changes.count
        default:
            return 0 // unknown event types are accepted and ignored, as the contract says
        }
    }

    // MARK: live check

    /// Stock and cost straight from the brand within `liveTimeout`; otherwise the cached
    /// values with the time they were last confirmed.
    public func liveCheck(sku: String) async throws -> LiveCheck {
        guard let entry = try await store.entry(sku: sku) else { throw SourcingError.unknownProduct(sku) }
        let product = entry.product
        guard let connector = connectors[product.brand] else { throw SourcingError.unknownBrand(product.brand) }
        let cached = { (reason: String) -> LiveCheck in
            LiveCheck(sku: sku, brand: product.brand, stock: product.stock, baseCost: product.baseCost, status: product.status.rawValue,
                      live: false, asOf: entry.stockCheckedAt, ageSeconds: Int(Date().timeIntervalSince(entry.stockCheckedAt).rounded()),
                      reason: reason)
        }
        do {
            let readings = try await connector.stock(skus: [sku], timeout: options.liveTimeout)
            guard let reading = readings.first(where: { $0.sku == sku }) else { return cached("the brand did not list this SKU") }
            let now = Date()
            let change = try await database.writer.write { db in
                try CatalogStore.applyStock(db, brand: product.brand, sku: sku, stock: reading.stock, cost: reading.cost, at: now)
            }
            if let change { announce([change]) }
            let fresh = change?.product ?? product
            return LiveCheck(sku: sku, brand: product.brand, stock: reading.stock,
                             baseCost: .init(amount: reading.cost ?? fresh.baseCost.amount, currency: fresh.baseCost.currency),
                             status: fresh.status.rawValue, live: true, asOf: now, ageSeconds: 0, reason: nil)
        } catch {
            try? store.recordError(brand: product.brand, message: "live check \(sku): \(error)", kind: "live")
            return cached("\(error)")
        }
    }

    // MARK: orders

    /// Notifies the owning brand of a confirmed order. The idempotency key is stored first
    /// and reused on every retry, so the brand creates the order at most once.
    public func notifyOrder(brand: String, facetOrderId: String, lines: [BrandConnector.OrderLine], idempotencyKey: String? = nil) async throws -> BrandOrderRecord {
        guard let connector = connectors[brand] else { throw SourcingError.unknownBrand(brand) }
        let key = idempotencyKey ?? "facet-\(brand)-\(facetOrderId)"
        let body = connector.orderBody(reference: facetOrderId, lines: lines)
        let record = try store.brandOrder(key: key, brand: brand, facetOrderId: facetOrderId, request: String(decoding: body, as: UTF8.self))
        if record.status == "sent" { return record }
        return try await send(record, connector: connector)
    }

    func send(_ record: BrandOrderRecord, connector: BrandConnector) async throws -> BrandOrderRecord {
        // One attempt at a time per key; a concurrent caller gets the record as it stands.
        guard ordersInFlight.withLock({ $0.insert(record.idempotencyKey).inserted }) else { return record }
        defer { ordersInFlight.withLock { _ = $0.remove(record.idempotencyKey) } }
        do {
            let result = try await connector.createOrder(key: record.idempotencyKey, body: Array(record.request.utf8))
            return try store.updateBrandOrder(key: record.idempotencyKey, status: "sent", brandOrderId: result.orderId,
                                              brandStatus: result.status, error: nil) ?? record
        } catch {
            try? store.recordError(brand: connector.brand, message: "order \(record.facetOrderId): \(error)", kind: "order")
            return try store.updateBrandOrder(key: record.idempotencyKey, status: "pending", brandOrderId: nil, brandStatus: nil,
                                              error: "\(error)") ?? record
        }
    }

    func retryPendingOrders(brand: String) async {
        guard let connector = connectors[brand], let pending = try? store.pendingBrandOrders() else { return }
        for record in pending where record.brand == brand { _ = try? await send(record, connector: connector) }
    }
}
