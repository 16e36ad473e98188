import XCTest
@testable import FacetVision

final class MatchingTests: XCTestCase {
    let pipeline = VisionPipeline()

    func testHashStableUnderReencoding() throws {
        // An asymmetric design: a symmetric one leaves half the DCT signs to noise.
        let img = Synthetic.ring(width: 360, height: 260, metal: Synthetic.yellowGold, stones: (200, 30, 40), stoneCount: 3, phase: 0.7)
        let a = try pipeline.analyze(bytes: try ImageEncoder.png(img))
        let b = try pipeline.analyze(bytes: try ImageEncoder.jpeg(img, quality: 40))
        let c = try pipeline.analyze(bytes: try ImageEncoder.webp(img, quality: 60))
        XCTAssertLessThanOrEqual((a.perceptualHash ^ b.perceptualHash).nonzeroBitCount, 6)
        XCTAssertLessThanOrEqual((a.perceptualHash ^ c.perceptualHash).nonzeroBitCount, 6)
    }

    func testEmbeddingFitsOneKilobyte() {
        let a = pipeline.analyze(Synthetic.ring(metal: Synthetic.whiteMetal))
        XCTAssertEqual(a.embedding.count, HandcraftedEmbedder().dimension)
        XCTAssertLessThanOrEqual(Embedding.pack(a.embedding).count * 2, 1024)
        let n = a.embedding.reduce(0) { $0 + $1 * $1 }
        XCTAssertEqual(n, 1, accuracy: 1e-3)
    }

    func testEditedCopyScoresAtLeast95AndDifferentDesignBelow() throws {
        let original = Synthetic.ring(width: 400, height: 300, metal: Synthetic.yellowGold, stones: (30, 60, 200))
        let a = try pipeline.analyze(bytes: try ImageEncoder.png(original))
        let edited = ImageEdit.apply([.resize(scale: 0.6), .light(brightness: 0.1, contrast: -0.1)], to: original)
        let b = try pipeline.analyze(bytes: try ImageEncoder.jpeg(edited, quality: 60))
        let other = try pipeline.analyze(bytes: try ImageEncoder.png(Synthetic.pendant(metal: Synthetic.yellowGold)))
        let cal = SimilarityCalibration.standard
        XCTAssertGreaterThanOrEqual(cal.similarity(a.embedding, b.embedding), 95)
        XCTAssertLessThan(cal.similarity(a.embedding, other.embedding), 95)
    }

    func testMetalColourOnSyntheticPieces() {
        for (metal, expected) in [(Synthetic.yellowGold, "yellow"), (Synthetic.roseGold, "rose"), (Synthetic.whiteMetal, "white")] {
            let a = pipeline.analyze(Synthetic.ring(metal: metal))
            XCTAssertEqual(a.attributes.metal.value, expected, "\(metal)")
            XCTAssertGreaterThan(a.attributes.metal.confidence, 0.45)
            XCTAssertEqual(a.attributes.stones.value, "none", "\(metal)")
        }
    }

    func testColouredStonesAreNamed() {
        let a = pipeline.analyze(Synthetic.ring(metal: Synthetic.yellowGold, stones: (30, 60, 200), stoneCount: 8))
        XCTAssertEqual(a.attributes.stones.value, "coloured")
        XCTAssertEqual(a.attributes.stoneColours.first, "blue")
    }

    func testNeighbourVoting() {
        let v = AttributeExtractor.vote("setting", neighbours: [
            LabelledNeighbour(distance: 0.1, labels: ["setting": "prong"]),
            LabelledNeighbour(distance: 0.2, labels: ["setting": "prong"]),
            LabelledNeighbour(distance: 0.9, labels: ["setting": "bezel"]),
        ])
        XCTAssertEqual(v.value, "prong")
        XCTAssertEqual(AttributeExtractor.vote("setting", neighbours: []).value, "unknown")
    }
}
