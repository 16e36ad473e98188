import ArgumentParser
import FacetSimulators
import Foundation
import Logging

struct MarketSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "market-sim",
        abstract: "Serve a wholesale marketplace over the demo world's listings: result pages, a signed API, photos, robots.txt, faults.",
        discussion: """
            GET /trade/search?SearchText=&CatId=&pricef=&pricet=&page= answers result pages (odd pages carry the \
            window.__INITIAL_DATA__ blob, even pages server-rendered cards, unless --variant says otherwise); \
            GET /rest/product/search answers JSON when app_key, timestamp, sign_method=sha256 and sign are right; \
            photos under /images/marketplace/; /robots.txt. POST /_control sets faults ({"latencyMinMs","latencyMaxMs", \
            "rateLimit","retryAfter","captcha","malformedCards","changedMarkup","dropConnections","variant","robots", \
            "reset","resetCounters"}); GET /_control shows them with request counters.
            """)

    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "TCP port.") var port: Int
    @Option(help: ArgumentHelp("Folder holding marketplace/ and images/.", valueName: "dir")) var seeds: String = "seeds"
    @Option(help: ArgumentHelp("Latency added to each search page or API answer, e.g. 300-800 (ms).", valueName: "min-max"))
    var latencyMs: String = "0"
    @Option(help: "json, html or mixed.") var variant: String = "mixed"
    @Option(help: "The API's app key.") var appKey: String = "demo-app-key"
    @Option(help: "The API's app secret.") var appSecret: String = "demo-app-secret"
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel: Logger.Level = .warning

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535.") }
        guard Self.latency(latencyMs) != nil else { throw ValidationError("--latency-ms must be N or MIN-MAX.") }
        guard ["json", "html", "mixed"].contains(variant) else { throw ValidationError("--variant must be json, html or mixed.") }
    }

    static func latency(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...2).contains(parts.count), let low = parts.first ?? nil, let high = parts.last ?? nil, low >= 0, low <= high else { return nil }
        return (low, high)
    }

    func run() throws {
        CommandLogging.bootstrap(level: logLevel)
        let logger = Logger(label: "market-sim")
        var options = MarketSimulator.Options(seeds: URL(fileURLWithPath: seeds, isDirectory: true))
        options.appKey = appKey
        options.appSecret = appSecret
        let (low, high) = Self.latency(latencyMs)!
        options.faults.latencyMinMs = low
        options.faults.latencyMaxMs = high
        options.faults.variant = variant
        let simulator = try MarketSimulator(options: options, logger: logger)
        let server = try SimulatorHost.start(simulator, host: host, port: port, logger: logger)
        let signals = StopSignals { server.stop() }
        say("Marketplace simulator (\(simulator.offerCount) offers) listening on http://\(host):\(port)")
        server.waitUntilStopped()
        signals.cancel()
    }
}
