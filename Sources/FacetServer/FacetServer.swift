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
        services = Services(configuration: configuration, database: database, publisher: publisher, logger: logger)
        let application = Application(services: services, router: router)
        transport = LWSServer(configuration: configuration, responder: application, realtime: application.realtime, logger: logger)
        let transport = transport
        let outbox = ServiceOutbox { transport.wake() }
        box.outbox = outbox
        transport.attach(outbox: outbox)
        AuthRoutes.register(on: router)
        MeRoutes.register(on: router)
        AdminRoutes.register(on: router)
        HealthRoutes.register(on: router) { transport.webSocketCount.load(ordering: .relaxed) }
        router.on(.GET, "/ws") { _ in throw APIError(426, "upgrade_required", "Open /ws as a WebSocket.") }
        router.freeze()
    }

    public func start() throws { try transport.start() }
    public func stop() { transport.stop() }
    public func waitUntilStopped() { transport.waitUntilStopped() }
}

/// Lets the publisher, built before the transport, reach the transport's outbox.
final class TransportBox: @unchecked Sendable {
    // Written once during FacetServer.init, before any event can be published.
    var outbox: ServiceOutbox?
}
