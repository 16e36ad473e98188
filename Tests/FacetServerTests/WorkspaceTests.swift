import FacetCore
import FacetHTTP
@testable import FacetServer
import FacetStore
import XCTest

/// The cart and wishlist in process: tiers, MOQ, live prices, idempotent adds, moves, ownership.
final class WorkspaceTests: XCTestCase {
    func testCartLinesPriceByTierAndKeepExactAndApproximateApart() async throws {
        let app = try TestApp()
        let buyer = try await app.session(.buyer)
        let ring = try await app.stock("R-1", cost: 10_000, stock: 40, moq: 10, tiers: [(25, 9_000), (50, 8_000)])

        let small = await app.send(.POST, "/api/cart/lines", json: ["offerId": ring, "quantity": 5, "note": "size 7"], session: buyer.token)
        XCTAssertEqual(small.status, 201)
        let line = small.json["line"] as? [String: Any]
        XCTAssertEqual(line?["belowMoq"] as? Bool, true, "below the MOQ of 10: flagged, not refused")
        XCTAssertEqual((line?["unitPrice"] as? [String: Any])?["amount"] as? Int, 13_000, "base × 1.3")
        XCTAssertEqual((line?["lineTotal"] as? [String: Any])?["amount"] as? Int, 65_000)
        XCTAssertEqual(line?["note"] as? String, "size 7")

        // The same offer again raises the quantity: one line, never two.
        let again = await app.send(.POST, "/api/cart/lines", json: ["offerId": ring, "quantity": 25], session: buyer.token)
        XCTAssertEqual(again.status, 200)
        let merged = again.json["line"] as? [String: Any]
        XCTAssertEqual(merged?["quantity"] as? Int, 30)
        XCTAssertEqual((merged?["unitPrice"] as? [String: Any])?["amount"] as? Int, 11_700, "the 25+ tier: 9000 × 1.3")
        XCTAssertEqual((merged?["stock"] as? [String: Any])?["aboveStock"] as? Bool, false)

        let cart = await app.send(.GET, "/api/cart", session: buyer.token)
        XCTAssertEqual((cart.json["lines"] as? [Any])?.count, 1)
        let summary = cart.json["summary"] as? [String: Any]
        XCTAssertEqual((summary?["exactTotal"] as? [String: Any])?["amount"] as? Int, 351_000)
        XCTAssertTrue(summary?["approximateTotal"] is NSNull, "no sourced lines: no range")
        XCTAssertEqual(summary?["designs"] as? Int, 1)

        let over = await app.send(.PATCH, "/api/cart/lines/\(line?["id"] as? String ?? "")", json: ["quantity": 60], session: buyer.token)
        XCTAssertEqual(((over.json["line"] as? [String: Any])?["stock"] as? [String: Any])?["aboveStock"] as? Bool, true)
    }

    func testBadInputNamesItsFieldAndOtherBuyersSeeNothing() async throws {
        let app = try TestApp()
        let buyer = try await app.session(.buyer)
        let other = try await app.session(.buyer)
        let ring = try await app.stock("R-2")
        for (body, field) in [(["offerId": ring, "quantity": 0] as [String: Any], "quantity"),
                              (["offerId": ring, "quantity": 2_000_000], "quantity"),
                              (["offerId": ring, "quantity": 1, "note": String(repeating: "x", count: 501)], "note"),
                              (["offerId": ring, "quantity": 1, "note": "a\u{0}b"], "note"),
                              (["offerId": "of_nope", "quantity": 1], "offerId")] {
            let reply = await app.send(.POST, "/api/cart/lines", json: body, session: buyer.token)
            XCTAssertEqual(reply.error["field"] as? String, field, "\(body)")
        }
        let added = await app.send(.POST, "/api/cart/lines", json: ["offerId": ring, "quantity": 1], session: buyer.token)
        let id = (added.json["line"] as? [String: Any])?["id"] as? String ?? ""
        let foreign = await app.send(.PATCH, "/api/cart/lines/\(id)", json: ["quantity": 3], session: other.token)
        XCTAssertEqual(foreign.status, 404)
        let foreignDelete = await app.send(.DELETE, "/api/cart/lines/\(id)", session: other.token)
        XCTAssertEqual(foreignDelete.status, 404)
        let theirs = await app.send(.GET, "/api/cart", session: other.token)
        XCTAssertEqual((theirs.json["lines"] as? [Any])?.count, 0)
        let staff = try await app.session(.ops)
        let staffCart = await app.send(.GET, "/api/cart", session: staff.token)
        XCTAssertEqual(staffCart.status, 403)
    }

    func testPriceChangesShowAndAGoneProductStaysAsUnavailable() async throws {
        let app = try TestApp()
        let buyer = try await app.session(.buyer)
        let admin = try await app.session(.admin)
        let ring = try await app.stock("R-3", cost: 10_000)
        _ = await app.send(.POST, "/api/cart/lines", json: ["offerId": ring, "quantity": 2], session: buyer.token)
        _ = await app.send(.PUT, "/api/admin/markups", json: ["perCategory": ["ring": 5000]], session: admin.token)
        let repriced = await app.send(.GET, "/api/cart", session: buyer.token)
        let line = (repriced.json["lines"] as? [[String: Any]])?.first
        XCTAssertEqual((line?["unitPrice"] as? [String: Any])?["amount"] as? Int, 15_000, "the live price, after the new markup")
        let change = (line?["changes"] as? [[String: Any]])?.first
        XCTAssertEqual(change?["kind"] as? String, "price")
        XCTAssertEqual((change?["from"] as? [String: Any])?["amount"] as? Int, 13_000)

        _ = try await app.stock("R-3", cost: 10_000, status: .discontinued)
        let gone = await app.send(.GET, "/api/cart", session: buyer.token)
        let kept = (gone.json["lines"] as? [[String: Any]])?.first
        XCTAssertEqual(kept?["available"] as? Bool, false, "kept and marked, never silently dropped")
        XCTAssertTrue(kept?["offer"] is NSNull)
        XCTAssertEqual((kept?["snapshot"] as? [String: Any])?["title"] as? String != nil, true)
        XCTAssertEqual(((kept?["changes"] as? [[String: Any]])?.first)?["kind"] as? String, "discontinued")
        let readd = await app.send(.POST, "/api/cart/lines", json: ["offerId": ring, "quantity": 1], session: buyer.token)
        XCTAssertEqual(readd.status, 409)
        XCTAssertEqual(readd.error["code"] as? String, "offer_unavailable")
    }

    func testSaveForLaterAndMoveBackWithEvents() async throws {
        let app = try TestApp()
        let buyer = try await app.session(.buyer)
        let ring = try await app.stock("R-4", moq: 12)
        let added = await app.send(.POST, "/api/cart/lines", json: ["offerId": ring, "quantity": 20], session: buyer.token)
        let lineId = (added.json["line"] as? [String: Any])?["id"] as? String ?? ""
        let saved = await app.send(.POST, "/api/cart/lines/\(lineId)/save-for-later", session: buyer.token)
        XCTAssertEqual(saved.status, 200)
        let itemId = (saved.json["item"] as? [String: Any])?["id"] as? String ?? ""
        let cart = await app.send(.GET, "/api/cart", session: buyer.token)
        XCTAssertEqual((cart.json["lines"] as? [Any])?.count, 0)
        let twice = await app.send(.POST, "/api/wishlist/items", json: ["offerId": ring], session: buyer.token)
        XCTAssertEqual(twice.status, 200, "already wished: the same item")
        let moved = await app.send(.POST, "/api/wishlist/items/\(itemId)/move-to-cart", session: buyer.token)
        XCTAssertEqual((moved.json["line"] as? [String: Any])?["quantity"] as? Int, 12, "at the MOQ by default")
        let wishes = await app.send(.GET, "/api/wishlist", session: buyer.token)
        XCTAssertEqual((wishes.json["items"] as? [Any])?.count, 0)

        let events = try await app.services.events.recent(topic: "buyer:\(buyer.user.id)", event: "cart.changed", limit: 10)
        XCTAssertEqual(events.count, 4)
        let last = try JSONSerialization.jsonObject(with: Data(events[0].data.utf8)) as? [String: Any]
        XCTAssertEqual((last?["cart"] as? [String: Any])?["lines"] as? Int, 1)
        XCTAssertEqual(last?["reason"] as? String, "moved")
    }
}
