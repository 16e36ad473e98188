import ArgumentParser
import FacetHTTP
import FacetServer
import FacetSimulators
import FacetSourcing
import FacetStore
import FacetVision
import Foundation
import Logging

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start Facet with both demo brand simulators wired to it, import their catalogs, and serve.",
        discussion: """
            The simulators listen on free loopback ports; Facet gets their URLs and API keys, they get Facet's \
            webhook URL and secrets. The demo accounts are created (as `facet seed load`), the initial import runs, \
            then Facet serves on --host/--port. SIGINT or SIGTERM stops everything.
            """)

    @Option(help: "Address Facet listens on.")
    var host: String = "127.0.0.1"

    @Option(help: "Facet's TCP port.")
    var port: Int = 8080

    @OptionGroup var data: DataOption

    @OptionGroup var embedding: EmbedderOptions

    @Option(help: ArgumentHelp("Folder of static web files.", valueName: "dir"))
    var web: String = "web"

    @Option(help: ArgumentHelp("The demo world (brands/ and images/).", valueName: "dir"))
    var seeds: String = "seeds"

    @Option(help: "Seconds between incremental brand syncs.")
    var syncInterval: Double = 60

    @Option(help: ArgumentHelp("Minutes between background refreshes of the sourcing index at first start (0: off; staff change it later).",
                               valueName: "minutes"))
    var sourcingRefresh: Int = 60

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard (0...10_080).contains(sourcingRefresh) else { throw ValidationError("--sourcing-refresh must be 0 to 10080 minutes.") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535.") }
        guard syncInterval >= 0.1 else { throw ValidationError("--sync-interval must be at least 0.1 s.") }
    }

    func run() async throws {
        CommandLogging.bootstrap(level: logLevel)
        let logger = Logger(label: "facet")
        ResourceLimits.raiseOpenFiles()
        let seedsURL = URL(fileURLWithPath: seeds, isDirectory: true).standardizedFileURL
        let simData = data.url.appendingPathComponent("brand-sims")
        let base = "http://\(host):\(port)"

        // Both simulators first, so Facet can reach them as it starts.
        var configs: [BrandConfig] = []
        var sims: [(BrandSimulator, LWSServer, String)] = []
        for kind in BrandSimulator.Brand.allCases {
            let simPort = try FreePort.find()
            let key = "demo-\(kind.rawValue)-" + Self.token()
            let secret = "whsec-" + Self.token()
            var options = BrandSimulator.Options(brand: kind, seeds: seedsURL, data: simData, apiKey: key)
            options.webhookURL = "\(base)/api/webhooks/brands/\(kind.rawValue)"
            options.webhookSecret = secret
            var simLogger = Logger(label: "brand-sim.\(kind.rawValue)")
            simLogger.logLevel = .warning // their access logs would drown Facet's
            let simulator = try BrandSimulator(options: options, logger: simLogger)
            let server = try SimulatorHost.start(simulator, host: "127.0.0.1", port: simPort, logger: simLogger)
            let url = "http://127.0.0.1:\(simPort)"
            sims.append((simulator, server, url))
            configs.append(BrandConfig(brand: kind.rawValue, baseURL: url, apiKey: key, webhookSecrets: [secret],
                                       mappingFile: seedsURL.appendingPathComponent("brands/\(kind.rawValue)/mapping.json").path))
        }

        let market = try MarketDemo.start(seeds: seedsURL)

        var configuration = ServerConfiguration()
        var marketOptions = market.options
        // The demo marketplace is small: ten pages cover a category, and a category with a
        // hundred fresh listings answers searches from the index.
        marketOptions.defaults.refreshMinutes = sourcingRefresh
        marketOptions.defaults.refreshPages = 10
        marketOptions.defaults.minLocalListings = sourcingRefresh > 0 ? 100 : 0
        configuration.marketplace = marketOptions
        configuration.host = host
        configuration.port = port
        configuration.dataDirectory = data.url
        configuration.webRoot = URL(fileURLWithPath: web, isDirectory: true).standardizedFileURL
        configuration.brands = configs
        configuration.sourcing.syncInterval = syncInterval
        configuration.startSync = false
        try embedding.configure(&configuration.search)
        let server = try FacetServer(configuration: configuration, logger: logger)

        say("Demo accounts:")
        for account in SeedLoad.demo {
            _ = try await StaffAccounts.upsert(database: server.services.database, email: account.email, password: account.password,
                                               role: account.role, name: account.name, company: account.company)
            say("  \(account.role.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) \(account.email)  password: \(account.password)")
        }
        try server.start()
        for (simulator, _, url) in sims { say("Brand simulator \(simulator.brand.rawValue): \(url) (\(simulator.productCount) products)") }
        say("Marketplace simulator: \(market.url) (\(market.simulator.offerCount) offers, 300-800 ms a page)")

        let sourcing = server.services.sourcing!
        let started = Date()
        await withTaskGroup(of: Void.self) { group in
            for brand in sourcing.names {
                group.addTask {
                    do {
                        let report = try await sourcing.runs.sync(brand: brand, full: true)
                        say("Imported \(brand): \(report?.items ?? 0) products, \(report?.changes ?? 0) changes")
                    } catch {
                        say("Import of \(brand) failed (it will be retried): \(error)")
                    }
                }
            }
        }
        say(String(format: "Initial import took %.1f s; indexing the photos for search…", Date().timeIntervalSince(started)))
        sourcing.start()
        do {
            let search = server.services.search
            // Searches before this point miss products still being indexed: say when they stop missing.
            Task.detached {
                while !Task.isCancelled {
                    let readiness = search.indexer.readiness()
                    if readiness.ready {
                        say(String(format: "Catalog searchable: %d products indexed, %.1f s after start", readiness.indexed,
                                   Date().timeIntervalSince(started)))
                        return
                    }
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
        }
        let simServers = sims.map(\.1) + [market.server]
        let signals = StopSignals {
            server.stop()
            for sim in simServers { sim.stop() }
        }
        say("Open \(base)  (sync every \(Int(syncInterval)) s; brand webhooks at \(base)/api/webhooks/brands/<brand>)")
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                server.waitUntilStopped()
                for sim in simServers { sim.waitUntilStopped() }
                continuation.resume()
            }.start()
        }
        signals.cancel()
    }

    static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<24).map { _ in String("abcdefghijklmnopqrstuvwxyz0123456789".randomElement(using: &generator)!) }.joined()
    }
}
