import FacetCommerce
import FacetCore
import FacetHTTP
@testable import FacetServer
import FacetStore
import Foundation
import XCTest

/// The operations console's API against a scripted history: the figures must be exactly it.
final class OperationsTests: XCTestCase {
    func insertSearch(_ app: TestApp, buyer: String, category: String, maxPrice: Int64?, metal: String, exact: Bool, at: Date) async throws {
        try await app.services.database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO search (id, buyerId, category, maxPriceAmount, currency, status, stage, imageFile, attributes, exactMatch, alternatives,
                                    createdAt, completedAt)
                VALUES (?, ?, ?, ?, 'USD', 'done', 'done', 'x.jpg', ?, ?, '[]', ?, ?)
                """, arguments: [Identifier.make("s"), buyer, category, maxPrice, #"{"values":{"metal":{"value":"\#(metal)","confidence":0.9,"method":"colour"}}}"#,
                                 exact ? #"{"id":"of_x","similarity":97}"# : nil, at, at.addingTimeInterval(4)])
        }
    }

    func testTheDashboardAndReportsSayExactlyWhatHappened() async throws {
        let app = try TestApp()
        let (buyer, buyerToken) = try await app.session(.buyer)
        let (staff, staffToken) = try await app.session(.ops)
        let now = Date()
        for i in 0..<5 {
            try await insertSearch(app, buyer: buyer.id, category: i < 3 ? "ring" : "necklace", maxPrice: i == 0 ? nil : 30_000,
                                   metal: i < 4 ? "gold" : "silver", exact: i == 1, at: now.addingTimeInterval(Double(-i * 60)))
        }
        // Three requests: one left new, one sent (awaiting the buyer), one accepted into an order.
        var ids: [String] = []
        for sku in ["AUR-D-1", "AUR-D-2", "AUR-D-3"] {
            let offer = try await app.stock(sku)
            let reply = await app.send(.POST, "/api/quotes", json: ["lines": [["offerId": offer, "quantity": 2]], "country": "FR"], session: buyerToken)
            ids.append(try XCTUnwrap((reply.json["quote"] as? [String: Any])?["id"] as? String))
        }
        for id in ids.dropFirst() { _ = await app.send(.POST, "/api/admin/quotes/\(id)/send", session: staffToken) }
        let accepted = await app.send(.POST, "/api/quotes/\(ids[2])/accept", json: ["version": 1], session: buyerToken)
        XCTAssertEqual(accepted.status, 201)

        let dashboard = await app.send(.GET, "/api/admin/dashboard", session: staffToken)
        XCTAssertEqual(dashboard.status, 200, "\(dashboard.json)")
        let work = try XCTUnwrap(dashboard.json["work"] as? [String: Any])
        XCTAssertEqual(work["newQuoteRequests"] as? Int, 1)
        XCTAssertEqual(work["quotesAwaitingBuyer"] as? Int, 1)
        XCTAssertEqual(work["paymentsToVerify"] as? Int, 1)
        XCTAssertEqual((work["ordersByStatus"] as? [String: Int])?["confirmed"], 1)
        XCTAssertEqual(work["openIssues"] as? Int, 0)
        XCTAssertNotNil((dashboard.json["health"] as? [String: Any])?["search"])

        let demand = await app.send(.GET, "/api/admin/analytics/demand", session: staffToken)
        let tables = try XCTUnwrap(demand.json["tables"] as? [[String: Any]])
        let categories = try XCTUnwrap(tables.first { $0["name"] as? String == "categories" }?["rows"] as? [[Any]])
        XCTAssertEqual(categories.map { "\($0[0]):\($0[1])" }, ["ring:3", "necklace:2"])
        let metals = try XCTUnwrap(tables.first { $0["name"] as? String == "metals" }?["rows"] as? [[Any]])
        XCTAssertEqual(metals.map { "\($0[0]):\($0[1])" }, ["gold:4", "silver:1"])
        let rings = await app.send(.GET, "/api/admin/analytics/demand", session: staffToken, query: ["category": "ring", "format": "csv", "table": "metals"])
        XCTAssertEqual(String(decoding: rings.body, as: UTF8.self), "metal,searches\r\ngold,3\r\n")
        let quality = await app.send(.GET, "/api/admin/analytics/match-quality", session: staffToken, query: ["format": "csv"])
        XCTAssertTrue(String(decoding: quality.body, as: UTF8.self).contains("exact_match_rate,0.2000"), String(decoding: quality.body, as: UTF8.self))
        let sales = await app.send(.GET, "/api/admin/analytics/sales", session: staffToken, query: ["format": "csv"])
        let salesText = String(decoding: sales.body, as: UTF8.self)
        XCTAssertTrue(salesText.contains("quote_requests,3") && salesText.contains("quoted,2") && salesText.contains("accepted,1"), salesText)
        let r1 = await app.send(.GET, "/api/admin/analytics/nope", session: staffToken)
        XCTAssertEqual(r1.status, 404)

        // The audit log speaks sentences; admin-only routes refuse ops.
        let audit = await app.send(.GET, "/api/admin/audit", session: staffToken, query: ["actor": staff.email])
        let summaries = (audit.json["entries"] as? [[String: Any]])?.compactMap { $0["summary"] as? String } ?? []
        XCTAssertTrue(summaries.contains { $0.contains("sent") }, "\(summaries)")
        let r2 = await app.send(.GET, "/api/admin/staff", session: staffToken)
        XCTAssertEqual(r2.status, 403)
        let (_, adminToken) = try await app.session(.admin)
        let r3 = await app.send(.GET, "/api/admin/staff", session: adminToken)
        XCTAssertEqual(r3.status, 200)
    }

    func testAReviewBrandsNewProductWaitsForApproval() async throws {
        let app = try TestApp()
        let (_, staffToken) = try await app.session(.ops)
        try await app.services.database.writer.write { db in
            try db.execute(sql: "INSERT INTO brandPolicy (brand, policy, updatedAt) VALUES ('aurelia', 'review', ?)", arguments: [Date()])
        }
        let offer = try await app.stock("AUR-NEW-1")
        XCTAssertNil(try app.services.search.offers(ids: [offer])[offer], "held until approved")
        let list = await app.send(.GET, "/api/admin/approvals", session: staffToken, query: ["status": "pending"])
        let approval = try XCTUnwrap((list.json["approvals"] as? [[String: Any]])?.first)
        XCTAssertEqual(approval["subject"] as? String, "AUR-NEW-1")
        let id = try XCTUnwrap(approval["id"] as? String)
        let r4 = await app.send(.POST, "/api/admin/approvals/\(id)/reject", json: [:], session: staffToken)
        XCTAssertEqual(r4.status, 422)
        let approved = await app.send(.POST, "/api/admin/approvals/\(id)/approve", json: ["corrections": ["metal": "gold"]], session: staffToken)
        XCTAssertEqual(approved.status, 200, "\(approved.json)")
        XCTAssertNotNil(try app.services.search.offers(ids: [offer])[offer])
        let r5 = await app.send(.POST, "/api/admin/approvals/\(id)/approve", json: [:], session: staffToken)
        XCTAssertEqual(r5.status, 409)
        let corrections = try await app.services.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM attributeCorrection") }
        XCTAssertEqual(corrections, 1)
    }
}
