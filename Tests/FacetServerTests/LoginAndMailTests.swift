@testable import FacetServer
import XCTest

final class LoginAndMailTests: XCTestCase {
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
