import FacetSourcing
import FacetStore
import Foundation
import Logging

/// Builds the services and the transport, and runs them until stopped.
public final class FacetServer: Sendable {
    public let services: Services
    let transport: LWSServer

    public init(configuration: ServerConfiguration, logger: Logger) throws {
        let database = try FacetDatabase(dataDirectory: configuration.dataDirectory)
        let router = Router()
        let box = TransportBox()
        let publisher = Publisher(database: database) { event in box.outbox?.post(.event(event)) }
        var sourcing: SourcingService?
        if !configuration.brands.isEmpty {
            sourcing = try SourcingService(
                database: database, dataDirectory: configuration.dataDirectory, brands: configuration.brands,
                mappingRoot: configuration.mappingRoot, options: configuration.sourcing, logger: logger,
                onChanges: { changes in SourcingRoutes.publish(changes, publisher: publisher, logger: logger) },
                onHealth: { health in _ = try? publisher.publish(topic: "admin", event: "sync.status", data: health) })
        }
        let marketplace = try MarketplaceRoutes.makeService(configuration, database: database, publisher: publisher, logger: logger)
        let search = SearchService(database: database, dataDirectory: configuration.dataDirectory, publisher: publisher,
                                   sourcing: sourcing, marketplace: marketplace, options: configuration.search, logger: logger)
        services = Services(configuration: configuration, database: database, publisher: publisher, sourcing: sourcing,
                            marketplace: marketplace, search: search, logger: logger)
        let application = Application(services: services, router: router)
        transport = LWSServer(configuration: configuration, responder: application, realtime: application.realtime, logger: logger)
        let transport = transport
        let outbox = ServiceOutbox { transport.wake() }
        box.outbox = outbox
        transport.attach(outbox: outbox)
        AuthRoutes.register(on: router)
        MeRoutes.register(on: router)
        AdminRoutes.register(on: router)
        SourcingRoutes.register(on: router)
        SearchRoutes.register(on: router)
        MarkupRoutes.register(on: router)
        MarketplaceRoutes.register(on: router)
        HealthRoutes.register(on: router) { transport.webSocketCount.load(ordering: .relaxed) }
        router.on(.GET, "/ws") { _ in throw APIError(426, "upgrade_required", "Open /ws as a WebSocket.") }
        router.freeze()
    }

    public func start() throws {
        services.search?.start()
        try transport.start()
        if services.configuration.startSync { services.sourcing?.start() }
    }

    public func stop() {
        services.sourcing?.stop()
        transport.stop()
        services.search?.stop()
    }

    public var port: Int { transport.boundPort }
    public func waitUntilStopped() { transport.waitUntilStopped() }
}

/// Lets the publisher, built before the transport, reach the transport's outbox.
final class TransportBox: @unchecked Sendable {
    // Written once during FacetServer.init, before any event can be published.
    var outbox: ServiceOutbox?
}
