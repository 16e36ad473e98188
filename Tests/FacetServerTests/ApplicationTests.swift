import FacetCore
import FacetHTTP
@testable import FacetServer
import FacetStore
import XCTest

/// API behaviour in process: guards, error bodies, 405, pricing limits, one pricing rule.
final class ApplicationTests: XCTestCase {
    func testGuardsRefuseInOrder() async throws {
        let app = try TestApp()
        let buyer = try await app.session(.buyer)
        let unverified = try await app.session(.buyer, verified: false)
        let ops = try await app.session(.ops)

        let anonymous = await app.send(.GET, "/api/admin/markups")
        XCTAssertEqual(anonymous.status, 401)
        XCTAssertEqual(anonymous.error["code"] as? String, "unauthorized")
        let asBuyer = await app.send(.GET, "/api/admin/markups", session: buyer.token)
        XCTAssertEqual(asBuyer.status, 403)
        let asOps = await app.send(.GET, "/api/admin/markups", session: ops.token)
        XCTAssertEqual(asOps.status, 200)
        let notifications = await app.send(.GET, "/api/notifications", session: unverified.token)
        XCTAssertEqual(notifications.error["code"] as? String, "not_verified")
        let staffOnBuyerRoute = await app.send(.GET, "/api/notifications", session: ops.token)
        XCTAssertEqual(staffOnBuyerRoute.status, 403)
        let me = await app.send(.GET, "/api/me", session: buyer.token)
        XCTAssertEqual((me.json["user"] as? [String: Any])?["id"] as? String, buyer.user.id)
    }

    func testEveryAdminRouteIsGuardedForStaff() throws {
        let app = try TestApp()
        for route in app.application.routes where route.path.hasPrefix("/api/admin") {
            XCTAssertTrue([.staff, .admin].contains(route.access), "\(route.method) \(route.path) is \(route.access)")
        }
    }

    func testWrongMethodIs405WithAllow() async throws {
        let app = try TestApp()
        let reply = await app.send(.DELETE, "/api/health")
        XCTAssertEqual(reply.status, 405)
        XCTAssertEqual(reply.header("allow"), "GET, HEAD")
        XCTAssertEqual(reply.error["code"] as? String, "method_not_allowed")
        let missing = await app.send(.GET, "/api/nothing-here")
        XCTAssertEqual(missing.status, 404)
    }

    func testValidationErrorsNameTheirField() async throws {
        let app = try TestApp()
        let ops = try await app.session(.ops)
        let badMarkup = await app.send(.PUT, "/api/admin/markups", json: ["perCategory": ["ring": -5]], session: ops.token)
        XCTAssertEqual(badMarkup.status, 422)
        XCTAssertEqual(badMarkup.error["field"] as? String, "perCategory.ring")
        let badMarketplace = await app.send(.PUT, "/api/admin/markups", json: ["marketplace": ["global": 999_999_999]], session: ops.token)
        XCTAssertEqual(badMarketplace.error["field"] as? String, "marketplace.global")
        let wrongType = await app.send(.PUT, "/api/admin/markups", json: ["global": "ten"], session: ops.token)
        XCTAssertEqual(wrongType.status, 422)
        XCTAssertEqual(wrongType.error["field"] as? String, "global")
        let notJSON = await app.send(.PUT, "/api/admin/markups", raw: Array("{".utf8), session: ops.token)
        XCTAssertEqual(notJSON.status, 400)
        XCTAssertNil(notJSON.error["field"])
        let badLimit = await app.send(.GET, "/api/searches", session: ops.token, query: ["limit": "0"])
        XCTAssertEqual(badLimit.status, 422)
        XCTAssertEqual(badLimit.error["field"] as? String, "limit")
    }

    func testMarketplaceMarkupIsAuditedInTheMarkupTable() async throws {
        let app = try TestApp()
        let admin = try await app.session(.admin)
        let put = await app.send(.PUT, "/api/admin/markups", json: ["marketplace": ["global": 2500, "perCategory": ["ring": 4000]]],
                                 session: admin.token)
        XCTAssertEqual(put.status, 200)
        let marketplace = (put.json["markups"] as? [String: Any])?["marketplace"] as? [String: Any]
        XCTAssertEqual(marketplace?["global"] as? Int, 2500)
        XCTAssertEqual((marketplace?["effective"] as? [String: Int])?["ring"], 4000)
        XCTAssertEqual((marketplace?["effective"] as? [String: Int])?["bangle"], 2500)
        let audit = await app.send(.GET, "/api/admin/markups/audit", session: admin.token)
        let scopes = (audit.json["changes"] as? [[String: Any]])?.compactMap { $0["scope"] as? String }
        XCTAssertEqual(Set(scopes ?? []), ["marketplace", "marketplace:ring"])
        let table = try app.services.markups.table()
        XCTAssertEqual(table.marketplaceBasisPoints(for: .ring), 4000)
        XCTAssertEqual(table.basisPoints(for: .ring), 3000, "the inventory markup is untouched")
    }

    /// Both amounts from the issue used to trap the process in `Pricing.base`.
    func testHugeBuyerLimitsAreRefusedNotTrapped() async throws {
        let app = try TestApp()
        let ops = try await app.session(.ops)
        for amount in [1_000_000_000_000_000, 4_492_386_165_896_104_960] as [Int64] {
            let reply = await app.send(.POST, "/api/admin/marketplace/search", json: ["category": "ring", "maxPrice": amount],
                                       session: ops.token)
            // No marketplace is configured here: the limit is checked first all the same.
            XCTAssertEqual(reply.status, 422, "\(amount)")
            XCTAssertEqual(reply.error["field"] as? String, "maxPrice")
        }
        let health = await app.send(.GET, "/api/health")
        XCTAssertEqual(health.status, 200, "still serving")
    }

    func testCategoriesAreServedOnce() async throws {
        let app = try TestApp()
        let reply = await app.send(.GET, "/api/categories")
        let categories = reply.json["categories"] as? [[String: String]]
        XCTAssertEqual(categories?.map { $0["id"] ?? "" }, Category.allCases.map(\.rawValue))
        XCTAssertEqual(categories?.first?["label"], "Ring")
    }

    func testOwnershipDecidesVisibilityForRestAndTopics() async throws {
        let app = try TestApp()
        let owner = try await app.session(.buyer)
        let other = try await app.session(.buyer)
        let ops = try await app.session(.ops)
        let record = SearchRecord(id: "s_test1", buyerId: owner.user.id, category: .ring, maxPriceAmount: nil, currency: "USD",
                                  imageFile: "x.jpg", createdAt: Date())
        try await app.services.database.writer.write { db in try SearchStore.insert(db, record) }
        let mine = await app.send(.GET, "/api/searches/s_test1", session: owner.token)
        XCTAssertEqual(mine.status, 200)
        let theirs = await app.send(.GET, "/api/searches/s_test1", session: other.token)
        XCTAssertEqual(theirs.status, 404)
        let staff = await app.send(.GET, "/api/searches/s_test1", session: ops.token)
        XCTAssertEqual(staff.status, 200)

        let realtime = RealtimeAccess(services: app.services, originAllowed: { _ in true })
        let peer = { (user: UserRecord) in RealtimePeer(id: user.id, context: user.viewer) }
        XCTAssertNil(realtime.refusal(peer(owner.user), topic: "search:s_test1"))
        XCTAssertEqual(realtime.refusal(peer(other.user), topic: "search:s_test1")?.code, "forbidden")
        XCTAssertNil(realtime.refusal(peer(ops.user), topic: "search:s_test1"))
        XCTAssertEqual(realtime.refusal(peer(owner.user), topic: "nonsense")?.code, "bad_topic")
    }

    func testHealthReportsCatalogReadiness() async throws {
        let app = try TestApp()
        let reply = await app.send(.GET, "/api/health")
        let catalog = reply.json["catalog"] as? [String: Any]
        XCTAssertEqual(catalog?["known"] as? Int, 0)
        XCTAssertEqual(catalog?["ready"] as? Bool, false, "the index has not loaded: nothing is searchable yet")
        app.services.search.start()
        for _ in 0..<200 where app.services.search.indexer.readiness().ready != true { try await Task.sleep(for: .milliseconds(20)) }
        let after = await app.send(.GET, "/api/health")
        XCTAssertEqual((after.json["catalog"] as? [String: Any])?["ready"] as? Bool, true)
        XCTAssertEqual((after.json["catalog"] as? [String: Any])?["percent"] as? Int, 100)
        app.services.search.stop()
    }
}
