import FacetHTTP
import Foundation
import Logging

/// Runs a simulator (brand or marketplace) on a real port with the same transport as Facet.
public enum SimulatorHost {
    public static func start(_ simulator: some HTTPResponder, host: String, port: Int, logger: Logger) throws -> LWSServer {
        var configuration = TransportConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.webRoot = nil
        configuration.bodyLimit = { _, _ in 4 << 20 }
        let server = LWSServer(configuration: configuration, responder: simulator, realtime: nil, logger: logger)
        try server.start()
        return server
    }
}
