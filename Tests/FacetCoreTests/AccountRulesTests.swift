import FacetCore
import XCTest

final class AccountRulesTests: XCTestCase {
    func testPasswordRule() {
        XCTAssertNil(AccountRules.checkPassword("goldring2026"))
        XCTAssertNotNil(AccountRules.checkPassword("short1"))
        XCTAssertNotNil(AccountRules.checkPassword("onlyletterslong"))
        XCTAssertNotNil(AccountRules.checkPassword("1234567890123"))
        XCTAssertEqual(AccountRules.checkPassword("x")?.field, "password")
    }

    func testEmailNormalisation() {
        XCTAssertEqual(AccountRules.normalisedEmail("  Buyer@Example.COM "), "buyer@example.com")
        for bad in ["", "no-at", "a@b", "a@@b.com", "@b.com", "a@.com", "a b@c.com", "a@b.com."] {
            XCTAssertNil(AccountRules.normalisedEmail(bad), bad)
        }
    }

    func testRequiredTextTrimsAndBounds() throws {
        XCTAssertEqual(try AccountRules.requiredText("  Acme  ", field: "companyName"), "Acme")
        XCTAssertThrowsError(try AccountRules.requiredText("   ", field: "companyName"))
        XCTAssertThrowsError(try AccountRules.requiredText(nil, field: "companyName"))
        XCTAssertThrowsError(try AccountRules.requiredText(String(repeating: "a", count: 201), field: "companyName"))
        XCTAssertThrowsError(try AccountRules.requiredText("bad\u{0}", field: "companyName"))
        // The limit counts what was sent: padding that trimming would drop still makes it too long.
        XCTAssertThrowsError(try AccountRules.requiredText("\u{A0}DE" + String(repeating: "\u{A0}", count: 79), field: "country", maxLength: 80))
        XCTAssertEqual(try AccountRules.requiredText("\u{A0}DE\u{A0}", field: "country", maxLength: 80), "DE")
    }

    func testIdentifiersAreOpaqueAndDistinct() {
        let ids = Set((0..<1000).map { _ in Identifier.make("u") })
        XCTAssertEqual(ids.count, 1000)
        XCTAssertTrue(ids.allSatisfy { $0.hasPrefix("u_") && $0.count == 18 })
    }
}
