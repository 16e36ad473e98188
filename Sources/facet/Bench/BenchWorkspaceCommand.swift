import ArgumentParser
import FacetCore
import FacetSearch
import FacetServer
import FacetStore
import Foundation
import Logging

struct BenchWorkspace: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace",
        abstract: "Time the buyer workspace over HTTP: GET /api/cart with N lines, and a filtered 48-result page of a search.",
        discussion: """
            Starts Facet on a loopback port with a fresh data folder, stocks N products, signs a buyer in, fills the \
            cart with one line per product (half of them at a tier quantity), stores a search whose ranked list holds \
            48 offers, then times repeated requests and prints p50/p95/max.
            """)

    @Option(help: "Cart lines.") var lines: Int = 200
    @Option(help: "Timed requests of each kind.") var requests: Int = 200

    func validate() throws {
        guard (1...5_000).contains(lines) else { throw ValidationError("--lines must be 1 to 5000.") }
        guard requests >= 10 else { throw ValidationError("--requests must be at least 10.") }
    }

    func run() async throws {
        CommandLogging.bootstrap(level: .warning)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("facet-bench-workspace-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var configuration = ServerConfiguration()
        configuration.port = try FreePort.find()
        configuration.dataDirectory = root
        configuration.webRoot = nil
        let server = try FacetServer(configuration: configuration, logger: Logger(label: "bench"))
        try server.start()
        defer { server.stop(); server.waitUntilStopped() }
        let database = server.services.database

        // The catalog and the offers a buyer would have found.
        let now = Date()
        let products = (0..<max(lines, 48)).map { i in
            CatalogProduct(sku: "BENCH-\(i)", brand: "aurelia", title: "Ring \(i)", category: Category.allCases[i % 6],
                           attributes: ["metal": .text("silver")], gemstones: [], baseCost: .init(amount: Int64(5_000 + i * 37), currency: "USD"),
                           moq: 1 + i % 12, priceTiers: [.init(minQuantity: 25, unitCost: Int64(4_500 + i * 30))], stock: 10 + i % 90,
                           leadTimes: .init(readyDays: 2 + i % 5, madeToOrderDays: 20), status: .active, imageURLs: [], sourceUpdatedAt: nil)
        }
        _ = try await database.writer.write { db in try CatalogStore.upsert(db, products.map { .init(product: $0, native: "{}", images: nil) }, at: now) }
        let searches = SearchStore(database: database)
        let offerIds = try products.map { try searches.offerId(source: "inventory", ref: "inv:\($0.sku)") }

        let accounts = AccountStore(database: database)
        let buyer = UserRecord(id: Identifier.make("u"), email: "bench-buyer@example.com", passwordHash: "!", role: .buyer, verifiedAt: now,
                               companyName: "Bench", businessLicense: "B-1", contactName: "Bench", phone: "+1 555 0100", country: "US",
                               businessType: .retailer, typicalOrderVolume: .under1k, preferredCategories: [.ring], createdAt: now, updatedAt: now)
        try await accounts.create(buyer)
        let token = try await accounts.openSession(userId: buyer.id)
        let http = HTTPSession(host: "127.0.0.1", port: UInt16(configuration.port))
        http.cookie = "facet_session=\(token)"
        for (i, id) in offerIds.prefix(lines).enumerated() {
            let r = try http.request("POST", "/api/cart/lines", json: ["offerId": id, "quantity": i % 2 == 0 ? 30 : 3])
            guard r.status == 201 else { throw ValidationError("adding a cart line answered \(r.status)") }
        }

        // A search whose ranked list holds 48 offers, as a finished search stores it.
        let ranked = try server.services.search.offers(ids: Array(offerIds.prefix(48)))
        var record = SearchRecord(id: Identifier.make("s"), buyerId: buyer.id, category: .ring, maxPriceAmount: nil, currency: "USD",
                                  imageFile: "none.jpg", createdAt: now)
        record.status = "done"
        record.ranked = String(decoding: try JSONCoding.encoder.encode(offerIds.prefix(48).compactMap { ranked[$0] }), as: UTF8.self)
        let stored = record
        try await database.writer.write { db in try SearchStore.insert(db, stored) }

        func time(_ path: String) throws -> [Double] {
            try (0..<requests).map { _ in
                let start = ContinuousClock.now
                let r = try http.request("GET", path)
                guard r.status == 200 else { throw ValidationError("\(path) answered \(r.status)") }
                let d = ContinuousClock.now - start
                return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
            }.sorted()
        }
        func say(_ label: String, _ ms: [Double]) {
            print(String(format: "%@  p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms  (%d requests)", label, ms[ms.count / 2],
                         ms[min(ms.count - 1, ms.count * 95 / 100)], ms.last ?? 0, ms.count))
        }
        say("GET /api/cart (\(lines) lines)            ", try time("/api/cart"))
        say("GET results, 48 ranked, 3 filters + sort", try time("/api/searches/\(record.id)/results?limit=48&maxPrice=900000&deliveryWithin=30&maxMoq=10&sort=price"))
        say("GET results, 48 ranked, no filter       ", try time("/api/searches/\(record.id)/results?limit=48"))
    }
}
