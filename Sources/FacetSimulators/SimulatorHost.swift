import FacetServer
import Foundation
import Logging

/// Runs a simulator (brand or marketplace) on a real port with the same transport as Facet.
public enum SimulatorHost {
    public static func start(_ simulator: some HTTPResponder, host: String, port: Int, logger: Logger) throws -> LWSServer {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.webRoot = nil
        configuration.maxJSONBody = 4 << 20
        let server = LWSServer(configuration: configuration, responder: simulator, realtime: nil, logger: logger)
        server.prepare()
        try server.start()
        return server
    }
}
