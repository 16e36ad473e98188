@testable import FacetServer
import FacetStore
import XCTest

final class RealtimeMessageTests: XCTestCase {
    func testClientMessages() throws {
        XCTAssertEqual(try ClientMessage.parse(Array(#"{"type":"ping"}"#.utf8)), .ping)
        XCTAssertEqual(try ClientMessage.parse(Array(#"{"type":"subscribe","topic":"buyers","since":7}"#.utf8)),
                       .subscribe(topic: "buyers", since: 7))
        XCTAssertEqual(try ClientMessage.parse(Array(#"{"type":"subscribe","topic":"buyers"}"#.utf8)),
                       .subscribe(topic: "buyers", since: nil))
        XCTAssertEqual(try ClientMessage.parse(Array(#"{"type":"unsubscribe","topic":"buyers"}"#.utf8)), .unsubscribe(topic: "buyers"))
        for bad in [#"{"type":"subscribe","topic":"x","since":-1}"#, #"{"type":"subscribe","topic":"x","since":1.5}"#,
                    #"{"type":"subscribe","topic":"x","since":"3"}"#, #"{"type":"subscribe"}"#, #"{"type":"dance"}"#,
                    "[1]", "not json"] {
            XCTAssertThrowsError(try ClientMessage.parse(Array(bad.utf8)), bad)
        }
    }

    func testEventsAreValidJSONWithEscapedStrings() throws {
        let event = StoredEvent(topic: "buyer:u_1", seq: 3, event: "notice", data: #"{"title":"a"}"#, at: Date(timeIntervalSince1970: 0))
        let object = try JSONSerialization.jsonObject(with: Data(WireMessage.event(event).utf8)) as? [String: Any]
        XCTAssertEqual(object?["seq"] as? Int, 3)
        XCTAssertEqual(object?["at"] as? String, "1970-01-01T00:00:00.000Z")
        let tricky = "quote\" back\\ newline\n tab\t nul\u{1} sep\u{2028}"
        let error = try JSONSerialization.jsonObject(with: Data(WireMessage.error(code: "x", message: tricky).utf8)) as? [String: Any]
        XCTAssertEqual(error?["message"] as? String, tricky)
    }

    func testLoginLimiterCountsPerAccountAndPerAddress() {
        let limiter = LoginRateLimiter(window: 60, perAccount: 3, perAddress: 5)
        let now = Date()
        for _ in 0..<3 { limiter.recordFailure(account: "a", address: "1.1.1.1", now: now) }
        XCTAssertNotNil(limiter.retryAfter(account: "a", address: "2.2.2.2", now: now))
        XCTAssertNil(limiter.retryAfter(account: "b", address: "2.2.2.2", now: now))
        for _ in 0..<2 { limiter.recordFailure(account: "c", address: "1.1.1.1", now: now) }
        XCTAssertNotNil(limiter.retryAfter(account: "d", address: "1.1.1.1", now: now), "address limit")
        XCTAssertNil(limiter.retryAfter(account: "a", address: "3.3.3.3", now: now.addingTimeInterval(61)), "window slides")
    }

    func testMailIsRFC5322WithTheLinkIntact() {
        let link = "http://127.0.0.1:8080/verify.html?token=abc_DEF-123"
        let text = Mailer.render(MailMessage(to: "a@example.com", subject: "Verify", text: "Hi\n\(link)\n"),
                                 from: "Facet <no-reply@facet.local>", id: "id1", date: Date(timeIntervalSince1970: 0))
        XCTAssertTrue(text.contains("From: Facet <no-reply@facet.local>\r\n"))
        XCTAssertTrue(text.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"))
        XCTAssertTrue(text.contains("Message-ID: <id1@facet.local>\r\n"))
        XCTAssertTrue(text.contains("\r\n\r\nHi\r\n\(link)\r\n"))
    }
}
