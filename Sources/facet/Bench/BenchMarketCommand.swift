import ArgumentParser
import FacetCore
import FacetHTTP
import FacetServer
import FacetSimulators
import FacetSourcing
import FacetStore
import Foundation
import Logging

struct BenchMarket: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "market",
        abstract: "Marketplace sourcing: listings parsed per second, and time to the first marketplace result.",
        discussion: """
            Parser alone: the fixture pages under Tests/FacetSourcingTests/Fixtures and full result pages from the \
            simulator (data blob and cards), parsed and normalised repeatedly. End to end: N searches with distinct \
            keywords through MarketplaceService (fresh data folder, photos stored) against the marketplace simulator \
            (in-process with --latency-ms per page, or --url), for each source; prints time to the first listings \
            (p50/p95) and listings per second.
            """)

    @Option(help: ArgumentHelp("A running `facet market-sim` instead of an in-process one.", valueName: "url")) var url: String?
    @Option(help: "Searches per source.") var searches: Int = 10
    @Option(help: ArgumentHelp("Simulator latency per page, ms (in-process only).", valueName: "min-max")) var latencyMs: String = "300-800"
    @Option(help: "Result pages per search.") var pages: Int = 2
    @Option(help: "api, web or both.") var source: String = "both"
    @Option(help: "Parser iterations per page.") var iterations: Int = 300
    @Option(help: ArgumentHelp("The demo world.", valueName: "dir")) var seeds: String = "seeds"
    @Option(help: "API key and secret of the simulator at --url.") var appKey: String = "demo-app-key"
    @Option var appSecret: String = "demo-app-secret"

    func validate() throws {
        guard searches >= 1, pages >= 1, iterations >= 1 else { throw ValidationError("counts must be positive.") }
        guard MarketSim.latency(latencyMs) != nil else { throw ValidationError("--latency-ms must be N or MIN-MAX.") }
        guard ["api", "web", "both"].contains(source) else { throw ValidationError("--source must be api, web or both.") }
    }

    func run() async throws {
        CommandLogging.bootstrap(level: .error)
        let logger = Logger(label: "bench")
        var base = url
        var server: LWSServer?
        var key = appKey, secret = appSecret
        if base == nil {
            let running = try MarketDemo.start(seeds: URL(fileURLWithPath: seeds, isDirectory: true).standardizedFileURL,
                                               latency: MarketSim.latency(latencyMs)!)
            base = running.url
            server = running.server
            key = running.options.appKey!
            secret = running.options.appSecret!
            say("simulator: \(running.url), \(running.simulator.offerCount) offers, \(latencyMs) ms a page")
        }
        defer { server?.stop(); server?.waitUntilStopped() }
        try await parser(base: base!)
        for name in source == "both" ? ["api", "web"] : [source] {
            try await endToEnd(base: base!, source: name, key: key, secret: secret, logger: logger)
        }
    }

    func parser(base: String) async throws {
        var pagesToParse: [(String, String)] = []
        let fixtures = URL(fileURLWithPath: "Tests/FacetSourcingTests/Fixtures")
        for name in ["results-json.html", "results-cards.html"] {
            if let text = try? String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8) { pagesToParse.append(("fixture \(name)", text)) }
        }
        let client = HTTPClient()
        for page in [1, 2] {
            let response = try await client.send(HTTPClientRequest(url: "\(base)/trade/search?SearchText=gold&CatId=ring&page=\(page)"))
            pagesToParse.append(("simulator page \(page) (\(page == 1 ? "data blob" : "cards"))", String(decoding: response.body, as: UTF8.self)))
        }
        let pageURL = URL(string: base)
        for (label, html) in pagesToParse {
            var listings = 0
            let started = Date()
            for _ in 0..<iterations {
                let parsed = try ResultPageParser.parse(html)
                listings += parsed.offers.compactMap { ListingNormaliser.normalise($0, source: "web", category: .ring, baseURL: pageURL) }.count
            }
            let seconds = Date().timeIntervalSince(started)
            say(String(format: "parser: %-36@ %6.0f listings/s (%d listings a page, %.3f ms a page)", label as NSString,
                       Double(listings) / seconds, listings / iterations, seconds * 1000 / Double(iterations)))
        }
    }

    func endToEnd(base: String, source: String, key: String, secret: String, logger: Logger) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("facet-bench-market-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var options = MarketplaceService.Options()
        options.webURL = URL(string: base)
        options.apiURL = URL(string: base)
        options.appKey = key
        options.appSecret = secret
        options.allowLoopback = true
        options.defaults.sources = ["api": source == "api", "web": source == "web"]
        options.defaults.maxPages = pages
        let service = try MarketplaceService(database: try FacetDatabase(dataDirectory: root),
                                             imageStore: ImageStore(directory: root.appendingPathComponent("images")),
                                             options: options, logger: logger, onAlert: { say("alert: \($0.message)") })
        let words = ["gold", "silver", "vintage", "pearl", "diamond", "rose", "floral", "minimalist", "statement", "ruby", "sapphire",
                     "emerald", "filigree", "engraved", "geometric", "white", "18k", "14k", "925", "zircon"]
        var firsts: [Double] = []
        var listings = 0
        var outcomes: [String: Int] = [:]
        let started = Date()
        for i in 0..<searches {
            let category = Category.allCases[i % Category.allCases.count]
            let query = MarketplaceQuery(category: category, keywords: [words[i % words.count], words[(i * 7 + 3) % words.count]])
            let t0 = Date()
            var first: Double?
            for await event in service.search(query) {
                switch event {
                case let .listings(page):
                    if first == nil { first = Date().timeIntervalSince(t0) }
                    listings += page.count
                case .finished: outcomes["finished", default: 0] += 1
                case let .paused(m): outcomes["paused", default: 0] += 1; say("paused: \(m)")
                case let .failed(m): outcomes["failed", default: 0] += 1; say("failed: \(m)")
                }
            }
            if let first { firsts.append(first) }
        }
        let seconds = Date().timeIntervalSince(started)
        say("first results (\(source)), s: " + firsts.map { String(format: "%.2f", $0) }.joined(separator: " "))
        let sorted = firsts.sorted()
        func pct(_ p: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        say(String(format: "end to end (%@): %d searches, %d with results, time to first result p50 %.2f s, p95 %.2f s, max %.2f s; %d listings in %.1f s (%.1f listings/s, photos included); %@",
                   source, searches, sorted.count, pct(0.5), pct(0.95), sorted.last ?? .nan, listings, seconds, Double(listings) / seconds,
                   outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
    }
}
