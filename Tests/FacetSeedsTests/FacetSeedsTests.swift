import FacetSeeds
import Foundation
import XCTest

final class FacetSeedsTests: XCTestCase {
    static let world = WorldGenerator.generate(seed: 42)

    func testSplitMix64IsStable() {
        var r = SplitMix64(seed: 42)
        // Reference values of SplitMix64 for seed 42.
        XCTAssertEqual(r.next(), 0xBDD7_3226_2FEB_6E95)
        XCTAssertEqual(r.next(), 0x28EF_E333_B266_F103)
    }

    func testGenerateIsDeterministic() throws {
        let a = WorldGenerator.generate(seed: 42)
        let b = WorldGenerator.generate(seed: 42)
        XCTAssertEqual(try a.imageIndexData(), try b.imageIndexData())
        XCTAssertEqual(a.aurelia, b.aurelia)
        XCTAssertEqual(a.northbridge, b.northbridge)
        XCTAssertEqual(a.listings, b.listings)
        let c = WorldGenerator.generate(seed: 43)
        XCTAssertNotEqual(try a.imageIndexData(), try c.imageIndexData())
    }

    func testWrittenFilesAreByteIdentical() throws {
        let fm = FileManager.default
        let base = fm.temporaryDirectory.appendingPathComponent("facet-seeds-test-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: base) }
        let one = base.appendingPathComponent("one"), two = base.appendingPathComponent("two")
        let files1 = try WorldGenerator.generate(seed: 42).write(to: one)
        _ = try WorldGenerator.generate(seed: 42).write(to: two)
        XCTAssertEqual(files1.count, 4)
        for rel in [SeedLayout.aurelia, SeedLayout.northbridge, SeedLayout.marketplace, SeedLayout.imageIndex] {
            let d1 = try Data(contentsOf: one.appendingPathComponent(rel))
            let d2 = try Data(contentsOf: two.appendingPathComponent(rel))
            XCTAssertEqual(d1, d2, rel)
            XCTAssertGreaterThan(d1.count, 1000, rel)
        }
        // The brand files are valid JSON in their own shapes.
        let aur = try JSONSerialization.jsonObject(with: Data(contentsOf: one.appendingPathComponent(SeedLayout.aurelia))) as? [String: Any]
        let first = (aur?["products"] as? [[String: Any]])?.first
        XCTAssertNotNil(first?["base_cost_cents"] as? Int)
        XCTAssertNotNil(first?["sku"] as? String)
        let nb = try JSONSerialization.jsonObject(with: Data(contentsOf: one.appendingPathComponent(SeedLayout.northbridge))) as? [String: Any]
        let item = ((nb?["catalog"] as? [String: Any])?["items"] as? [[String: Any]])?.first
        let variant = (item?["variants"] as? [[String: Any]])?.first
        XCTAssertNotNil(variant?["price"] as? String)
        let stats = try WorldStats.compute(seedsDirectory: one)
        XCTAssertEqual(stats.sources["aurelia"]?.products, Self.world.aurelia.count)
        XCTAssertEqual(stats.sources["marketplace"]?.products, Self.world.listings.count)
        XCTAssertEqual(stats.totalImages, Self.world.images.count)
        XCTAssertFalse(stats.text().isEmpty)
    }

    func testCounts() {
        let w = Self.world
        XCTAssertGreaterThanOrEqual(w.aurelia.count, 300)
        XCTAssertGreaterThanOrEqual(w.northbridge.count, 300)
        XCTAssertGreaterThanOrEqual(w.listings.count, 1500)
        XCTAssertEqual(Set(w.aurelia.map(\.sku)).count, w.aurelia.count)
        XCTAssertEqual(Set(w.northbridge.map(\.itemId)).count, w.northbridge.count)
        XCTAssertEqual(Set(w.listings.map(\.id)).count, w.listings.count)
        XCTAssertEqual(Set(w.images.map(\.path)).count, w.images.count)
    }

    func testAllSevenCategoriesInEverySource() {
        for source in Source.allCases {
            let cats = Set(Self.world.images.filter { $0.source == source }.map(\.category))
            XCTAssertEqual(cats, Set(Category.allCases), source.rawValue)
        }
    }

    func testImageIndexFields() throws {
        let data = try Self.world.imageIndexData()
        let lines = data.split(separator: 0x0A)
        XCTAssertEqual(lines.count, Self.world.images.count)
        for line in lines {
            let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            for key in ["path", "source", "productId", "category", "view"] {
                XCTAssertNotNil(obj[key] as? String, key)
            }
            let attrs = try XCTUnwrap(obj["attributes"] as? [String: Any])
            for key in ["metal", "purity", "plating", "gemstones", "style", "craftsmanship", "pattern", "setting"] {
                XCTAssertNotNil(attrs[key], key)
            }
            XCTAssertTrue((obj["path"] as! String).hasPrefix("seeds/images/"))
            XCTAssertTrue(["aurelia", "northbridge", "marketplace"].contains(obj["source"] as! String))
        }
    }

    func testViewsPerProduct() {
        var perProduct: [String: Int] = [:]
        for r in Self.world.images { perProduct[r.source.rawValue + r.productId, default: 0] += 1 }
        for p in Self.world.aurelia { XCTAssertTrue((2...4).contains(perProduct["aurelia" + p.sku] ?? 0)) }
        for p in Self.world.northbridge { XCTAssertTrue((2...4).contains(perProduct["northbridge" + p.itemId] ?? 0)) }
        for l in Self.world.listings { XCTAssertTrue((1...2).contains(perProduct["marketplace" + l.id] ?? 0)) }
    }

    func testOverlapsAreRecorded() throws {
        let w = Self.world
        var brandAttributes: [String: Attributes] = [:]
        var brandDesign: [String: String] = [:]
        for r in w.images where r.source != .marketplace {
            brandAttributes[r.productId] = r.attributes
            brandDesign[r.productId] = r.designId
        }
        let same = w.listings.filter { $0.groundTruth.relation == "same_design" }
        let variants = w.listings.filter { $0.groundTruth.relation == "variant" }
        let unrelated = w.listings.filter { $0.groundTruth.relation == "unrelated" }
        XCTAssertGreaterThan(same.count, 100)
        XCTAssertGreaterThan(variants.count, 100)
        XCTAssertGreaterThan(unrelated.count, same.count + variants.count)
        for l in same {
            let sku = try XCTUnwrap(l.groundTruth.sameDesignAs)
            XCTAssertEqual(brandAttributes[sku], l.groundTruth.attributes)
            XCTAssertEqual(brandDesign[sku], l.groundTruth.designId)
        }
        for l in variants {
            let sku = try XCTUnwrap(l.groundTruth.variantOf)
            let original = try XCTUnwrap(brandAttributes[sku])
            let v = l.groundTruth.attributes
            XCTAssertEqual(original.type, v.type)
            XCTAssertEqual(original.category, v.category)
            XCTAssertTrue(original.metalColor != v.metalColor || original.primaryGem != v.primaryGem,
                          "variant \(l.id) of \(sku) must differ in metal colour or stone")
        }
        // Same-design photos must not reuse a brand photo's exact scene.
        var brandScenes = Set<String>()
        for r in w.images where r.source != .marketplace { brandScenes.insert(r.scene.povSource) }
        for r in w.images where r.relation == "same_design" { XCTAssertFalse(brandScenes.contains(r.scene.povSource)) }
    }

    func testSceneSourceMentionsItsInclude() {
        let r = Self.world.images[0]
        XCTAssertTrue(r.scene.povSource.contains("#include \"\(r.category.sceneFile)\""))
        XCTAssertTrue(r.scene.povSource.contains("#declare P_Metal = "))
    }
}
