import ArgumentParser
import FacetCore
import FacetServer
import FacetStore
import Foundation
import Logging

struct BenchConsole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Time the operations console over HTTP against a business history (dashboard and every analytics report).",
        discussion: """
            Starts Facet on a loopback port with a fresh data folder, makes a history (by default 10,000 searches, \
            1,000 quote requests and 500 orders, through the real quote and order services), signs an ops user in, then \
            times the dashboard page as a browser first loads it (the page, its scripts, the dashboard API) and each \
            analytics report as JSON and CSV, and prints p50/p95/max.
            """)

    @Option(help: "Searches in the history.") var searches: Int = 10_000
    @Option(help: "Quote requests in the history.") var quotes: Int = 1_000
    @Option(help: "Orders (accepted quotes) in the history.") var orders: Int = 500
    @Option(help: "Timed requests of each kind.") var requests: Int = 30

    func validate() throws {
        guard (0...200_000).contains(searches), (0...20_000).contains(quotes), (0...20_000).contains(orders) else {
            throw ValidationError("--searches up to 200000, --quotes and --orders up to 20000.")
        }
        guard orders <= quotes else { throw ValidationError("--orders cannot exceed --quotes.") }
        guard requests >= 5 else { throw ValidationError("--requests must be at least 5.") }
    }

    func run() async throws {
        CommandLogging.bootstrap(level: .warning)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("facet-bench-console-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var configuration = ServerConfiguration()
        configuration.port = try FreePort.find()
        configuration.dataDirectory = root
        configuration.webRoot = URL(fileURLWithPath: "web")
        let server = try FacetServer(configuration: configuration, logger: Logger(label: "bench"))
        try server.start()
        defer { server.stop(); server.waitUntilStopped() }

        let started = ContinuousClock.now
        let figures = try await ConsoleHistory(services: server.services, searches: searches, quotes: quotes, orders: orders).make()
        print("history: \(figures.searches) searches, \(figures.quotes) quote requests (\(figures.sent) answered), \(figures.orders) orders " +
              "(\(figures.paid) paid, \(figures.shipped) shipped, \(figures.delivered) delivered) in \(started.duration(to: .now))")

        let now = Date()
        let ops = UserRecord(id: Identifier.make("u"), email: "bench-ops@example.com", passwordHash: "!", role: .ops, verifiedAt: now,
                             companyName: "Facet", businessLicense: "-", contactName: "Bench", phone: "-", country: "-", businessType: .other,
                             typicalOrderVolume: .under1k, preferredCategories: [], createdAt: now, updatedAt: now)
        try await server.services.accounts.create(ops)
        let http = HTTPSession(host: "127.0.0.1", port: UInt16(configuration.port))
        http.cookie = "facet_session=\(try await server.services.accounts.openSession(userId: ops.id))"

        func time(_ paths: [String]) throws -> [Double] {
            try (0..<requests).map { _ in
                let start = ContinuousClock.now
                for path in paths {
                    let r = try http.request("GET", path)
                    guard r.status == 200 else { throw ValidationError("\(path) answered \(r.status)") }
                }
                let d = start.duration(to: .now)
                return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
            }.sorted()
        }
        func say(_ label: String, _ ms: [Double]) {
            print(String(format: "%@  p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms  (%d)", label.padding(toLength: 46, withPad: " ", startingAt: 0),
                         ms[ms.count / 2], ms[min(ms.count - 1, ms.count * 95 / 100)], ms.last ?? 0, ms.count))
        }
        say("GET /api/admin/dashboard", try time(["/api/admin/dashboard"]))
        // What a browser fetches before the dashboard can paint its figures.
        say("dashboard first load (page + scripts + API)", try time(["/admin.html", "/js/pages/admin.js", "/css/facet.css", "/api/admin/dashboard"]))
        for report in ["demand", "match-quality", "sales", "supply"] {
            say("GET /api/admin/analytics/\(report)", try time(["/api/admin/analytics/\(report)"]))
            say("  same, category ring, last 30 days", try time(["/api/admin/analytics/\(report)?category=ring&from=\(JSONCoding.iso8601(now.addingTimeInterval(-30 * 86_400)))"]))
            say("  same, CSV", try time(["/api/admin/analytics/\(report)?format=csv"]))
        }
        say("GET /api/admin/audit (500 entries)", try time(["/api/admin/audit"]))
        say("GET /api/admin/quotes (queue)", try time(["/api/admin/quotes"]))
        say("GET /api/admin/orders", try time(["/api/admin/orders"]))
    }
}
