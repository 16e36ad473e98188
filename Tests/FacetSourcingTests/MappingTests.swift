import FacetCore
@testable import FacetSourcing
import Foundation
import XCTest

final class MappingTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func mapping(_ brand: String) throws -> BrandMapping {
        try BrandMapping.load(Self.root.appendingPathComponent("seeds/brands/\(brand)/mapping.json"))
    }

    func testAureliaFlatProductMapsToTheCatalogShape() throws {
        let native = try JSONValue.parse(Array("""
            {"sku":"AUR-R-00013","title":"Eternity Ring","category":"ring","sub_type":"eternity","metal_type":"yellow_gold",
             "metal_purity":"14k","plating":"none","setting_type":"channel","craftsmanship":"plain","pattern":"none","style":"modern",
             "gemstone_type":"diamond","gemstone_color":"colorless","gemstone_cut":"round","gemstone_count":19,
             "accent_gemstone_type":"none","accent_gemstone_count":0,"base_cost_cents":56000,"currency":"USD","moq":2,
             "price_tiers":[{"min_qty":25,"unit_cost_cents":50400},{"min_qty":10,"unit_cost_cents":53200}],
             "stock_qty":52,"lead_time_ready_days":5,"lead_time_made_to_order_days":16,"status":"active",
             "ring_sizes":"4,5,6","image_paths":["seeds/images/aurelia/AUR-R-00013-1.jpg"],"updated_at":"2026-06-13T05:26:21Z"}
            """.utf8))
        let p = try mapping("aurelia").catalogProduct(from: native, baseURL: "http://brand:1")
        XCTAssertEqual(p.sku, "AUR-R-00013")
        XCTAssertEqual(p.brand, "aurelia")
        XCTAssertEqual(p.category, .ring)
        XCTAssertEqual(p.baseCost, .init(amount: 56000, currency: "USD"))
        XCTAssertEqual(p.moq, 2)
        XCTAssertEqual(p.stock, 52)
        XCTAssertEqual(p.priceTiers, [.init(minQuantity: 10, unitCost: 53200), .init(minQuantity: 25, unitCost: 50400)])
        XCTAssertEqual(p.leadTimes, .init(readyDays: 5, madeToOrderDays: 16))
        XCTAssertEqual(p.attributes["metal"], .text("yellow_gold"))
        XCTAssertEqual(p.attributes["type"], .text("eternity"))
        XCTAssertEqual(p.attributes["ringSizes"], .list(["4", "5", "6"]))
        XCTAssertEqual(p.gemstones, [.init(type: "diamond", color: "colorless", cut: "round", count: 19, role: "center")])
        XCTAssertEqual(p.imageURLs, ["http://brand:1/seeds/images/aurelia/AUR-R-00013-1.jpg"])
        XCTAssertEqual(p.status, .active)
        XCTAssertNotNil(p.sourceUpdatedAt)
    }

    func testNorthbridgeNestedVariantsMapToTheSameShape() throws {
        let native = try JSONValue.parse(Array("""
            {"active":false,"itemId":"NB-10003","title":"Cross Pendant","productType":"Pendant","lastModified":"2026-03-15T01:53:26Z",
             "details":{"fineness":"925","finish":"rhodium plated","look":"statement","material":"sterling silver, two tone","motif":"plain",
                        "mount":"bezel set","silhouette":"halo drop","technique":"plain",
                        "stones":[{"hue":"blue","qty":1,"shape":"oval","stone":"blue topaz"},{"hue":"colorless","qty":12,"shape":"round","stone":"cubic zirconia"}]},
             "media":[{"src":"seeds/images/northbridge/NB-10003-1.jpg"}],
             "variants":[
               {"currency":"USD","leadTime":{"inStockDays":2,"madeToOrderDays":19},"minOrder":12,"onHand":203,"option":{"length":"40 cm"},
                "price":"10.60","tiers":[{"fromQty":50,"price":"9.49"},{"fromQty":200,"price":"8.88"}]},
               {"currency":"USD","leadTime":{"inStockDays":2,"madeToOrderDays":19},"minOrder":12,"onHand":209,"option":{"length":"50 cm"},
                "price":"10.10","tiers":[]}]}
            """.utf8))
        let p = try mapping("northbridge").catalogProduct(from: native, baseURL: "http://nb")
        XCTAssertEqual(p.sku, "NB-10003")
        XCTAssertEqual(p.category, .pendant)
        XCTAssertEqual(p.status, .discontinued)
        XCTAssertEqual(p.baseCost, .init(amount: 1010, currency: "USD"))
        XCTAssertEqual(p.stock, 412)
        XCTAssertEqual(p.moq, 12)
        XCTAssertEqual(p.priceTiers, [.init(minQuantity: 50, unitCost: 949), .init(minQuantity: 200, unitCost: 888)])
        XCTAssertEqual(p.attributes["metal"], .text("two_tone"))
        XCTAssertEqual(p.attributes["plating"], .text("rhodium"))
        XCTAssertEqual(p.attributes["setting"], .text("bezel"))
        XCTAssertEqual(p.attributes["pattern"], .text("none"))
        XCTAssertEqual(p.attributes["type"], .text("halo_drop"))
        XCTAssertEqual(p.attributes["chainLengthsCm"], .list(["40", "50"]))
        XCTAssertEqual(p.gemstones.map(\.type), ["topaz", "cubic_zirconia"])
        XCTAssertEqual(p.gemstones.map(\.role), ["center", "accent"])
        XCTAssertEqual(p.leadTimes, .init(readyDays: 2, madeToOrderDays: 19))
        XCTAssertEqual(p.imageURLs, ["http://nb/seeds/images/northbridge/NB-10003-1.jpg"])
    }

    func testEveryDemoProductOfBothBrandsMaps() throws {
        for (brand, file, items) in [("aurelia", "products.json", "products"), ("northbridge", "catalog.json", "catalog.items")] {
            let root = try JSONValue.parse(Array(Data(contentsOf: Self.root.appendingPathComponent("seeds/brands/\(brand)/\(file)"))))
            let products = root.values(at: items).first?.array ?? []
            XCTAssertGreaterThan(products.count, 100)
            let m = try mapping(brand)
            for native in products {
                let p = try m.catalogProduct(from: native, baseURL: "http://x")
                XCTAssertGreaterThan(p.baseCost.amount, 0, p.sku)
                XCTAssertNotNil(p.attributes["metal"], p.sku)
                XCTAssertFalse(p.imageURLs.isEmpty, p.sku)
            }
        }
    }

    /// Found by the sourcing fuzzer: a Northbridge variant with `"minOrder": -2` mapped to a product
    /// with a minimum order of -2.
    func testNegativeMinimumOrdersAndCostsAreRefusedAndBadTiersSkipped() throws {
        func aurelia(_ patch: String) throws -> CatalogProduct {
            let native = try JSONValue.parse(Array("""
                {"sku":"AUR-R-1","title":"Ring","category":"ring","base_cost_cents":1000,"currency":"USD",\(patch)
                 "price_tiers":[{"min_qty":10,"unit_cost_cents":900},{"min_qty":-5,"unit_cost_cents":800},{"min_qty":20,"unit_cost_cents":-1}],
                 "stock_qty":5,"status":"active"}
                """.utf8))
            return try mapping("aurelia").catalogProduct(from: native, baseURL: "http://brand:1")
        }
        XCTAssertThrowsError(try aurelia(#""moq":-2,"#)) { XCTAssertTrue("\($0)".contains("negative minimum order"), "\($0)") }
        XCTAssertEqual(try aurelia(#""moq":0,"#).moq, 1, "no minimum is a minimum of one")
        XCTAssertEqual(try aurelia(#""moq":3,"#).priceTiers, [.init(minQuantity: 10, unitCost: 900)])
        let negativeCost = try JSONValue.parse(Array(#"{"sku":"AUR-R-2","category":"ring","base_cost_cents":-100,"moq":1}"#.utf8))
        XCTAssertThrowsError(try mapping("aurelia").catalogProduct(from: negativeCost, baseURL: "http://brand:1")) {
            XCTAssertTrue("\($0)".contains("negative cost"), "\($0)")
        }

        let crash = try JSONValue.parse(Array(#"""
            {"active": true, "details": {"material": "sterling silver"}, "handle": "h", "itemId": "NB-10003",
             "productType": "Pendant", "title": "Cross Pendant",
             "variants": [{"currency": "USD", "minOrder": 12, "onHand": 203, "price": "10.10", "variantId": "NB-10003-40"},
                          {"currency": "USD", "minOrder": -2, "onHand": 209, "price": "9.96", "variantId": "NB-10003-50"}]}
            """#.utf8))
        XCTAssertThrowsError(try mapping("northbridge").catalogProduct(from: crash, baseURL: "http://brand:2")) {
            XCTAssertTrue("\($0)".contains("negative minimum order"), "\($0)")
        }
    }

    func testDecimalMoneyIsExact() {
        XCTAssertEqual(DecimalAmount.minorUnits("10.10"), 1010)
        XCTAssertEqual(DecimalAmount.minorUnits("42.5"), 4250)
        XCTAssertEqual(DecimalAmount.minorUnits("7"), 700)
        XCTAssertEqual(DecimalAmount.minorUnits("0.015"), 2)
        XCTAssertNil(DecimalAmount.minorUnits("abc"))
    }
}
