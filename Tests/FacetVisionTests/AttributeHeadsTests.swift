import XCTest
@testable import FacetVision

final class AttributeHeadsTests: XCTestCase {
    /// Two overlapping clouds per class along different axes, with noise dimensions.
    func clouds(_ n: Int, seed: UInt64) -> (x: [[Float]], y: [Int]) {
        var state = seed
        func uniform() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        var x: [[Float]] = [], y: [Int] = []
        for i in 0..<n {
            let c = i % 3
            var v = (0..<6).map { _ in uniform() - 0.5 }
            v[c] += 1.2
            x.append(v); y.append(c)
        }
        return (x, y)
    }

    func testLearnsHeldOutClassesAndIsDeterministic() {
        let train = clouds(300, seed: 1), test = clouds(150, seed: 2)
        let head = SoftmaxHead.train(inputs: train.x, labels: train.y, classes: ["a", "b", "c"])
        let again = SoftmaxHead.train(inputs: train.x, labels: train.y, classes: ["a", "b", "c"])
        XCTAssertEqual(head, again)
        var right = 0
        for (x, y) in zip(test.x, test.y) {
            let p = head.probabilities(x)
            XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-4)
            if p.indices.max(by: { p[$0] < p[$1] }) == y { right += 1 }
        }
        XCTAssertGreaterThan(Double(right) / Double(test.x.count), 0.9)
    }

    func testClassBalancingKeepsARareClass() {
        // 20 to 1: unbalanced, a plain fit would say "a" everywhere near the boundary.
        var x: [[Float]] = [], y: [Int] = []
        for i in 0..<420 {
            let rare = i % 21 == 0
            x.append([rare ? 1 + Float(i % 7) * 0.05 : -0.2 + Float(i % 11) * 0.05]); y.append(rare ? 1 : 0)
        }
        let head = SoftmaxHead.train(inputs: x, labels: y, classes: ["a", "b"])
        XCTAssertGreaterThan(head.probabilities([1.1])[1], 0.5)
        XCTAssertGreaterThan(head.probabilities([-0.1])[0], 0.5)
    }

    /// Held-out logits of a head that is right 70 % of the time but scores as if always sure: the
    /// fitted temperature softens them, and leaves alone logits whose probabilities already hold.
    func testTemperatureSoftensAnOverconfidentHeadOnly() {
        var logits: [[Float]] = [], labels: [Int] = []
        for i in 0..<200 {
            let said = i % 3, right = i % 10 < 7
            var l: [Float] = [0, 0, 0]; l[said] = 8
            logits.append(l); labels.append(right ? said : (said + 1) % 3)
        }
        let t = SoftmaxHead.fitTemperature(logits: logits, labels: labels)
        XCTAssertGreaterThan(t, 4)
        let p = SoftmaxHead.softmax(logits[0].map { $0 / t })
        XCTAssertEqual(Double(p[0]), 0.7, accuracy: 0.03, "the top class's probability is how often it is right")

        // Logits whose softmax is already right (0.7 / 0.15 / 0.15, right 70 % of the time): about 1.
        let honest: [Float] = [logf(0.7 / 0.15), 0, 0]
        let h = SoftmaxHead.fitTemperature(logits: Array(repeating: honest, count: 200), labels: labels.indices.map { i in i % 10 < 7 ? 0 : 1 + i % 2 })
        XCTAssertEqual(h, 1, accuracy: 0.05)

        // A temperature never changes which class is picked, and survives the file format.
        let train = clouds(300, seed: 1)
        var head = SoftmaxHead.train(inputs: train.x, labels: train.y, classes: ["a", "b", "c"])
        let before = train.x.map { x in head.probabilities(x) }
        head.temperature = 3
        for (x, b) in zip(train.x, before) {
            let a = head.probabilities(x)
            XCTAssertEqual(a.indices.max { a[$0] < a[$1] }, b.indices.max { b[$0] < b[$1] })
            XCTAssertLessThanOrEqual(a.max()!, b.max()! + 1e-6)
        }
    }

    func uniformHead(_ classes: [String], favour: Int, inputs: Int) -> SoftmaxHead {
        let weights = classes.indices.map { c in [Float](repeating: 0, count: inputs) + [c == favour ? 4 : 0] }
        return SoftmaxHead(classes: classes, mean: .init(repeating: 0, count: inputs),
                           inverseDeviation: .init(repeating: 1, count: inputs), weights: weights)
    }

    func heads(for embedder: any Embedder, metal: Int, stones: Int) -> AttributeHeads {
        let piece = Normaliser.normalise(Synthetic.ring(metal: Synthetic.whiteMetal))
        let rules = AttributeExtractor.extract(piece)
        let n = AttributeHeads.inputs(piece: piece, rules: rules, embedding: embedder.embed(piece)).count
        return AttributeHeads(embedder: embedder.identifier, fittedOn: "test",
                              metal: uniformHead(AttributeExtractor.metalValues, favour: metal, inputs: n),
                              stones: uniformHead(AttributeExtractor.stoneValues, favour: stones, inputs: n))
    }

    /// A projection is fitted to tell products apart; the heads read the vector before it, so heads
    /// fitted in the base space serve the projected embedder and the projected space's own are refused.
    func testAProjectedEmbeddersHeadsReadItsVectorBeforeTheProjection() throws {
        let base = HandcraftedEmbedder()
        let n = base.dimension, d = 4
        let projection = Projection(mean: [Float](repeating: 0, count: n), matrix: (0..<(n * d)).map { Float($0 % 7) / 7 - 0.4 },
                                    outputDimension: d)
        let projected = try ProjectedEmbedder(base: base, projection: projection)
        let image = Synthetic.ring(metal: Synthetic.whiteMetal)
        let pipeline = VisionPipeline(embedder: projected, heads: heads(for: base, metal: 1, stones: 3))
        XCTAssertEqual(pipeline.headsSpace, base.identifier)
        let a = pipeline.analyze(image)
        XCTAssertEqual(a.embedding.count, d)
        XCTAssertEqual(a.headsEmbedding, base.embed(image: image, piece: a.piece))
        XCTAssertEqual(a.embedding, projection.apply(a.headsEmbedding))
        XCTAssertEqual(a.attributes.metal.value, "rose")
        XCTAssertEqual(a.with(embedding: [1, 2, 3, 4]).headsEmbedding, a.headsEmbedding)
        let inProjectedSpace = AttributeHeads(embedder: projected.identifier, fittedOn: "test", metal: pipeline.heads!.metal, stones: pipeline.heads!.stones)
        XCTAssertNil(VisionPipeline(embedder: projected, heads: inProjectedSpace).heads)
    }

    func testPipelineReadsMetalAndStonesWithItsHeads() throws {
        let embedder = HandcraftedEmbedder()
        let image = Synthetic.ring(metal: Synthetic.whiteMetal)
        let rules = VisionPipeline(embedder: embedder).analyze(image).attributes
        XCTAssertEqual(rules.metal.value, "white")
        // Heads that always say rose with pearls (index 1 and 3): the pipeline reports what they say.
        let heads = heads(for: embedder, metal: 1, stones: 3)
        let read = VisionPipeline(embedder: embedder, heads: heads).analyze(image).attributes
        XCTAssertEqual(read.metal.value, "rose")
        XCTAssertEqual(read.stones.value, "pearl")
        XCTAssertGreaterThan(read.metal.confidence, 0.9)
        XCTAssertEqual(read.stoneColours, [])
        XCTAssertEqual(read.evidence, rules.evidence)
        // Round trip through the file format, temperature included.
        let calibrated = AttributeHeads(embedder: heads.embedder, fittedOn: heads.fittedOn, metal: { var m = heads.metal; m.temperature = 2.5; return m }(),
                                    stones: heads.stones)
        let back = try AttributeHeads(serialised: try calibrated.serialised())
        XCTAssertEqual(back, calibrated)
        XCTAssertEqual(back.metal.temperature, 2.5)
    }

    func testHeadsOfAnotherVectorSpaceAreNotUsed() {
        struct Other: Embedder {
            var identifier: String { "another-space" }
            var dimension: Int { HandcraftedEmbedder().dimension }
            func embed(_ piece: NormalizedPiece) -> [Float] { HandcraftedEmbedder().embed(piece) }
        }
        let fitted = heads(for: Other(), metal: 1, stones: 3)
        let pipeline = VisionPipeline(embedder: HandcraftedEmbedder(), heads: fitted)
        XCTAssertNil(pipeline.heads)
        XCTAssertEqual(pipeline.analyze(Synthetic.ring(metal: Synthetic.whiteMetal)).attributes.metal.value, "white")
    }

    func testUnsureHeadSaysUnknown() {
        let embedder = HandcraftedEmbedder()
        var h = heads(for: embedder, metal: 0, stones: 0)
        // Flat weights: a quarter each, below the confidence floor.
        h = AttributeHeads(embedder: h.embedder, fittedOn: "test", metal: uniformHead(AttributeExtractor.metalValues, favour: -1, inputs: h.metal.inputDimension),
                           stones: h.stones)
        let a = VisionPipeline(embedder: embedder, heads: h).analyze(Synthetic.ring(metal: Synthetic.whiteMetal)).attributes
        XCTAssertTrue(a.metal.isUnknown)
        XCTAssertEqual(a.metal.confidence, 0.25, accuracy: 1e-3)
    }

    func testAFileOfAnotherFormatIsRefused() throws {
        let h = heads(for: HandcraftedEmbedder(), metal: 0, stones: 0)
        var object = try JSONSerialization.jsonObject(with: try h.serialised()) as! [String: Any]
        object["version"] = 99
        XCTAssertThrowsError(try AttributeHeads(serialised: try JSONSerialization.data(withJSONObject: object)))
        // A file written before the temperature existed reads as uncalibrated; a nonsense one is refused.
        object["version"] = AttributeHeads.formatVersion
        var metal = object["metal"] as! [String: Any]
        metal.removeValue(forKey: "temperature")
        object["metal"] = metal
        XCTAssertEqual(try AttributeHeads(serialised: try JSONSerialization.data(withJSONObject: object)).metal.temperature, 1)
        metal["temperature"] = -2
        object["metal"] = metal
        XCTAssertThrowsError(try AttributeHeads(serialised: try JSONSerialization.data(withJSONObject: object)))
    }
}
