import FacetCore
import FacetSearch
import XCTest

/// One buyer's burst cannot take more than a few places in the compute queue.
final class FairnessTests: XCTestCase {
    func testABuyerHoldsAtMostTheirSlotsAndOthersAreUnaffected() throws {
        let slots = BuyerSlots(perBuyer: 3)
        let held = (0..<3).compactMap { _ in slots.acquire("greedy") }
        XCTAssertEqual(held.count, 3)
        XCTAssertNil(slots.acquire("greedy"), "a fourth search waits")
        XCTAssertNotNil(slots.acquire("patient"), "another buyer is served")
        held[0].release()
        held[0].release()
        XCTAssertEqual(slots.inFlight("greedy"), 2, "released once, however often called")
        XCTAssertNotNil(slots.acquire("greedy"))
    }

    func testASlotDroppedWithoutReleaseIsGivenBack() {
        let slots = BuyerSlots(perBuyer: 1)
        do { _ = slots.acquire("b") }
        XCTAssertEqual(slots.inFlight("b"), 0)
    }

    func testTheRefusalIsA429WithRetryAfter() {
        let refusal = BuyerSlots.refusal(perBuyer: 3)
        XCTAssertEqual(refusal.kind, .rateLimited)
        XCTAssertEqual(refusal.code, "too_many_searches")
        XCTAssertNotNil(refusal.retryAfter)
    }
}
