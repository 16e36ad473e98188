import ArgumentParser
import FacetServer
import FacetSimulators
import FacetSourcing
import Foundation
import Logging

struct BenchSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Time brand sync: full import, an incremental sync of N changed products, and webhook-to-catalog latency.",
        discussion: """
            Starts a brand simulator with N synthetic products beside an in-process Facet (fresh data folder, \
            loopback ports), imports everything, changes the stock of all N products at the brand, then times the \
            incremental sync that picks them up. Finally it changes prices one at a time and measures how long each \
            takes to reach Facet's catalog through the signed webhook.
            """)

    @Option(help: "Synthetic products added to the brand's catalog (all of them change before the incremental sync).")
    var products: Int = 10_000

    @Option(help: "aurelia or northbridge.")
    var brand: String = "aurelia"

    @Option(help: ArgumentHelp("The demo world.", valueName: "dir"))
    var seeds: String = "seeds"

    @Option(help: "Webhook round trips to time.")
    var webhooks: Int = 20

    func validate() throws {
        guard BrandSimulator.Brand(rawValue: brand) != nil else { throw ValidationError("--brand must be aurelia or northbridge.") }
        guard products >= 1 else { throw ValidationError("--products must be positive.") }
    }

    func run() async throws {
        CommandLogging.bootstrap(level: .warning)
        let logger = Logger(label: "bench")
        let kind = BrandSimulator.Brand(rawValue: brand)!
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("facet-bench-sync-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let seedsURL = URL(fileURLWithPath: seeds, isDirectory: true).standardizedFileURL
        let facetPort = try FreePort.find()
        let simPort = try FreePort.find()
        let secret = "bench-secret"
        var options = BrandSimulator.Options(brand: kind, seeds: seedsURL, data: root.appendingPathComponent("sim"), apiKey: "bench-key")
        options.synthesize = products
        options.webhookURL = "http://127.0.0.1:\(facetPort)/api/webhooks/brands/\(brand)"
        options.webhookSecret = secret
        let simulator = try BrandSimulator(options: options, logger: logger)
        let simServer = try SimulatorHost.start(simulator, host: "127.0.0.1", port: simPort, logger: logger)
        let simURL = "http://127.0.0.1:\(simPort)"

        var configuration = ServerConfiguration()
        configuration.port = facetPort
        configuration.dataDirectory = root.appendingPathComponent("facet")
        configuration.webRoot = nil
        configuration.startSync = false
        configuration.brands = [BrandConfig(brand: brand, baseURL: simURL, apiKey: "bench-key", webhookSecrets: [secret],
                                            mappingFile: seedsURL.appendingPathComponent("brands/\(brand)/mapping.json").path)]
        let server = try FacetServer(configuration: configuration, logger: logger)
        try server.start()
        defer {
            server.stop()
            simServer.stop()
            server.waitUntilStopped()
            simServer.waitUntilStopped()
        }
        let sourcing = server.services.sourcing!
        say("brand \(brand): \(simulator.productCount) products at the simulator (\(products) synthetic)")

        var started = Date()
        let full = try await sourcing.runs.sync(brand: brand, full: true)!
        say(String(format: "full import:        %6d products, %4d pages, %.2f s (%.0f products/s, photos included)",
                   full.items, full.pages, Date().timeIntervalSince(started), Double(full.items) / Date().timeIntervalSince(started)))

        try await Task.sleep(nanoseconds: 1_100_000_000) // a new second, so the change is after the cursor
        let client = HTTPClient()
        let touch = try await client.send(HTTPClientRequest(method: "POST", url: simURL + "/_control/change",
                                                            body: Array(#"{"action":"touch","count":\#(products)}"#.utf8)))
        guard touch.isSuccess else { throw ValidationError("the simulator refused the change") }
        started = Date()
        let incremental = try await sourcing.runs.sync(brand: brand, full: false)!
        let seconds = Date().timeIntervalSince(started)
        say(String(format: "incremental sync:   %6d products, %4d pages, %6d changes, %.2f s (%.0f products/s)",
                   incremental.items, incremental.pages, incremental.changes, seconds, Double(incremental.items) / seconds))

        var latencies: [Double] = []
        let sku = brand == "aurelia" ? "AUR-R-00013" : "NB-10003"
        for i in 0..<webhooks {
            let cost = 50_000 + i * 7 + 1
            let sent = Date()
            let change = try await client.send(HTTPClientRequest(method: "POST", url: simURL + "/_control/change",
                                                                 body: Array(#"{"action":"price","sku":"\#(sku)","cost":\#(cost)}"#.utf8)))
            guard change.isSuccess else { throw ValidationError("the simulator refused the price change") }
            while true {
                if let product = try await sourcing.products.product(sku: sku), product.baseCost.amount == Int64(cost) { break }
                if Date().timeIntervalSince(sent) > 10 { throw ValidationError("the webhook change did not arrive within 10 s") }
                try await Task.sleep(nanoseconds: 2_000_000)
            }
            latencies.append(Date().timeIntervalSince(sent) * 1000)
        }
        if !latencies.isEmpty {
            let sorted = latencies.sorted()
            say(String(format: "webhook to catalog: %d price changes, p50 %.1f ms, p95 %.1f ms, max %.1f ms",
                       sorted.count, sorted[sorted.count / 2], sorted[min(sorted.count - 1, sorted.count * 95 / 100)], sorted.last!))
        }
    }
}
