import FacetCommerce
import FacetCore
import FacetHTTP
import FacetOperations
import FacetSearch
import FacetSourcing
import FacetStore
import Foundation
import Logging
import Synchronization

/// Everything a handler may use, built once by `Services.make`.
public final class Services: Sendable {
    public let configuration: ServerConfiguration
    public let database: FacetDatabase
    public let accounts: AccountStore
    public let events: EventLog
    public let markups: MarkupStore
    /// Who owns each kind of resource: REST handlers and topic subscriptions both ask here.
    public let ownership: Ownership
    public let hasher: PasswordHasher
    public let mailer: Mailer
    public let loginLimiter: LoginThrottle
    public let sessions: SessionCache
    public let publisher: Publisher
    public let logger: Logger
    /// Brand connectors and sync; nil when no brand is configured.
    public let sourcing: SourcingService?
    /// Image search: index, matcher, pipeline and its compute threads.
    public let search: SearchService
    /// The buyer's cart and wishlist, priced live through the search module's offers.
    public let workspace: Workspace
    /// Quote requests, drafts, versions and the thread with sales.
    public let quotes: Quotes
    /// Orders from accepted quotes, to delivery and feedback.
    public let orders: Orders
    public let attachments: Attachments
    /// Who has a WebSocket open (so they are not also e-mailed).
    public let presence: Presence
    let quoteExpiry: QuoteExpiry
    /// The operations console's reading: work counts, analytics, approvals, audit, accounts.
    public let operations: Operations
    /// Tier-2 marketplace sourcing; nil when no marketplace is configured.
    public let marketplace: MarketplaceService?
    /// Open WebSocket sessions, as the transport counts them (0 without a transport).
    public let webSockets = Mutex<@Sendable () -> Int>({ 0 })

    init(configuration: ServerConfiguration, database: FacetDatabase, publisher: Publisher, sourcing: SourcingService?,
         marketplace: MarketplaceService?, search: SearchService, logger: Logger) {
        self.configuration = configuration
        self.database = database
        self.accounts = AccountStore(database: database)
        self.events = EventLog(database: database)
        self.markups = MarkupStore(database: database)
        self.ownership = Ownership(database: database)
        self.hasher = PasswordHasher(logRounds: configuration.scryptLogRounds)
        self.mailer = Mailer(outbox: configuration.dataDirectory.appendingPathComponent("outbox"),
                             smtpURL: configuration.smtpURL, from: configuration.mailFrom, logger: logger)
        self.loginLimiter = LoginThrottle()
        self.sessions = SessionCache(accounts: accounts)
        self.publisher = publisher
        self.sourcing = sourcing
        self.search = search
        let workspace = Workspace(database: database, publisher: publisher, offers: search)
        self.workspace = workspace
        let presence = Presence()
        self.presence = presence
        let attachments = Attachments(database: database, directory: configuration.dataDirectory.appendingPathComponent("attachments"))
        self.attachments = attachments
        let mail = CommerceMailer(mailer: mailer, database: database, baseURL: configuration.resolvedPublicURL, logger: logger)
        var settings = CommerceSettings()
        settings.currency = configuration.search.currency
        settings.expiryInterval = configuration.quoteExpiryInterval
        self.quotes = Quotes(database: database, publisher: publisher, offers: search, workspace: workspace, presence: presence, mail: mail,
                             attachments: attachments, settings: settings)
        self.orders = Orders(database: database, publisher: publisher, offers: search, workspace: workspace, presence: presence, mail: mail,
                             brands: sourcing.map { SourcingBrandOrders(sourcing: $0) }, attachments: attachments, settings: settings)
        self.quoteExpiry = QuoteExpiry(quotes: quotes, interval: settings.expiryInterval, logger: logger)
        self.operations = Operations(database: database, publisher: publisher)
        ownership.register(.quote, CommerceOwnership.quote)
        ownership.register(.order, CommerceOwnership.order)
        self.marketplace = marketplace
        self.logger = logger
    }

    /// Opens the database and builds every service; `deliver` hands committed events to the realtime transport.
    public static func make(_ configuration: ServerConfiguration, logger: Logger,
                            deliver: @escaping @Sendable (StoredEvent) -> Void) throws -> Services {
        FacetMetrics.bootstrap()
        let database = try FacetDatabase(dataDirectory: configuration.dataDirectory)
        let publisher = Publisher(database: database, deliver: deliver)
        // Carts follow prices: the workspace, built last, hears about catalog changes through this.
        let cartsBox = CartsBox()
        var sourcing: SourcingService?
        if !configuration.brands.isEmpty {
            sourcing = try SourcingService(
                database: database, dataDirectory: configuration.dataDirectory, brands: configuration.brands,
                mappingRoot: configuration.mappingRoot, options: configuration.sourcing, logger: logger,
                onChanges: { changes in
                    SourcingRoutes.publish(changes, publisher: publisher, logger: logger)
                    cartsBox.pricesMoved(skus: changes.map(\.sku), logger: logger)
                },
                onHealth: { health in _ = try? publisher.publish(topic: "admin", event: "sync.status", data: health) })
        }
        let marketplace = try MarketplaceRoutes.makeService(configuration, database: database, publisher: publisher, logger: logger)
        let search = SearchService(database: database, dataDirectory: configuration.dataDirectory, publisher: publisher,
                                   sourcing: sourcing, marketplace: marketplace, options: configuration.search, logger: logger)
        let services = Services(configuration: configuration, database: database, publisher: publisher, sourcing: sourcing,
                                marketplace: marketplace, search: search, logger: logger)
        cartsBox.set(services.workspace, search: search)
        return services
    }
}

public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var dataDirectory = URL(fileURLWithPath: "./data")
    public var webRoot: URL? = URL(fileURLWithPath: "./web")
    public var publicURL: String?
    public var smtpURL: String?
    public var mailFrom = "Facet <no-reply@facet.local>"
    public var tlsCertificate: String?
    public var tlsPrivateKey: String?
    public var maxJSONBody = 1 << 20
    /// Image uploads: the decoder's 20 MB limit plus room for the multipart envelope.
    public var maxUploadBody = 20_000_000 + 64 * 1024
    public var maxInboundWebSocketMessage = 64 * 1024
    public var maxQueuedFramesPerConnection = 512
    public var scryptLogRounds = PasswordHasher.defaultLogRounds
    public var eventLoop: TransportConfiguration.EventLoop = .poll
    /// Reverse proxies trusted to name the client in `X-Forwarded-For`.
    public var trustedProxies: Set<String> = []
    /// Brands to sync from, and how (interval, timeouts); mapping files resolve against `mappingRoot`.
    public var brands: [BrandConfig] = []
    public var sourcing = SourcingService.Options()
    public var search = SearchService.Options()
    public var mappingRoot = URL(fileURLWithPath: ".")
    /// The marketplace (tier 2) to search; nil leaves it off.
    public var marketplace: MarketplaceService.Options?
    /// How often sent quote versions past their validity are expired, in seconds.
    public var quoteExpiryInterval: TimeInterval = 30
    /// When the dashboard's health tiles turn amber or red.
    public var healthThresholds = HealthThresholds()
    /// Start the brand sync schedule with the server (the benchmark drives it by hand).
    public var startSync = true

    public init() {}

    /// What the transport is told: where to listen and how much a client may send.
    public var transport: TransportConfiguration {
        var t = TransportConfiguration()
        t.host = host
        t.port = port
        t.webRoot = webRoot
        t.tlsCertificate = tlsCertificate
        t.tlsPrivateKey = tlsPrivateKey
        t.maxInboundWebSocketMessage = maxInboundWebSocketMessage
        t.maxQueuedFramesPerConnection = maxQueuedFramesPerConnection
        t.eventLoop = eventLoop
        t.trustedProxies = trustedProxies
        t.responderPaths = ["/metrics"]
        let (json, upload) = (maxJSONBody, maxUploadBody)
        // Only the image upload and attachments may send more than a JSON body.
        let attachment = Attachments.maximumBytes + 64 * 1024
        t.bodyLimit = { method, path in
            guard method == .POST else { return json }
            return path == "/api/searches" ? upload : path == "/api/attachments" ? attachment : json
        }
        return t
    }

    public var resolvedPublicURL: String {
        if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        let scheme = tlsCertificate == nil ? "http" : "https"
        return "\(scheme)://\(host):\(port)"
    }
}

/// Lets brand sync, started before the workspace exists, tell carts that prices moved.
final class CartsBox: Sendable {
    private let state = Mutex<(Workspace, SearchService)?>(nil)

    func set(_ workspace: Workspace, search: SearchService) { state.withLock { $0 = (workspace, search) } }

    func pricesMoved(skus: [String], logger: Logger) {
        guard let (workspace, search) = state.withLock({ $0 }) else { return }
        do {
            let ids = try search.offerIds(skus: skus)
            if !ids.isEmpty { try workspace.announcePriceChanges(offerIds: ids) }
        } catch {
            logger.warning("carts not told of price changes", metadata: ["error": "\(error)"])
        }
    }
}
