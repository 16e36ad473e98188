import XCTest
@testable import FacetCore

final class PricingTests: XCTestCase {
    func testMarkupRoundsHalfUpToTheCent() throws {
        XCTAssertEqual(try Pricing.apply(3_000, to: 56_000), 72_800)
        XCTAssertEqual(try Pricing.apply(1_250, to: 199), 224)      // 223.875 → 224
        XCTAssertEqual(try Pricing.apply(5_000, to: 1), 2)          // 1.5 → 2
        XCTAssertEqual(try Pricing.apply(0, to: 12_345), 12_345)
        XCTAssertEqual(try Pricing.apply(5_000, to: -1), -2)        // refunds round away from zero too
    }

    func testCategoryMarkupWinsOverGlobal() throws {
        let table = MarkupTable(global: 3_000, perCategory: [.ring: 2_000])
        XCTAssertEqual(try table.price(base: Money(amount: 10_000, currency: "USD"), category: .ring).amount, 12_000)
        XCTAssertEqual(try table.price(base: Money(amount: 10_000, currency: "USD"), category: .bangle).amount, 13_000)
    }

    func testMarketplaceMarkupIsItsOwnPartOfTheTable() throws {
        let table = MarkupTable(global: 3_000, perCategory: [:], marketplaceGlobal: 2_500, marketplacePerCategory: [.pendant: 4_000])
        let listed = MoneyRange(min: 120, max: 350, currency: "USD")
        XCTAssertEqual(try table.approximate(listed, category: .ring), MoneyRange(min: 100, max: 500, currency: "USD"))
        XCTAssertEqual(try table.approximate(listed, category: .pendant), MoneyRange(min: 100, max: 500, currency: "USD"))
        XCTAssertEqual(table.listedCeiling(forBuyerPrice: 1_000, category: .ring), 800)
        XCTAssertEqual(table.listedCeiling(forBuyerPrice: 1_400, category: .pendant), 1_000)
    }

    func testBaseWithinALimitIsTheLargestThatStaysUnderIt() throws {
        for (limit, bp) in [(Int64(25_000), 3_000), (999, 1_250), (1, 5_000), (100_000, 0), (7, 100_000)] {
            let base = Pricing.base(within: limit, basisPoints: bp)
            XCTAssertLessThanOrEqual(try Pricing.apply(bp, to: base), limit)
            XCTAssertGreaterThan(try Pricing.apply(bp, to: base + 1), limit)
        }
    }

    func testApproximateRangesWidenToWholeUnits() throws {
        let r = try Pricing.approximate(MoneyRange(min: 3_850, max: 5_620, currency: "USD"), basisPoints: 3_000)
        XCTAssertEqual(r, MoneyRange(min: 5_000, max: 7_400, currency: "USD"))  // 50.05 → 50, 73.06 → 74
    }

    /// The amounts that used to trap the server: a marked-up price that does not fit is an
    /// error, and converting a huge buyer limit back never overflows.
    func testAmountsOutOfRangeAreRefusedNotTrapped() {
        for amount in [Int64.max, 8_000_000_000_000_000_000, Int64.min, Int64.min + 1] {
            XCTAssertThrowsError(try Pricing.apply(3_000, to: amount)) { XCTAssertTrue($0 is MoneyOverflow) }
        }
        XCTAssertThrowsError(try Pricing.approximate(MoneyRange(min: 1, max: Int64.max / 10_000 * 9_000, currency: "USD"), basisPoints: 3_000))
        XCTAssertThrowsError(try MarkupTable.standard.price(base: Money(amount: Int64.max, currency: "USD"), category: .ring))
        for limit in [Int64(1_000_000_000_000_000), 4_492_386_165_896_104_960, Int64.max] {
            for bp in [0, 3_000, MarkupTable.maximumBasisPoints] {
                let base = Pricing.base(within: limit, basisPoints: bp)
                XCTAssertGreaterThan(base, 0)
                XCTAssertLessThanOrEqual(base, limit)
                if let price = try? Pricing.apply(bp, to: base) { XCTAssertLessThanOrEqual(price, limit) }
            }
        }
        XCTAssertEqual(Pricing.base(within: 0, basisPoints: 3_000), 0)
        XCTAssertEqual(Pricing.base(within: -5, basisPoints: 3_000), 0)
    }

    func testBuyerAmountsParseExactlyAndStayBounded() {
        XCTAssertEqual(Money.parseMinorUnits("250", currency: "USD"), 25_000)
        XCTAssertEqual(Money.parseMinorUnits("1,249.9", currency: "USD"), 124_990)
        XCTAssertEqual(Money.parseMinorUnits("999999999999.99", currency: "USD"), 99_999_999_999_999)
        for bad in ["-1", "1e9", "12.345", "", ".5", "abc", "9999999999999", "١٢"] {
            XCTAssertNil(Money.parseMinorUnits(bad, currency: "USD"), bad)
        }
    }
}

final class CartRulesTests: XCTestCase {
    func offer(price: Int64?, range: MoneyRange? = nil, tiers: [(Int, Int64)] = [], moq: Int = 1) -> Offer {
        Offer(id: "of_1", title: "Ring", category: .ring, source: price == nil ? .marketplace : .inventory, images: [],
              price: price.map { Money(amount: $0, currency: "USD") }, priceRange: range,
              priceTiers: tiers.map { OfferTier(minQuantity: $0.0, unitPrice: Money(amount: $0.1, currency: "USD")) },
              moq: moq, moqUnit: "pieces", deliveryDays: DayRange(min: 5, max: 7), availability: "ready_stock", availableQuantity: 10,
              stockAsOf: nil, stockLive: nil, similarity: 0, matches: [:], specifications: [:])
    }

    func testTiersAndRanges() throws {
        let tiered = offer(price: 1_000, tiers: [(10, 900), (50, 800)], moq: 5)
        XCTAssertEqual(CartRules.unitPrice(tiered, quantity: 9)?.amount, 1_000)
        XCTAssertEqual(CartRules.unitPrice(tiered, quantity: 10)?.amount, 900)
        XCTAssertEqual(CartRules.unitPrice(tiered, quantity: 500)?.amount, 800)
        let q = try CartRules.quote(tiered, quantity: 4)
        XCTAssertTrue(q.belowMoq)
        XCTAssertEqual(q.lineTotal?.amount, 4_000)
        let sourced = try CartRules.quote(offer(price: nil, range: MoneyRange(min: 800, max: 1_300, currency: "USD")), quantity: 100)
        XCTAssertEqual(sourced.lineRange, MoneyRange(min: 80_000, max: 130_000, currency: "USD"))
        XCTAssertNil(sourced.lineTotal)
        XCTAssertThrowsError(try CartRules.quote(offer(price: Int64.max / 2), quantity: 3))
        let totals = try CartRules.totals(exact: [Money(amount: 100, currency: "USD")], approximate: [])
        XCTAssertEqual(totals.exact?.amount, 100)
        XCTAssertNil(totals.approximate)
    }
}
