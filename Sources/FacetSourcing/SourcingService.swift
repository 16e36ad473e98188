import FacetCore
import FacetStore
import Foundation
import Logging

/// Brand sourcing, by concern: sync runs, webhooks, the live stock check, order
/// notifications and health. Every catalog change is committed first, then announced (the
/// in-process stream and `onChanges`).
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

    public let brands: Brands
    public let runs: BrandSyncRunner
    public let webhooks: BrandWebhooks
    public let stock: LiveStockCheck
    public let orders: BrandOrders
    public let monitor: BrandHealthMonitor

    public init(database: FacetDatabase, dataDirectory: URL, brands configs: [BrandConfig], mappingRoot: URL, options: Options = Options(),
                logger: Logger, onChanges: @escaping @Sendable ([CatalogChange]) -> Void = { _ in },
                onHealth: @escaping @Sendable (BrandHealth) -> Void = { _ in }) throws {
        let brands = try Brands(database: database, dataDirectory: dataDirectory, brands: configs, mappingRoot: mappingRoot,
                                options: options, logger: logger, onChanges: onChanges)
        let photos = BrandPhotos(brands: brands)
        let monitor = BrandHealthMonitor(brands: brands, onHealth: onHealth)
        self.brands = brands
        self.monitor = monitor
        self.runs = BrandSyncRunner(brands: brands, photos: photos, monitor: monitor)
        self.webhooks = BrandWebhooks(brands: brands, photos: photos, monitor: monitor)
        self.stock = LiveStockCheck(brands: brands)
        self.orders = BrandOrders(brands: brands)
    }

    /// Brand names in configuration order.
    public var names: [String] { brands.names }
    public var changes: CatalogChangeStream { brands.changes }
    public var products: CatalogStore { brands.products }

    /// Starts every brand's sync loop and the retry loop for order notifications.
    public func start() {
        runs.start()
        orders.start()
    }

    public func stop() {
        runs.stop()
        orders.stop()
    }
}
