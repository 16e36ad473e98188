import FacetCore
import XCTest

final class TopicTests: XCTestCase {
    func testParsesKnownShapes() {
        XCTAssertEqual(Topic("admin")?.name, .admin)
        XCTAssertEqual(Topic("buyers")?.name, .buyers)
        XCTAssertEqual(Topic("buyer:u_abc")?.name, .owned(.buyer, "u_abc"))
        XCTAssertEqual(Topic("search:s_1-2")?.description, "search:s_1-2")
    }

    func testRejectsMalformedTopics() {
        for raw in ["", "buyer:", "buyer", "seller:x", "buyer:a b", "buyer:../x", "quote:é", String(repeating: "a", count: 200)] {
            XCTAssertNil(Topic(raw), raw)
        }
    }

    func testBuyerMaySubscribeOnlyToOwnBuyerTopic() {
        let buyer = Viewer(userId: "u_1", role: .buyer, verified: true)
        XCTAssertEqual(TopicPolicy.access(buyer, to: .buyer("u_1")), .allowed)
        XCTAssertNotEqual(TopicPolicy.access(buyer, to: .buyer("u_2")), .allowed)
        XCTAssertNotEqual(TopicPolicy.access(buyer, to: Topic("admin")!), .allowed)
        XCTAssertEqual(TopicPolicy.access(buyer, to: Topic("buyers")!), .allowed)
        XCTAssertEqual(TopicPolicy.access(buyer, to: Topic("quote:q_9")!), .needsOwner(.quote, "q_9"))
    }

    func testUnverifiedBuyerGetsNothingAndStaffGetsEverything() {
        let unverified = Viewer(userId: "u_1", role: .buyer, verified: false)
        XCTAssertNotEqual(TopicPolicy.access(unverified, to: .buyer("u_1")), .allowed)
        let ops = Viewer(userId: "u_ops", role: .ops, verified: true)
        XCTAssertEqual(TopicPolicy.access(ops, to: Topic("admin")!), .allowed)
        XCTAssertEqual(TopicPolicy.access(ops, to: Topic("order:o_1")!), .allowed)
    }
}
