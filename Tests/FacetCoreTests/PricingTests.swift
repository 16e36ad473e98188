import XCTest
@testable import FacetCore

final class PricingTests: XCTestCase {
    func testMarkupRoundsHalfUpToTheCent() {
        XCTAssertEqual(Pricing.apply(3_000, to: 56_000), 72_800)
        XCTAssertEqual(Pricing.apply(1_250, to: 199), 224)      // 223.875 → 224
        XCTAssertEqual(Pricing.apply(5_000, to: 1), 2)          // 1.5 → 2
        XCTAssertEqual(Pricing.apply(0, to: 12_345), 12_345)
    }

    func testCategoryMarkupWinsOverGlobal() {
        let table = MarkupTable(global: 3_000, perCategory: [.ring: 2_000])
        XCTAssertEqual(table.price(base: Money(amount: 10_000, currency: "USD"), category: .ring).amount, 12_000)
        XCTAssertEqual(table.price(base: Money(amount: 10_000, currency: "USD"), category: .bangle).amount, 13_000)
    }

    func testBaseWithinALimitIsTheLargestThatStaysUnderIt() {
        for (limit, bp) in [(Int64(25_000), 3_000), (999, 1_250), (1, 5_000), (100_000, 0)] {
            let base = Pricing.base(within: limit, basisPoints: bp)
            XCTAssertLessThanOrEqual(Pricing.apply(bp, to: base), limit)
            XCTAssertGreaterThan(Pricing.apply(bp, to: base + 1), limit)
        }
    }

    func testApproximateRangesWidenToWholeUnits() {
        let r = Pricing.approximate(MoneyRange(min: 3_850, max: 5_620, currency: "USD"), basisPoints: 3_000)
        XCTAssertEqual(r, MoneyRange(min: 5_000, max: 7_400, currency: "USD"))  // 50.05 → 50, 73.06 → 74
    }
}
