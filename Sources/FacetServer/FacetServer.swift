import FacetHTTP
import FacetStore
import Foundation
import Logging
import Synchronization

/// Builds the services, the application and the transport, and runs them until stopped.
public final class FacetServer: Sendable {
    public let services: Services
    public let application: Application
    let transport: LWSServer
    let digest: WatchDigest

    public init(configuration: ServerConfiguration, logger: Logger) throws {
        // Events are committed by the services and fanned out by the transport, built after them.
        let slot = TransportSlot()
        let services = try Services.make(configuration, logger: logger) { event in
            slot.transport.withLock { $0 }?.publish(RealtimeEvent(event))
        }
        let application = Application(services: services)
        let transport = LWSServer(configuration: configuration.transport, responder: application,
                                  realtime: RealtimeAccess(services: services, originAllowed: application.originAllowed),
                                  logger: logger)
        slot.transport.withLock { $0 = transport }
        services.webSockets.withLock { $0 = { transport.webSocketCount } }
        self.services = services
        self.application = application
        self.transport = transport
        self.digest = WatchDigest(services: services)
    }

    public func start() throws {
        services.search.start()
        try transport.start()
        if services.configuration.startSync { services.sourcing?.start() }
        digest.start()
    }

    public func stop() {
        digest.stop()
        services.sourcing?.stop()
        transport.stop()
        services.search.stop()
    }

    public var port: Int { transport.boundPort }
    public func waitUntilStopped() { transport.waitUntilStopped() }
}

/// Lets the publisher, built before the transport, reach it once it exists.
final class TransportSlot: Sendable {
    let transport = Mutex<LWSServer?>(nil)
}
