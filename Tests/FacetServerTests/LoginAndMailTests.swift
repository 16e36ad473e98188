@testable import FacetServer
import FacetCore
import XCTest

final class LoginAndMailTests: XCTestCase {
    func testGuessesSlowTheGuesserWithGrowingDelaysAndNeverLockTheOwner() {
        var policy = LoginThrottle.Policy()
        policy.freePerPair = 3
        policy.freePerAddress = 10
        let throttle = LoginThrottle(policy: policy)
        var now = Date()
        for _ in 0..<3 { throttle.recordFailure(account: "a", address: "6.6.6.6", now: now) }
        XCTAssertNil(throttle.retryAfter(account: "a", address: "6.6.6.6", now: now), "three free failures")
        var waits: [Int] = []
        for _ in 0..<5 {
            throttle.recordFailure(account: "a", address: "6.6.6.6", now: now)
            let wait = throttle.retryAfter(account: "a", address: "6.6.6.6", now: now) ?? 0
            waits.append(wait)
            now = now.addingTimeInterval(TimeInterval(wait))
            XCTAssertNil(throttle.retryAfter(account: "a", address: "6.6.6.6", now: now), "the wait ends")
        }
        XCTAssertEqual(waits, [1, 2, 4, 8, 16])
        // However many guesses come from elsewhere, the owner's own address is not slowed.
        XCTAssertNil(throttle.retryAfter(account: "a", address: "1.2.3.4", now: now))
        for i in 0..<500 { throttle.recordFailure(account: "a", address: "10.0.\(i / 250).\(i % 250)", now: now) }
        XCTAssertNil(throttle.retryAfter(account: "a", address: "1.2.3.4", now: now))
        // The delay is capped.
        XCTAssertEqual(throttle.delay(afterFailures: 100, free: 3), policy.maxDelay)
    }

    func testOneAddressGuessingManyAccountsIsSlowedButOthersAreNot() {
        var policy = LoginThrottle.Policy()
        policy.freePerAddress = 5
        let throttle = LoginThrottle(policy: policy)
        let now = Date()
        for i in 0..<6 { throttle.recordFailure(account: "victim\(i)", address: "6.6.6.6", now: now) }
        XCTAssertNotNil(throttle.retryAfter(account: "someone", address: "6.6.6.6", now: now))
        XCTAssertNil(throttle.retryAfter(account: "someone", address: "7.7.7.7", now: now))
    }

    func testSuccessAndResetForgive() {
        let throttle = LoginThrottle()
        let now = Date()
        for _ in 0..<6 { throttle.recordFailure(account: "a", address: "1.1.1.1", now: now) }
        for _ in 0..<6 { throttle.recordFailure(account: "a", address: "2.2.2.2", now: now) }
        XCTAssertNotNil(throttle.retryAfter(account: "a", address: "1.1.1.1", now: now))
        throttle.recordSuccess(account: "a", address: "1.1.1.1")
        XCTAssertNil(throttle.retryAfter(account: "a", address: "1.1.1.1", now: now))
        XCTAssertNotNil(throttle.retryAfter(account: "a", address: "2.2.2.2", now: now))
        throttle.forgive(account: "a")
        XCTAssertNil(throttle.retryAfter(account: "a", address: "2.2.2.2", now: now))
    }

    private struct Profile: Decodable { var x: [String]; var tags: [String: String]? }
    private struct Form: Decodable { var email: String?; var t: String?; var body: String?; var path: String?; var profile: Profile? }

    private func offending(_ json: String) throws -> String? {
        let body = Array(json.utf8)
        return ControlCharacters.offendingField(in: try JSONCoding.decode(Form.self, from: body), body: body)
    }

    func testControlCharactersAreFoundWithTheirField() throws {
        XCTAssertEqual(try offending(#"{"email":"a\u0000@b.c"}"#), "email")
        XCTAssertEqual(try offending(#"{"profile":{"x":["ok","b\u0085"]}}"#), "profile.x[1]")
        XCTAssertEqual(try offending(#"{"profile":{"x":[],"tags":{"k\u0001":"v"}}}"#), "profile.tags.k\u{01}")
        XCTAssertEqual(try offending("{\"t\":\"a\u{7f}\"}"), "t")
        XCTAssertNil(try offending(#"{"body":"line\none\ttab","path":"C:\\u0000"}"#))
        // Members the request does not read are ignored, whatever they hold.
        XCTAssertNil(try offending(#"{"email":"a@b.c","extra\u0007":{"x":"\u0000"}}"#))
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
