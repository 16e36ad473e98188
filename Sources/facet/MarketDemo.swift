import FacetHTTP
import FacetServer
import FacetSimulators
import FacetSourcing
import Foundation
import Logging

/// The demo's marketplace: the simulator on a free loopback port with a fresh API key and
/// secret, and the options that point Facet's (API) source at it.
enum MarketDemo {
    struct Running {
        let simulator: MarketSimulator
        let server: LWSServer
        let url: String
        let options: MarketplaceService.Options
    }

    static func start(seeds: URL, latency: (Int, Int) = (300, 800)) throws -> Running {
        var logger = Logger(label: "market-sim")
        logger.logLevel = .warning
        var simOptions = MarketSimulator.Options(seeds: seeds)
        simOptions.appKey = "demo-" + Demo.token()
        simOptions.appSecret = "secret-" + Demo.token()
        simOptions.faults.latencyMinMs = latency.0
        simOptions.faults.latencyMaxMs = latency.1
        let simulator = try MarketSimulator(options: simOptions, logger: logger)
        let port = try FreePort.find()
        let server = try SimulatorHost.start(simulator, host: "127.0.0.1", port: port, logger: logger)
        let url = "http://127.0.0.1:\(port)"
        var options = MarketplaceService.Options()
        options.webURL = URL(string: url)
        options.apiURL = URL(string: url)
        options.appKey = simOptions.appKey
        options.appSecret = simOptions.appSecret
        options.allowLoopback = true
        options.defaults.sources = ["api": true, "web": false]
        return Running(simulator: simulator, server: server, url: url, options: options)
    }
}
