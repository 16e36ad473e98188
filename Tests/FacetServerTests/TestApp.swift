import FacetCore
import FacetHTTP
@testable import FacetServer
import FacetStore
import Foundation
import Logging

/// The application in process, as HummingbirdTesting does it: a request value in, a response
/// value out, a real SQLite file behind it, and no socket.
final class TestApp: @unchecked Sendable {
    let directory: URL
    let services: Services
    let application: Application

    init(configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("facet-app-\(UUID().uuidString)")
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory
        configuration.webRoot = nil
        configuration.scryptLogRounds = 4
        configure(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        services = try Services.make(configuration, logger: logger) { _ in }
        application = Application(services: services)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    struct Reply {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
        var error: [String: Any] { json["error"] as? [String: Any] ?? [:] }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
    }

    func send(_ method: HTTPMethod, _ path: String, json: Any? = nil, raw: [UInt8]? = nil, session: String? = nil,
              headers: [String: String] = [:], query: [String: String] = [:]) async -> Reply {
        var all = headers
        if let session { all["cookie"] = "facet_session=\(session)" }
        var body: [UInt8] = raw ?? []
        if let json { body = Array(try! JSONSerialization.data(withJSONObject: json)); all["content-type"] = "application/json" }
        let request = HTTPRequest(method: method, path: path, query: query, headers: all, body: body, remoteAddress: "127.0.0.1")
        let response = await application.respond(to: request)
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// An account of that role with an open session; buyers are verified unless told otherwise.
    func session(_ role: Role, verified: Bool = true) async throws -> (user: UserRecord, token: String) {
        let now = Date()
        let user = UserRecord(id: Identifier.make("u"), email: "\(role.rawValue)-\(UUID().uuidString.prefix(8))@example.com".lowercased(),
                              passwordHash: "!", role: role, verifiedAt: verified ? now : nil, companyName: "Test Co",
                              businessLicense: "LIC-1", contactName: "Tess", phone: "+1 555 0100", country: "United States",
                              businessType: .retailer, typicalOrderVolume: .under1k, preferredCategories: [.ring],
                              createdAt: now, updatedAt: now)
        try await services.accounts.create(user)
        return (user, try await services.accounts.openSession(userId: user.id))
    }
}

extension TestApp {
    /// A stocked product in the catalog and the offer id a buyer would see for it.
    func stock(_ sku: String, cost: Int64 = 10_000, stock: Int = 50, moq: Int = 1, tiers: [(Int, Int64)] = [],
               status: CatalogProduct.Status = .active) async throws -> String {
        let product = CatalogProduct(sku: sku, brand: "aurelia", title: "Ring \(sku)", category: .ring, attributes: ["metal": .text("silver")],
                                     gemstones: [], baseCost: .init(amount: cost, currency: "USD"), moq: moq,
                                     priceTiers: tiers.map { .init(minQuantity: $0.0, unitCost: $0.1) }, stock: stock,
                                     leadTimes: .init(readyDays: 2, madeToOrderDays: 10), status: status, imageURLs: [], sourceUpdatedAt: nil)
        _ = try await services.database.writer.write { db in
            try CatalogStore.upsert(db, [.init(product: product, native: "{}", images: nil)], at: Date())
        }
        return try SearchStore(database: services.database).offerId(source: "inventory", ref: "inv:\(sku)")
    }
}
