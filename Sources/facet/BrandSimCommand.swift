import ArgumentParser
import FacetSimulators
import FacetSourcing
import Foundation
import Logging

struct BrandSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "brand-sim",
        abstract: "Serve a demo brand's own API (native shapes) from seeds/, with webhooks and fault switches.",
        discussion: """
            Aurelia answers /v1/products, /v1/products/<sku>, /v1/stock, /v1/orders (Authorization: Bearer <key>); \
            Northbridge answers /api/catalog/items, /api/catalog/items/<id>, /api/inventory, /api/orders (X-Api-Key). \
            Photos are served from seeds/images under /seeds/images/. Changes and orders persist in --data. \
            POST /_control sets faults ({"latencyMs","fail5xx","rateLimit","retryAfter","timeouts","timeoutMs", \
            "slowOrders","malformedPages","wrongSignature","down","reset"}); POST /_control/change changes the catalog \
            ({"action":"price|stock|discontinue|create|touch|synthesize","sku","cost","stock","newSku","count"}) and \
            sends the matching signed webhook; GET /_control/orders lists orders received.
            """)

    @Option(help: "aurelia or northbridge.")
    var brand: String

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "TCP port.")
    var port: Int

    @OptionGroup var data: DataOption

    @Option(help: ArgumentHelp("Folder holding brands/ and images/.", valueName: "dir"))
    var seeds: String = "seeds"

    @Option(help: "API key clients must send (default demo-<brand>-key).")
    var apiKey: String?

    @Option(help: ArgumentHelp("Facet's webhook URL for this brand, e.g. http://127.0.0.1:8080/api/webhooks/brands/aurelia.", valueName: "url"))
    var webhookURL: String?

    @Option(help: "Shared secret for signing webhooks.")
    var webhookSecret: String?

    @Option(help: "Latency added to every API answer, in ms.") var latencyMs = 0
    @Option(name: .customLong("fail-5xx"), help: "The next N API requests answer 503.") var fail5xx = 0
    @Option(help: "The next N API requests answer 429.") var rateLimit = 0
    @Option(help: "Retry-After seconds on 429.") var retryAfter = 1
    @Option(help: "The next N API requests wait --timeout-ms before answering.") var timeouts = 0
    @Option(help: "Delay used by --timeouts and --slow-orders, in ms.") var timeoutMs = 5000
    @Option(help: "The next N orders are created, then answered after --timeout-ms.") var slowOrders = 0
    @Option(help: "The next N listing pages are malformed JSON.") var malformedPages = 0
    @Flag(help: "Sign webhooks with a wrong secret.") var wrongSignature = false
    @Flag(help: "Answer 503 to every API request.") var down = false
    @Option(help: "Add N synthetic products (for load tests).") var synthesize = 0
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel: Logger.Level = .warning

    func validate() throws {
        guard BrandSimulator.Brand(rawValue: brand) != nil else { throw ValidationError("--brand must be aurelia or northbridge.") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535.") }
    }

    func run() throws {
        CommandLogging.bootstrap(level: logLevel)
        let logger = Logger(label: "brand-sim.\(brand)")
        let kind = BrandSimulator.Brand(rawValue: brand)!
        var options = BrandSimulator.Options(brand: kind, seeds: URL(fileURLWithPath: seeds, isDirectory: true), data: data.url,
                                             apiKey: apiKey ?? "demo-\(brand)-key")
        options.webhookURL = webhookURL
        options.webhookSecret = webhookSecret
        options.synthesize = synthesize
        var faults = BrandSimulator.Faults()
        faults.latencyMs = latencyMs
        faults.fail5xx = fail5xx
        faults.rateLimit = rateLimit
        faults.retryAfter = retryAfter
        faults.timeouts = timeouts
        faults.timeoutMs = timeoutMs
        faults.slowOrders = slowOrders
        faults.malformedPages = malformedPages
        faults.wrongSignature = wrongSignature
        faults.down = down
        options.faults = faults
        let simulator = try BrandSimulator(options: options, logger: logger)
        let server = try SimulatorHost.start(simulator, host: host, port: port, logger: logger)
        let signals = StopSignals { server.stop() }
        say("Brand simulator \(brand) (\(simulator.productCount) products) listening on http://\(host):\(port)")
        server.waitUntilStopped()
        signals.cancel()
    }
}

/// SIGINT/SIGTERM run `stop` once.
final class StopSignals: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(_ stop: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { signal in
            Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler(handler: stop)
            source.resume()
            return source
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}

enum FreePort {
    /// A loopback port nobody listens on right now.
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ValidationError("no socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ValidationError("could not bind a loopback port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Prints a line at once (stdout is a pipe under tests and `make run`, and lines must not wait in a buffer).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
