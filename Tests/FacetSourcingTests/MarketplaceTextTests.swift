import FacetCore
@testable import FacetSourcing
import Foundation
import XCTest

final class MarketplaceTextTests: XCTestCase {
    func testPriceFormats() {
        let cases: [(String, MoneyRange?)] = [
            ("US $1.20-3.50", MoneyRange(min: 120, max: 350, currency: "USD")),
            ("US $159.21-226.47", MoneyRange(min: 15921, max: 22647, currency: "USD")),
            ("US$ 7.11 - 11.16", MoneyRange(min: 711, max: 1116, currency: "USD")),
            ("$12.50", MoneyRange(min: 1250, max: 1250, currency: "USD")),
            ("7.11 - 11.16 USD", MoneyRange(min: 711, max: 1116, currency: "USD")),
            ("1,200.00 - 1,500.00 CNY", MoneyRange(min: 120_000, max: 150_000, currency: "CNY")),
            ("€3,50 - €4,20", MoneyRange(min: 350, max: 420, currency: "EUR")),
            ("1.200,50 EUR", MoneyRange(min: 120_050, max: 120_050, currency: "EUR")),
            ("¥ 88 ~ 120", MoneyRange(min: 8800, max: 12000, currency: "CNY")),
            ("£4.99 to £6", MoneyRange(min: 499, max: 600, currency: "GBP")),
            ("US $1,250", MoneyRange(min: 125_000, max: 125_000, currency: "USD")),
            ("US $0.125", MoneyRange(min: 13, max: 13, currency: "USD")),
            ("JPY 1500", MoneyRange(min: 1500, max: 1500, currency: "JPY")),
            ("Negotiable", nil), ("Contact supplier", nil), ("US $", nil), ("12.50", nil),
            ("US $5.00-3.00", nil), ("US $1-2-3", nil), ("US $0", nil), ("", nil),
        ]
        for (text, expected) in cases { XCTAssertEqual(ListingText.price(text), expected, text) }
        XCTAssertEqual(ListingText.price("12.50", defaultCurrency: "USD"), MoneyRange(min: 1250, max: 1250, currency: "USD"))
    }

    func testMinimumOrderFormats() {
        let cases: [(String, Quantity?)] = [
            ("100 Pieces", Quantity(amount: 100, unit: "piece")), ("2 pairs", Quantity(amount: 2, unit: "pair")),
            ("1 set", Quantity(amount: 1, unit: "set")), ("1 piece", Quantity(amount: 1, unit: "piece")),
            ("Min. order: 12 pieces", Quantity(amount: 12, unit: "piece")), ("MOQ 1,000 pcs", Quantity(amount: 1000, unit: "piece")),
            ("Min order: 3 Sets", Quantity(amount: 3, unit: "set")), ("50", Quantity(amount: 50, unit: "piece")),
            ("2 dozen", Quantity(amount: 2, unit: "dozen")), ("5 boxes", Quantity(amount: 5, unit: "box")),
            ("pieces", nil), ("0 pieces", nil), ("", nil),
        ]
        for (text, expected) in cases { XCTAssertEqual(ListingText.moq(text), expected, text) }
    }

    func testLeadTimeFormats() {
        let cases: [(String, DayRange?)] = [
            ("12-30 days", DayRange(min: 12, max: 30)), ("7 days", DayRange(min: 7, max: 7)),
            ("Ships in 7 days", DayRange(min: 7, max: 7)), ("2-3 weeks", DayRange(min: 14, max: 21)),
            ("Ready to ship", DayRange(min: 1, max: 7)), ("Lead time: 15 - 25 days", DayRange(min: 15, max: 25)),
            ("To be negotiated", nil), ("30-12 days", nil), ("", nil),
        ]
        for (text, expected) in cases { XCTAssertEqual(ListingText.leadTime(text), expected, text) }
    }

    func testSupplierFields() {
        XCTAssertEqual(ListingText.years("5 yrs"), 5)
        XCTAssertEqual(ListingText.years("12YRS"), 12)
        XCTAssertNil(ListingText.years("new supplier"))
        XCTAssertEqual(ListingText.rating("4.2/5.0"), 4.2)
        XCTAssertEqual(ListingText.rating("4.8 (120 reviews)"), 4.8)
        XCTAssertNil(ListingText.rating("9.5"))
        XCTAssertEqual(ListingText.percent("87%"), 87)
        XCTAssertEqual(ListingText.percent("Response rate: 87.5%"), 88)
        XCTAssertEqual(ListingText.percent("0.93"), 93)
        XCTAssertNil(ListingText.percent("fast"))
    }

    func testAttributesFromTitles() {
        XCTAssertEqual(TitleAttributes.guess("Vintage 18K Yellow Gold Filigree Ruby Ring Women Prong Setting"),
                       ["metal": "yellow_gold", "purity": "18k", "gemstone": "ruby", "stoneColor": "red", "style": "vintage",
                        "craftsmanship": "filigree", "setting": "prong"])
        let silver = TitleAttributes.guess("Minimalist S925 Sterling Silver CZ Pave Band")
        XCTAssertEqual(silver["metal"], "silver")
        XCTAssertEqual(silver["purity"], "925")
        XCTAssertEqual(silver["gemstone"], "cubic_zirconia")
        XCTAssertEqual(silver["setting"], "pave")
        XCTAssertEqual(silver["style"], "minimalist")
        XCTAssertEqual(TitleAttributes.guess("Luxury Dual Color Gold Bar Pendant")["metal"], "two_tone")
        XCTAssertEqual(TitleAttributes.guess("14K Rose Gold Floral Bangle")["metal"], "rose_gold")
        // Two stones named: no guess rather than a wrong one.
        XCTAssertNil(TitleAttributes.guess("Ruby and Sapphire Cluster Ring")["gemstone"])
        XCTAssertEqual(TitleAttributes.guess("Ring"), [:])
    }

    func testListingIdIsStableOpaqueAndPerSource() {
        let a = ListingNormaliser.listingId(source: "web", offerId: "1600835971278")
        XCTAssertEqual(a, ListingNormaliser.listingId(source: "web", offerId: "1600835971278"))
        XCTAssertNotEqual(a, ListingNormaliser.listingId(source: "api", offerId: "1600835971278"))
        XCTAssertTrue(a.hasPrefix("mk_"))
        XCTAssertEqual(a.count, 19)
        XCTAssertFalse(a.contains("1600835971278"))
    }

    func testUnreadableOffersAreNotNormalised() {
        let good = RawOffer(offerId: "1", title: "Gold Ring", priceText: "US $1.00", moqText: "2 pieces", supplierName: "S",
                            url: "/p/1.html", imageURLs: ["//cdn.test/1.jpg", "javascript:alert(1)"])
        let listing = ListingNormaliser.normalise(good, source: "web", category: .ring, baseURL: URL(string: "https://market.test/trade/search"))
        XCTAssertEqual(listing?.url, "https://market.test/p/1.html")
        XCTAssertEqual(listing?.imageURLs, ["https://cdn.test/1.jpg"])
        var noPrice = good
        noPrice.priceText = "Contact supplier"
        XCTAssertNil(ListingNormaliser.normalise(noPrice, source: "web", category: .ring, baseURL: nil))
        var noTitle = good
        noTitle.title = "  "
        XCTAssertNil(ListingNormaliser.normalise(noTitle, source: "web", category: .ring, baseURL: nil))
    }
}
