import FacetCore
import FacetSourcing
import FacetStore
import Foundation
import Logging

/// Everything a handler may use, built once by `FacetServer.start`.
public final class Services: Sendable {
    public let configuration: ServerConfiguration
    public let database: FacetDatabase
    public let accounts: AccountStore
    public let events: EventLog
    public let hasher: PasswordHasher
    public let mailer: Mailer
    public let loginLimiter: LoginRateLimiter
    public let sessions: SessionCache
    public let publisher: Publisher
    public let logger: Logger
    /// Brand connectors and sync; nil when no brand is configured.
    public let sourcing: SourcingService?
    /// Image search: index, matcher, pipeline and its compute threads.
    public let search: SearchService?
    /// Tier-2 marketplace sourcing; nil when no marketplace is configured.
    public let marketplace: MarketplaceService?

    init(configuration: ServerConfiguration, database: FacetDatabase, publisher: Publisher, sourcing: SourcingService?,
         marketplace: MarketplaceService? = nil, search: SearchService?, logger: Logger) {
        self.configuration = configuration
        self.database = database
        self.accounts = AccountStore(database: database)
        self.events = EventLog(database: database)
        self.hasher = PasswordHasher(logRounds: configuration.scryptLogRounds)
        self.mailer = Mailer(outbox: configuration.dataDirectory.appendingPathComponent("outbox"),
                             smtpURL: configuration.smtpURL, from: configuration.mailFrom, logger: logger)
        self.loginLimiter = LoginRateLimiter()
        self.sessions = SessionCache(accounts: accounts)
        self.publisher = publisher
        self.sourcing = sourcing
        self.search = search
        self.marketplace = marketplace
        self.logger = logger
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
    public var eventLoop: EventLoop = .poll

    /// poll() is libwebsockets' built-in loop; libev (epoll) scales to many idle sockets.
    public enum EventLoop: String, Sendable, CaseIterable {
        case poll, libev
    }
    /// Brands to sync from, and how (interval, timeouts); mapping files resolve against `mappingRoot`.
    public var brands: [BrandConfig] = []
    public var sourcing = SourcingService.Options()
    public var search = SearchService.Options()
    public var mappingRoot = URL(fileURLWithPath: ".")
    /// The marketplace (tier 2) to search; nil leaves it off.
    public var marketplace: MarketplaceService.Options?
    /// Start the brand sync schedule with the server (the benchmark drives it by hand).
    public var startSync = true

    public init() {}

    /// Only the image upload may send more than a JSON body.
    public func bodyLimit(method: HTTPMethod, path: String) -> Int {
        method == .POST && path == "/api/searches" ? maxUploadBody : maxJSONBody
    }

    public var resolvedPublicURL: String {
        if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        let scheme = tlsCertificate == nil ? "http" : "https"
        return "\(scheme)://\(host):\(port)"
    }
}
