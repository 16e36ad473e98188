import FacetCore
import FacetStore
import Foundation
import Logging
import Synchronization

/// What every part of brand sourcing shares: the connectors, the stores, which brands are
/// syncing now, and the one way a committed catalog change is announced.
public final class Brands: Sendable {
    public let products: CatalogStore
    let syncState: BrandSyncStore
    let imageSources: ImageSourceStore
    let brandOrders: BrandOrderStore
    public let images: ImageStore
    public let changes = CatalogChangeStream()
    public let options: SourcingService.Options
    let database: FacetDatabase
    let connectors: [String: BrandConnector]
    /// Brands in the order they were configured.
    public let names: [String]
    let logger: Logger
    let onChanges: @Sendable ([CatalogChange]) -> Void
    /// Brands with a run in progress: one run per brand at a time.
    let running = Mutex<Set<String>>([])

    init(database: FacetDatabase, dataDirectory: URL, brands: [BrandConfig], mappingRoot: URL, options: SourcingService.Options,
         logger: Logger, onChanges: @escaping @Sendable ([CatalogChange]) -> Void) throws {
        self.database = database
        self.products = CatalogStore(database: database)
        self.syncState = BrandSyncStore(database: database)
        self.imageSources = ImageSourceStore(database: database)
        self.brandOrders = BrandOrderStore(database: database)
        self.images = ImageStore(directory: dataDirectory.appendingPathComponent("images"))
        self.options = options
        self.logger = logger
        self.onChanges = onChanges
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
        self.names = brands.map(\.brand)
    }

    public func connector(_ brand: String) -> BrandConnector? { connectors[brand] }

    func connector(for brand: String) throws -> BrandConnector {
        guard let connector = connectors[brand] else { throw SourcingError.unknownBrand(brand) }
        return connector
    }

    /// Committed changes go to the search index's stream and to the application.
    func announce(_ changes: [CatalogChange]) {
        guard !changes.isEmpty else { return }
        self.changes.send(changes)
        onChanges(changes)
    }
}
