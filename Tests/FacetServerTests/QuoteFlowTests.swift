import FacetCommerce
import FacetCore
import FacetHTTP
@testable import FacetServer
import FacetStore
import Foundation
import XCTest

/// The quote-to-order loop through the real application (routes, guards, store, events).
final class QuoteFlowTests: XCTestCase {
    func request(_ app: TestApp, _ buyer: String, offer: String, quantity: Int = 10, key: String = UUID().uuidString) async -> TestApp.Reply {
        await app.send(.POST, "/api/quotes", json: ["lines": [["offerId": offer, "quantity": quantity, "note": "rhodium plating"]],
                                                    "urgency": "urgent", "country": "de", "customisation": "Gift boxes"],
                       session: buyer, headers: ["idempotency-key": key])
    }

    func testTheStoryFromRequestToAClosedOrder() async throws {
        let app = try TestApp()
        let offer = try await app.stock("AUR-Q-1", cost: 10_000)
        let (buyer, buyerToken) = try await app.session(.buyer)
        let (staff, staffToken) = try await app.session(.ops)

        // A double submit makes one request.
        let key = UUID().uuidString
        let first = await request(app, buyerToken, offer: offer, key: key)
        XCTAssertEqual(first.status, 201, "\(first.json)")
        let again = await request(app, buyerToken, offer: offer, key: key)
        XCTAssertEqual(again.status, 200)
        let quote = try XCTUnwrap(first.json["quote"] as? [String: Any])
        let id = try XCTUnwrap(quote["id"] as? String)
        XCTAssertEqual((again.json["quote"] as? [String: Any])?["id"] as? String, id)
        XCTAssertEqual(quote["status"] as? String, "submitted")
        XCTAssertEqual(quote["awaiting"] as? String, "staff")
        XCTAssertNotNil(quote["dueAt"] as? String)
        let list = await app.send(.GET, "/api/quotes", session: buyerToken)
        XCTAssertEqual((list.json["quotes"] as? [Any])?.count, 1)

        // Another buyer does not see it; a buyer cannot reach staff routes.
        let (_, otherToken) = try await app.session(.buyer)
        let r1 = await app.send(.GET, "/api/quotes/\(id)", session: otherToken)
        XCTAssertEqual(r1.status, 404)
        let r2 = await app.send(.POST, "/api/quotes/\(id)/messages", json: ["body": "hi"], session: otherToken)
        XCTAssertEqual(r2.status, 404)
        let r3 = await app.send(.GET, "/api/admin/quotes", session: buyerToken)
        XCTAssertEqual(r3.status, 403)

        // Staff claim, price and send; a second save on the same revision is a conflict.
        let claimed = await app.send(.POST, "/api/admin/quotes/\(id)/assign", json: ["staffId": staff.id], session: staffToken)
        XCTAssertEqual((claimed.json["quote"] as? [String: Any])?["status"] as? String, "in_review")
        let detail = await app.send(.GET, "/api/admin/quotes/\(id)", session: staffToken)
        let staffQuote = try XCTUnwrap(detail.json["quote"] as? [String: Any])
        let draft = try XCTUnwrap(staffQuote["draft"] as? [String: Any])
        let line = try XCTUnwrap((draft["lines"] as? [[String: Any]])?.first)
        let lineId = try XCTUnwrap(line["lineId"] as? String)
        XCTAssertEqual((line["cost"] as? [String: Any])?["amount"] as? Int, 10_000)
        let origin = try XCTUnwrap((staffQuote["origins"] as? [String: Any])?[lineId] as? [String: Any])
        XCTAssertEqual(origin["sku"] as? String, "AUR-Q-1")
        let revision = try XCTUnwrap(draft["revision"] as? Int)
        let body: [String: Any] = ["revision": revision, "lines": [["lineId": lineId, "unitPrice": 12_500, "moq": 5, "deliveryDays": 21]],
                                   "paymentTerms": ["depositPercent": 30, "balanceDue": "before_shipment"],
                                   "validUntil": JSONCoding.iso8601(Date().addingTimeInterval(7 * 86_400)), "notes": "Prices include plating."]
        let saved = await app.send(.PUT, "/api/admin/quotes/\(id)/draft", json: body, session: staffToken)
        XCTAssertEqual(saved.status, 200, "\(saved.json)")
        let savedDraft = try XCTUnwrap(saved.json["draft"] as? [String: Any])
        XCTAssertEqual((savedDraft["total"] as? [String: Any])?["amount"] as? Int, 125_000)
        XCTAssertEqual(((savedDraft["lines"] as? [[String: Any]])?.first?["margin"] as? [String: Any])?["basisPoints"] as? Int, 2_000)
        let stale = await app.send(.PUT, "/api/admin/quotes/\(id)/draft", json: body, session: staffToken)
        XCTAssertEqual(stale.status, 409)
        XCTAssertEqual(stale.error["code"] as? String, "stale_draft")
        let sent = await app.send(.POST, "/api/admin/quotes/\(id)/send", json: [:], session: staffToken)
        XCTAssertEqual(sent.status, 201, "\(sent.json)")

        // The buyer's view never names the brand or SKU.
        let buyerView = await app.send(.GET, "/api/quotes/\(id)", session: buyerToken)
        let text = String(decoding: buyerView.body, as: UTF8.self)
        XCTAssertFalse(text.contains("AUR-Q-1") || text.lowercased().contains("aurelia"), text)
        XCTAssertEqual((buyerView.json["quote"] as? [String: Any])?["awaiting"] as? String, "buyer")

        // Messages both ways; staff appear to the buyer as "Facet sales".
        let r4 = await app.send(.POST, "/api/quotes/\(id)/messages", json: ["body": "Can you do 11.00?"], session: buyerToken)
        XCTAssertEqual(r4.status, 201)
        let r5 = await app.send(.POST, "/api/quotes/\(id)/messages", json: ["body": "Let me check."], session: staffToken)
        XCTAssertEqual(r5.status, 201)
        let thread = await app.send(.GET, "/api/quotes/\(id)/messages", session: buyerToken)
        let messages = try XCTUnwrap(thread.json["messages"] as? [[String: Any]])
        XCTAssertEqual(messages.map { $0["authorName"] as? String }, ["Tess", "Facet sales"])

        // Changes requested → version 2; accepting version 1 is refused.
        let changes = await app.send(.POST, "/api/quotes/\(id)/request-changes",
                                     json: ["version": 1, "message": "Target 11.00", "lines": [["lineId": lineId, "targetUnitPrice": 11_000]]],
                                     session: buyerToken)
        XCTAssertEqual((changes.json["quote"] as? [String: Any])?["status"] as? String, "changes_requested", "\(changes.json)")
        var second = body
        second["revision"] = revision + 1
        second["lines"] = [["lineId": lineId, "unitPrice": 11_500, "moq": 5, "deliveryDays": 21]]
        let r6 = await app.send(.PUT, "/api/admin/quotes/\(id)/draft", json: second, session: staffToken)
        XCTAssertEqual(r6.status, 200)
        let v2 = await app.send(.POST, "/api/admin/quotes/\(id)/send", json: ["revision": revision + 2], session: staffToken)
        XCTAssertEqual(v2.status, 201, "\(v2.json)")
        let changed = try XCTUnwrap((v2.json["version"] as? [String: Any])?["changes"] as? [[String: Any]])
        XCTAssertTrue(changed.contains { $0["field"] as? String == "unitPrice" && $0["from"] as? String == "12500" && $0["to"] as? String == "11500" })
        let old = await app.send(.POST, "/api/quotes/\(id)/accept", json: ["version": 1], session: buyerToken)
        XCTAssertEqual(old.status, 409)
        XCTAssertEqual(old.error["code"] as? String, "superseded_version")
        let accepted = await app.send(.POST, "/api/quotes/\(id)/accept", json: ["version": 2], session: buyerToken)
        XCTAssertEqual(accepted.status, 201, "\(accepted.json)")
        let order = try XCTUnwrap(accepted.json["order"] as? [String: Any])
        let orderId = try XCTUnwrap(order["id"] as? String)
        XCTAssertEqual(order["status"] as? String, "confirmed")
        XCTAssertEqual((order["total"] as? [String: Any])?["amount"] as? Int, 115_000)
        let twice = await app.send(.POST, "/api/quotes/\(id)/accept", json: ["version": 2], session: buyerToken)
        XCTAssertEqual(twice.status, 200)
        XCTAssertEqual((twice.json["order"] as? [String: Any])?["id"] as? String, orderId)

        // Shipping before payment is refused; the deposit verifies; the balance is due before shipping.
        let early = await app.send(.POST, "/api/admin/orders/\(orderId)/status",
                                   json: ["status": "shipped", "carrier": "DHL", "trackingNumber": "1Z"], session: staffToken)
        XCTAssertEqual(early.status, 409)
        let deposit = await app.send(.POST, "/api/admin/orders/\(orderId)/payments",
                                     json: ["amount": 34_500, "reference": "O-1 deposit", "receivedAt": JSONCoding.iso8601(Date())], session: staffToken)
        XCTAssertEqual(deposit.status, 201, "\(deposit.json)")
        XCTAssertEqual((deposit.json["order"] as? [String: Any])?["status"] as? String, "payment_verified")
        let r7 = await app.send(.POST, "/api/admin/orders/\(orderId)/status", json: ["status": "in_production"], session: staffToken)
        XCTAssertEqual(r7.status, 200)
        let unpaid = await app.send(.POST, "/api/admin/orders/\(orderId)/status",
                                    json: ["status": "shipped", "carrier": "DHL", "trackingNumber": "1Z"], session: staffToken)
        XCTAssertEqual(unpaid.error["code"] as? String, "balance_unpaid")
        let r8 = await app.send(.POST, "/api/admin/orders/\(orderId)/payments",
                                      json: ["amount": 80_500, "reference": "O-1 balance", "receivedAt": JSONCoding.iso8601(Date())],
                                      session: staffToken)
        XCTAssertEqual(r8.status, 201)
        let orderLine = try XCTUnwrap(((order["lines"] as? [[String: Any]])?.first?["id"]) as? String)
        let partial = await app.send(.POST, "/api/admin/orders/\(orderId)/status",
                                     json: ["status": "shipped", "carrier": "DHL", "trackingNumber": "1Z", "trackingUrl": "https://dhl.example/1Z",
                                            "lines": [["lineId": orderLine, "quantity": 4]]], session: staffToken)
        XCTAssertEqual(partial.status, 200, "\(partial.json)")
        let r9 = await app.send(.POST, "/api/orders/\(orderId)/receipt", session: buyerToken)
        XCTAssertEqual(r9.error["code"] as? String, "not_all_shipped")
        let r10 = await app.send(.POST, "/api/admin/orders/\(orderId)/status",
                                      json: ["status": "shipped", "carrier": "DHL", "trackingNumber": "2Z"], session: staffToken)
        XCTAssertEqual(r10.status, 200)
        let received = await app.send(.POST, "/api/orders/\(orderId)/receipt", session: buyerToken)
        XCTAssertEqual((received.json["order"] as? [String: Any])?["status"] as? String, "delivered", "\(received.json)")
        XCTAssertEqual(((received.json["order"] as? [String: Any])?["shipments"] as? [Any])?.count, 2)

        // An issue worked to its end, then feedback closes the order.
        let issue = await app.send(.POST, "/api/orders/\(orderId)/issues", json: ["kind": "damaged", "description": "Two bent prongs"], session: buyerToken)
        XCTAssertEqual(issue.status, 201, "\(issue.json)")
        let issueId = try XCTUnwrap((issue.json["issue"] as? [String: Any])?["id"] as? String)
        let r11 = await app.send(.POST, "/api/admin/orders/\(orderId)/issues/\(issueId)", json: ["status": "resolved"], session: staffToken)
        XCTAssertEqual(r11.status, 422)
        let r12 = await app.send(.POST, "/api/admin/orders/\(orderId)/issues/\(issueId)",
                                      json: ["status": "resolved", "outcome": "replacement", "reference": "RMA-7"], session: staffToken)
        XCTAssertEqual(r12.status, 200)
        let rated = await app.send(.POST, "/api/orders/\(orderId)/feedback", json: ["rating": 4, "comment": "Good", "lines": [["lineId": orderLine, "rating": 5]]],
                                   session: buyerToken)
        XCTAssertEqual((rated.json["order"] as? [String: Any])?["status"] as? String, "closed", "\(rated.json)")

        // Order again: the design returns to the cart, and the next request is marked as a repeat.
        let r13 = await app.send(.POST, "/api/orders/\(orderId)/reorder", session: buyerToken)
        XCTAssertEqual(r13.json["added"] as? Int, 1)
        let repeatRequest = await request(app, buyerToken, offer: offer)
        XCTAssertEqual((repeatRequest.json["quote"] as? [String: Any])?["repeat"] as? Bool, true)

        // Events went to the quote, the buyer and the admin room.
        let topics = try app.services.events.replay(topic: "quote:\(id)", after: 0)
        if case let .events(events, _) = topics {
            XCTAssertTrue(events.contains { $0.event == "quote.message" })
            XCTAssertTrue(events.contains { $0.event == "quote.changed" && $0.data.contains("\"accepted\"") })
            XCTAssertFalse(events.contains { $0.data.contains("AUR-Q-1") })
        } else { XCTFail("no replay") }
        _ = buyer
    }

    func testASentVersionExpiresAndCanBeRenewed() async throws {
        let app = try TestApp()
        let offer = try await app.stock("AUR-Q-2")
        let (_, buyerToken) = try await app.session(.buyer)
        let (_, staffToken) = try await app.session(.ops)
        let made = await request(app, buyerToken, offer: offer)
        let id = try XCTUnwrap((made.json["quote"] as? [String: Any])?["id"] as? String)
        let r14 = await app.send(.POST, "/api/admin/quotes/\(id)/send", session: staffToken)
        XCTAssertEqual(r14.status, 201)
        // The validity passes: the timer's sweep expires it, and acceptance is refused.
        XCTAssertEqual(try app.services.quotes.expireDue(now: Date().addingTimeInterval(30 * 86_400)), 1)
        let late = await app.send(.POST, "/api/quotes/\(id)/accept", json: ["version": 1], session: buyerToken)
        XCTAssertEqual(late.status, 409)
        XCTAssertEqual(late.error["code"] as? String, "quote_expired")
        let renew = await app.send(.POST, "/api/quotes/\(id)/request-changes", json: ["message": "Please renew"], session: buyerToken)
        XCTAssertEqual((renew.json["quote"] as? [String: Any])?["status"] as? String, "changes_requested", "\(renew.json)")
    }

    func testBadInputIsNamedAndNothingIsStored() async throws {
        let app = try TestApp()
        let offer = try await app.stock("AUR-Q-3")
        let (buyer, token) = try await app.session(.buyer)
        let cases: [([String: Any], String)] = [
            (["lines": [], "country": "DE"], "lines"),
            (["lines": [["offerId": offer, "quantity": 0]], "country": "DE"], "lines[0].quantity"),
            (["lines": [["offerId": offer, "quantity": 1]], "country": "Germany"], "country"),
            (["lines": [["offerId": offer, "quantity": 1]], "country": "DE", "preferredDeliveryDate": "2020-01-01"], "preferredDeliveryDate"),
            (["lines": [["offerId": "nope", "quantity": 1]], "country": "DE"], "lines[0].offerId"),
        ]
        for (body, field) in cases {
            let reply = await app.send(.POST, "/api/quotes", json: body, session: token)
            XCTAssertEqual(reply.status, 422, "\(body)")
            XCTAssertEqual(reply.error["field"] as? String, field, "\(reply.json)")
        }
        XCTAssertEqual(try app.services.quotes.list(buyerId: buyer.id).quotes.count, 0)
        let upload = await app.send(.POST, "/api/attachments", raw: Array("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.exe\"\r\n\r\nMZ\u{90}\r\n--b--\r\n".utf8),
                                    session: token, headers: ["content-type": "multipart/form-data; boundary=b"])
        XCTAssertEqual(upload.status, 415, "\(upload.json)")
    }

    func mails(_ app: TestApp, to email: String) throws -> [String] {
        let outbox = app.directory.appendingPathComponent("outbox")
        let files = (try? FileManager.default.contentsOfDirectory(at: outbox, includingPropertiesForKeys: nil)) ?? []
        return try files.map { try String(contentsOf: $0, encoding: .utf8) }.filter { $0.contains(email) }
    }

    func testAnAwayBuyerIsMailedAtMostOncePerWindowAndAPresentOneNotAtAll() async throws {
        let app = try TestApp()
        let offer = try await app.stock("AUR-M-1")
        let (buyer, buyerToken) = try await app.session(.buyer)
        let (_, staffToken) = try await app.session(.ops)
        let made = await request(app, buyerToken, offer: offer)
        let id = try XCTUnwrap((made.json["quote"] as? [String: Any])?["id"] as? String)
        let sent = await app.send(.POST, "/api/admin/quotes/\(id)/send", session: staffToken)
        XCTAssertEqual(sent.status, 201)
        let first = try mails(app, to: buyer.email)
        XCTAssertEqual(first.count, 1)
        XCTAssertTrue(first[0].contains("/quote.html?id=\(id)"))
        XCTAssertFalse(first[0].contains("AUR-M-1") || first[0].lowercased().contains("aurelia"), "white label in mail too")
        let message = await app.send(.POST, "/api/quotes/\(id)/messages", json: ["body": "Samples ship Monday."], session: staffToken)
        XCTAssertEqual(message.status, 201)
        XCTAssertEqual(try mails(app, to: buyer.email).count, 1, "one e-mail per quote per 15 minutes")

        // A buyer with the page open is not also e-mailed.
        let other = await request(app, buyerToken, offer: try await app.stock("AUR-M-2"))
        let otherId = try XCTUnwrap((other.json["quote"] as? [String: Any])?["id"] as? String)
        app.services.presence.connected(buyer.id)
        let again = await app.send(.POST, "/api/admin/quotes/\(otherId)/send", session: staffToken)
        XCTAssertEqual(again.status, 201)
        XCTAssertEqual(try mails(app, to: buyer.email).count, 1)
    }
}
