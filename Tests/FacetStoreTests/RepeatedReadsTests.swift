import FacetCore
@testable import FacetStore
import Foundation
import XCTest

/// What a search reads many times over: products and listings (decoded once while their stored
/// text is unchanged) and offer ids (read in one go).
final class RepeatedReadsTests: StoreTestCase {
    func testTheCacheDecodesAgainWhenTheTextChangesAndStartsAgainWhenFull() {
        let cache = DecodedRowCache<String>(capacity: 2)
        var decoded: [String] = []
        func read(_ id: String, _ text: String) -> String { cache.value(id: id, text: text) { decoded.append($0); return $0.uppercased() } }
        XCTAssertEqual(read("a", "one"), "ONE")
        XCTAssertEqual(read("a", "one"), "ONE")
        XCTAssertEqual(decoded, ["one"], "the same text is decoded once")
        XCTAssertEqual(read("a", "two"), "TWO", "a changed row is decoded again, never served stale")
        XCTAssertEqual(read("b", "three"), "THREE")
        XCTAssertEqual(read("c", "four"), "FOUR")
        XCTAssertEqual(read("a", "two"), "TWO")
        XCTAssertEqual(decoded, ["one", "two", "three", "four", "two"], "full at two rows, it started again")
    }

    func testAProductChangedAtTheBrandIsReadAsChanged() async throws {
        func put(cost: Int64, status: CatalogProduct.Status) async throws {
            let product = CatalogProduct(sku: "AU-1", brand: "aurelia", title: "Ring AU-1", category: .ring, attributes: ["metal": .text("silver")],
                                         gemstones: [], baseCost: .init(amount: cost, currency: "USD"), moq: 1, priceTiers: [], stock: 5,
                                         leadTimes: .init(readyDays: 2, madeToOrderDays: 10), status: status, imageURLs: [], sourceUpdatedAt: nil)
            _ = try await database.writer.write { db in try CatalogStore.upsert(db, [.init(product: product, native: "{}", images: nil)], at: Date()) }
        }
        let features = FeatureStore(database: database)
        try await put(cost: 10_000, status: .active)
        XCTAssertEqual(try features.products(skus: ["AU-1"])["AU-1"]?.product.baseCost.amount, 10_000)
        XCTAssertEqual(try features.products(skus: ["AU-1"])["AU-1"]?.product.baseCost.amount, 10_000)
        try await put(cost: 12_500, status: .discontinued)
        let again = try XCTUnwrap(try features.products(skus: ["AU-1"])["AU-1"]?.product)
        XCTAssertEqual(again.baseCost.amount, 12_500)
        XCTAssertEqual(again.status, .discontinued)
    }

    func testOfferIdsAreReadTogetherAndMatchTheOnesIssued() throws {
        let searches = SearchStore(database: database)
        let ring = try searches.offerId(source: "inventory", ref: "inv:AU-1")
        let listing = try searches.offerId(source: "marketplace", ref: "mk:L-9")
        XCTAssertEqual(try searches.existingOfferIds(refs: ["inv:AU-1", "mk:L-9", "inv:NONE", "inv:AU-1"]),
                       ["inv:AU-1": ring, "mk:L-9": listing], "unknown refs are left out, not issued")
        XCTAssertEqual(try searches.existingOfferIds(refs: []), [:])
        XCTAssertEqual(try searches.offerId(source: "inventory", ref: "inv:NONE"), try searches.existingOfferIds(refs: ["inv:NONE"])["inv:NONE"])
    }

    func testMissingOfferIdsAreIssuedTogetherAndKept() throws {
        let searches = SearchStore(database: database)
        let ring = try searches.offerId(source: "inventory", ref: "inv:AU-1")
        let ids = try searches.issueOfferIds([("inventory", "inv:AU-1"), ("marketplace", "mk:L-1"), ("inventory", "inv:AU-2"), ("marketplace", "mk:L-1")])
        XCTAssertEqual(ids.count, 3)
        XCTAssertEqual(ids["inv:AU-1"], ring, "an id already issued is kept")
        XCTAssertEqual(Set(ids.values).count, 3)
        XCTAssertEqual(try searches.offerRef(id: try XCTUnwrap(ids["mk:L-1"]))?.source, "marketplace")
        XCTAssertEqual(try searches.issueOfferIds([("inventory", "inv:AU-2")]), ["inv:AU-2": ids["inv:AU-2"]!], "issued once")
        XCTAssertEqual(try searches.offerId(source: "inventory", ref: "inv:AU-2"), ids["inv:AU-2"])
    }
}
