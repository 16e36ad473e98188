@testable import FacetVision
import XCTest

final class ProjectionTests: XCTestCase {
    /// Products whose photos differ mostly along a few "view" directions that carry no identity:
    /// the fitted projection must shrink those and find each photo's product more often.
    func testFittedProjectionBringsViewsOfOneProductTogether() throws {
        var state: UInt64 = 42
        func uniform() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
        let dims = 48, products = 60, views = 3
        var vectors: [[Float]] = [], groups: [String] = []
        for p in 0..<products {
            let centre = (0..<dims).map { _ in uniform() * 0.3 }
            for _ in 0..<views {
                var v = centre
                for i in 0..<6 { v[i] += uniform() * 2.0 }  // the view: large, shared by every product
                for i in 6..<dims { v[i] += uniform() * 0.05 }
                vectors.append(v)
                groups.append("p\(p)")
            }
        }
        func recallAt1(_ vs: [[Float]]) -> Double {
            var hit = 0
            for i in vs.indices {
                let j = vs.indices.filter { $0 != i }.min { Embedding.distance(vs[i], vs[$0]) < Embedding.distance(vs[i], vs[$1]) }!
                if groups[j] == groups[i] { hit += 1 }
            }
            return Double(hit) / Double(vs.count)
        }
        let projection = try Projection.fit(vectors: vectors, groups: groups, principal: 32, output: 16)
        let raw = recallAt1(vectors.map(Embedding.normalised))
        let projected = recallAt1(vectors.map(projection.apply))
        XCTAssertLessThan(raw, 0.5)
        XCTAssertGreaterThan(projected, 0.9)
        XCTAssertEqual(projection.apply(vectors[0]).count, 16)
        XCTAssertEqual(Double(Embedding.distance(projection.apply(vectors[0]), [Float](repeating: 0, count: 16))), 1, accuracy: 1e-4)

        // The same data gives the same numbers (and so the same identifier).
        let again = try Projection.fit(vectors: vectors, groups: groups, principal: 32, output: 16)
        XCTAssertEqual(again.identifier, projection.identifier)
    }

    /// The within-product scatter is summed product by product in the order the photos list them:
    /// a dictionary's order changes between runs, and on the demo catalog it changed the fitted file.
    func testProductsAreVisitedInTheOrderTheyFirstAppear() {
        let names = (0..<200).map { "product-\(($0 * 7919) % 97)" }
        let members = Projection.membersInOrder(names)
        var seen: [String] = []
        for n in names where !seen.contains(n) { seen.append(n) }
        XCTAssertEqual(members.map { names[$0[0]] }, seen)
        XCTAssertEqual(members.flatMap { $0 }.sorted(), Array(0..<200))
        for m in members { XCTAssertTrue(m.allSatisfy { names[$0] == names[m[0]] }); XCTAssertEqual(m, m.sorted()) }
    }

    func testSerialisedProjectionRoundTripsAndBadFilesAreRefused() throws {
        let p = Projection(mean: [0.5, -1, 2], matrix: [1, 0, 0, 0, 0.25, -3], outputDimension: 2)
        let bytes = p.serialised()
        XCTAssertEqual(try Projection(serialised: bytes), p)
        XCTAssertThrowsError(try Projection(serialised: Array(bytes.dropLast())))
        XCTAssertThrowsError(try Projection(serialised: [UInt8]("not a projection".utf8)))
        XCTAssertNotEqual(Projection(mean: [0.5, -1, 2.01], matrix: p.matrix, outputDimension: 2).identifier, p.identifier)
    }

    func testTooFewGroupedPhotosIsAClearError() {
        let vectors = (0..<40).map { i in (0..<8).map { Float(($0 * 7 + i * 13) % 11) } }
        XCTAssertThrowsError(try Projection.fit(vectors: vectors, groups: (0..<40).map { "p\($0)" }, principal: 8, output: 4))
    }

    func testProjectedEmbedderNamesItsSpaceAndRefusesAProjectionOfTheWrongSize() throws {
        let base = HandcraftedEmbedder()
        XCTAssertThrowsError(try ProjectedEmbedder(base: base, projection: Projection(mean: [0, 0], matrix: [1, 0], outputDimension: 1)))
        let n = base.dimension
        var matrix = [Float](repeating: 0, count: n * 4)
        for r in 0..<4 { matrix[r * n + r] = 1 }
        let projected = try ProjectedEmbedder(base: base, projection: Projection(mean: [Float](repeating: 0, count: n), matrix: matrix, outputDimension: 4))
        XCTAssertEqual(projected.dimension, 4)
        XCTAssertTrue(projected.identifier.hasPrefix(base.identifier + "+lw4-"))
    }
}

final class CertainInliersTests: XCTestCase {
    /// An edited copy of one photo keeps its keypoints but can move far in a learned space: with
    /// `certainInliers` set, that many standing-out inliers confirm at any distance; fewer, or
    /// inliers that do not stand out from the runner-up's, do not.
    func testManyStandingOutInliersConfirmBeyondTheConfirmDistance() {
        let projected = ProjectedEmbedder.calibration
        XCTAssertGreaterThanOrEqual(projected.similarity(distance: 0.6, inliers: 80, runnerUp: 12), SimilarityCalibration.band)
        XCTAssertLessThan(projected.similarity(distance: 0.6, inliers: 40, runnerUp: 12), SimilarityCalibration.band)
        XCTAssertLessThan(projected.similarity(distance: 0.6, inliers: 80, runnerUp: 50), SimilarityCalibration.band)
        XCTAssertGreaterThanOrEqual(projected.similarity(distance: 0.2, inliers: 30, runnerUp: 10), SimilarityCalibration.band)

        // Unset (the default), the confirm distance holds whatever the count.
        let plain = SimilarityCalibration(d95: 0.16, falloff: 1.15, supportDistance: 0.16, confirmDistance: 0.25)
        XCTAssertLessThan(plain.similarity(distance: 0.6, inliers: 300, runnerUp: 12), SimilarityCalibration.band)
    }
}
