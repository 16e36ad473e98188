import FacetCore
import FacetVision
import XCTest
@testable import FacetMatching

final class CatalogIndexTests: XCTestCase {
    /// One threshold: the matcher's default cut, FacetCore's setting and the calibration's band agree.
    func testTheExactThresholdIsOneNumber() {
        XCTAssertEqual(MatcherOptions().exactThreshold, ExactMatch.defaultThreshold)
        XCTAssertEqual(SimilarityCalibration.band, ExactMatch.defaultThreshold)
        XCTAssertEqual(SimilarityCalibration.standard.similarity(distance: SimilarityCalibration.standard.d95), ExactMatch.defaultThreshold,
                       accuracy: 1e-9)
    }

    func unit(_ seed: Int, dimension: Int = 40) -> [Float] {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        let v = (0..<dimension).map { _ -> Float in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Float(Int64(bitPattern: state % 2001) - 1000) / 1000
        }
        return Embedding.normalised(v)
    }

    func testNearestFindsTheSameVectorFirstAndStaysInItsCategory() {
        let index = CatalogIndex(dimension: 40)
        for i in 0..<200 {
            index.upsert(IndexedItem(ref: "inv:\(i)", source: .inventory, labels: [:]), category: i % 2 == 0 ? .ring : .bangle,
                         images: [(fileName: "f\(i)", embedding: unit(i))])
        }
        let hits = index.nearest(unit(42), category: .ring, k: 5)
        XCTAssertEqual(hits.first?.item.ref, "inv:42")
        XCTAssertLessThan(hits.first!.distance, 0.02)
        XCTAssertTrue(hits.allSatisfy { Int($0.item.ref.dropFirst(4))! % 2 == 0 }, "a ring search returned a bangle")
        XCTAssertEqual(index.nearest(unit(43), category: .ring, k: 1).first?.item.ref == "inv:43", false)
    }

    func testRemoveAndReplaceKeepTheOtherItemsFindable() {
        let index = CatalogIndex(dimension: 40)
        for i in 0..<50 {
            index.upsert(IndexedItem(ref: "inv:\(i)", source: .inventory, labels: [:]), category: .ring,
                         images: [(fileName: "a\(i)", embedding: unit(i)), (fileName: "b\(i)", embedding: unit(1000 + i))])
        }
        index.remove("inv:7")
        XCTAssertNotEqual(index.nearest(unit(7), category: .ring, k: 1).first?.item.ref, "inv:7")
        for i in [0, 13, 49] { XCTAssertEqual(index.nearest(unit(1000 + i), category: .ring, k: 1).first?.item.ref, "inv:\(i)") }
        // Moving an item to another category takes it out of the first.
        index.upsert(IndexedItem(ref: "inv:13", source: .inventory, labels: [:]), category: .pendant, images: [(fileName: "c", embedding: unit(13))])
        XCTAssertNotEqual(index.nearest(unit(13), category: .ring, k: 1).first?.item.ref, "inv:13")
        XCTAssertEqual(index.nearest(unit(13), category: .pendant, k: 1).first?.item.ref, "inv:13")
        XCTAssertEqual(index.stats.images, 49 * 2 - 2 + 1)
        XCTAssertLessThanOrEqual(index.stats.bytesPerImage, 1024)
    }

    func testQuantisedDistanceTracksTheExactOne() {
        let index = CatalogIndex(dimension: 337)
        let a = unit(1, dimension: 337)
        index.upsert(IndexedItem(ref: "x", source: .inventory, labels: [:]), category: .ring, images: [(fileName: "x", embedding: a)])
        for seed in 2..<20 {
            let b = unit(seed, dimension: 337)
            let mixed = Embedding.normalised(zip(a, b).map { $0 * 0.8 + $1 * 0.2 })
            let exact = Embedding.distance(mixed, a)
            let approx = index.nearest(mixed, category: .ring, k: 1)[0].distance
            XCTAssertEqual(approx, exact, accuracy: 0.01)
        }
    }
}

final class AlternativesTests: XCTestCase {
    func candidate(_ ref: String, _ source: OfferSource, _ similarity: Double, _ vector: [Float]) -> Candidate {
        Candidate(item: IndexedItem(ref: ref, source: source, labels: [:]), fileName: ref, distance: 0.5, inliers: nil,
                  similarity: similarity, vector: vector)
    }

    func basis(_ i: Int, _ n: Int = 16) -> [Float] { (0..<n).map { $0 == i ? 1 : 0 } }

    func testReplicasAreCollapsedAndBothSourcesShow() {
        let matcher = Matcher(index: CatalogIndex(dimension: 16)) { _ in [:] }
        var pool: [Candidate] = []
        // Three near-identical inventory items (replicas), then distinct ones.
        for k in 0..<3 { pool.append(candidate("inv:r\(k)", .inventory, 90 - Double(k), basis(0))) }
        for k in 1..<9 { pool.append(candidate("inv:d\(k)", .inventory, 80 - Double(k), basis(k))) }
        for k in 9..<12 { pool.append(candidate("mk:m\(k)", .marketplace, 60 - Double(k), basis(k))) }
        let picked = matcher.alternatives(pool, exact: nil, eligible: { _ in true })
        XCTAssertEqual(picked.count, 8)
        XCTAssertEqual(picked.filter { $0.item.ref.hasPrefix("inv:r") }.count, 1, "replicas of one design were shown twice")
        XCTAssertGreaterThanOrEqual(picked.filter { $0.item.source == .marketplace }.count, 2)
        XCTAssertEqual(Set(picked.map(\.item.ref)).count, picked.count)
    }

    func labelled(_ ref: String, _ similarity: Double, _ vector: [Float], _ labels: [String: String]) -> Candidate {
        Candidate(item: IndexedItem(ref: ref, source: .inventory, labels: labels), fileName: ref, distance: 0.5, inliers: nil,
                  similarity: similarity, vector: vector)
    }

    func testAttributesThePhotoShowsDecideBetweenDesignsOfAboutEqualLikeness() {
        let matcher = Matcher(index: CatalogIndex(dimension: 16)) { _ in [:] }
        let query = QueryAttributes(values: [
            "metal": .init(value: "yellow", confidence: 0.9, method: "colour"),
            "stones": .init(value: "coloured", confidence: 0.8, method: "colour", colours: ["red"]),
        ])
        let whiteGreen = labelled("inv:white-green", 72, basis(1), ["metal": "white", "stones": "coloured", "stoneColour": "green"])
        let yellowRed = labelled("inv:yellow-red", 70, basis(2), ["metal": "yellow", "stones": "coloured", "stoneColour": "red"])
        let yellowGreen = labelled("inv:yellow-green", 71, basis(3), ["metal": "yellow", "stones": "coloured", "stoneColour": "green"])
        let pool = [whiteGreen, yellowGreen, yellowRed]
        XCTAssertEqual(matcher.alternatives(pool, exact: nil, eligible: { _ in true }).map(\.item.ref),
                       ["inv:white-green", "inv:yellow-green", "inv:yellow-red"], "without the photo's attributes: similarity alone")
        XCTAssertEqual(matcher.alternatives(pool, exact: nil, eligible: { _ in true }, query: query).map(\.item.ref),
                       ["inv:yellow-red", "inv:yellow-green", "inv:white-green"])

        // Beyond the three likeliest (kept whatever their labels), a design in the photo's metal and
        // stones is chosen over slightly closer ones in another metal.
        var many = (0..<3).map { labelled("inv:likely\($0)", 80 - Double($0), basis(4 + $0), [:]) }
        many += (0..<7).map { labelled("inv:white\($0)", 72 - Double($0), basis(7 + $0), ["metal": "white", "stones": "coloured", "stoneColour": "green"]) }
        many.append(labelled("inv:yellow-red", 65, basis(15), ["metal": "yellow", "stones": "coloured", "stoneColour": "red"]))
        let plain = matcher.alternatives(many, exact: nil, eligible: { _ in true }).map(\.item.ref)
        let weighed = matcher.alternatives(many, exact: nil, eligible: { _ in true }, query: query).map(\.item.ref)
        XCTAssertFalse(plain.contains("inv:yellow-red"))
        XCTAssertTrue(weighed.contains("inv:yellow-red"))
        XCTAssertEqual(Array(weighed.prefix(4)), ["inv:likely0", "inv:likely1", "inv:likely2", "inv:yellow-red"])
    }

    func testAgreementNeverLiftsAnUnlikeDesignOverAClearlyCloserOne() {
        let matcher = Matcher(index: CatalogIndex(dimension: 16)) { _ in [:] }
        let query = QueryAttributes(values: [
            "metal": .init(value: "yellow", confidence: 1, method: "colour"),
            "stones": .init(value: "none", confidence: 1, method: "colour"),
        ])
        let close = labelled("inv:close", 85, basis(1), ["metal": "white", "stones": "clear"])
        let far = labelled("inv:far", 58, basis(2), ["metal": "yellow", "stones": "none"])
        let unknown = labelled("inv:unlabelled", 70, basis(3), [:])
        XCTAssertEqual(matcher.alternatives([close, unknown, far], exact: nil, eligible: { _ in true }, query: query).map(\.item.ref),
                       ["inv:close", "inv:unlabelled", "inv:far"])
        XCTAssertEqual(AttributeAgreement.points(query, labels: [:]), 0, "no labels, no points")
        XCTAssertEqual(AttributeAgreement.points(QueryAttributes(values: [:]), labels: ["metal": "white"]), 0, "no reading, no points")
    }

    func testTheExactMatchAndIneligibleItemsAreNotAlternatives() {
        let matcher = Matcher(index: CatalogIndex(dimension: 16)) { _ in [:] }
        let exact = candidate("inv:e", .inventory, 99, basis(0))
        var pool = [exact, candidate("mk:copy", .marketplace, 97, basis(0))]
        for k in 1..<10 { pool.append(candidate("inv:\(k)", .inventory, 70, basis(k))) }
        let picked = matcher.alternatives(pool, exact: exact, eligible: { $0.ref != "inv:3" })
        XCTAssertFalse(picked.contains { $0.item.ref == "inv:e" || $0.item.ref == "mk:copy" || $0.item.ref == "inv:3" })
    }
}
