import XCTest
@testable import FacetCore

/// Every pair of states by every actor: the allowed ones move, every other one is refused.
final class WorkflowTests: XCTestCase {
    func testQuoteMovesExactlyAsAllowed() {
        let allowed: Set<String> = [
            "submitted>in_review:staff", "submitted>quoted:staff", "submitted>declined:staff", "submitted>withdrawn:buyer",
            "in_review>quoted:staff", "in_review>declined:staff", "in_review>withdrawn:buyer",
            "quoted>quoted:staff", "quoted>changes_requested:buyer", "quoted>accepted:buyer", "quoted>declined:buyer",
            "quoted>declined:staff", "quoted>expired:system", "quoted>withdrawn:buyer",
            "changes_requested>quoted:staff", "changes_requested>declined:staff", "changes_requested>withdrawn:buyer",
            "expired>changes_requested:buyer", "expired>quoted:staff", "expired>declined:staff", "expired>withdrawn:buyer",
        ]
        for from in QuoteStatus.allCases {
            for to in QuoteStatus.allCases {
                for actor in Actor.allCases {
                    let key = "\(from.rawValue)>\(to.rawValue):\(actor.rawValue)"
                    if allowed.contains(key) {
                        XCTAssertEqual(try from.move(to: to, by: actor), to, key)
                    } else {
                        XCTAssertThrowsError(try from.move(to: to, by: actor), key) { error in
                            XCTAssertEqual((error as? DomainError)?.code, "illegal_transition")
                            XCTAssertEqual((error as? DomainError)?.kind, .conflict)
                        }
                    }
                }
            }
        }
        XCTAssertTrue(QuoteStatus.accepted.isFinal && QuoteStatus.withdrawn.isFinal && !QuoteStatus.expired.isFinal)
    }

    func testOrdersNeverShipBeforePayment() {
        let allowed: Set<String> = [
            "confirmed>payment_verified:staff", "payment_verified>in_production:staff", "payment_verified>quality_check:staff",
            "payment_verified>shipped:staff", "in_production>quality_check:staff", "in_production>shipped:staff",
            "quality_check>shipped:staff", "shipped>shipped:staff", "shipped>delivered:staff", "shipped>delivered:buyer",
            "delivered>closed:buyer", "delivered>closed:staff", "delivered>closed:system",
        ]
        for from in OrderStatus.allCases {
            for to in OrderStatus.allCases {
                for actor in Actor.allCases {
                    let key = "\(from.rawValue)>\(to.rawValue):\(actor.rawValue)"
                    XCTAssertEqual(from.canMove(to: to, by: actor), allowed.contains(key), key)
                }
            }
        }
        XCTAssertThrowsError(try OrderStatus.confirmed.move(to: .shipped, by: .staff)) { error in
            XCTAssertEqual((error as? DomainError)?.message, "This order is confirmed; it cannot become shipped.")
        }
    }

    func testIssuesAreWorkedByStaffAndClosedByEither() {
        XCTAssertTrue(IssueStatus.open.canMove(to: .inProgress, by: .staff))
        XCTAssertFalse(IssueStatus.open.canMove(to: .inProgress, by: .buyer))
        XCTAssertTrue(IssueStatus.resolved.canMove(to: .closed, by: .buyer))
        XCTAssertFalse(IssueStatus.closed.canMove(to: .open, by: .staff))
        XCTAssertThrowsError(try IssueStatus.open.move(to: .closed, by: .buyer))
    }
}
