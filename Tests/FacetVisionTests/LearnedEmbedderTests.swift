import FacetVision
import Foundation
import XCTest

/// The converted ImageNet model, run through OpenCV, against the outputs the converter recorded
/// (scripts/model/mobilenet-check.json). `make test` builds the model first and exports its
/// path as FACET_MODEL; without the model these tests fail and say how to get it.
final class LearnedEmbedderTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func model() throws -> ImageModel {
        var path = ImageModel.configuredPath
        if !path.hasPrefix("/") { path = Self.root.appendingPathComponent(path).path }
        do { return try ImageModel(path: path, instances: 2) } catch {
            XCTFail("\(error) — run `make model` (make test does) or set FACET_MODEL")
            throw error
        }
    }

    struct Fixture: Decodable {
        struct Photo: Decodable { let path: String; let top5: [Int]; let featureHead: [Float] }
        let photos: [Photo]
    }

    func testMatchesConverterFixture() throws {
        let model = try model()
        let data = try Data(contentsOf: Self.root.appendingPathComponent("scripts/model/mobilenet-check.json"))
        let fixture = try JSONDecoder().decode(Fixture.self, from: data)
        XCTAssertEqual(fixture.photos.count, 4)
        for photo in fixture.photos {
            let bytes = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent(photo.path)))
            let image = try ImageDecoder.decode(bytes, limits: .standard)
            let out = try XCTUnwrap(model.run(image, logits: true))
            XCTAssertEqual(out.feature.count, 1280)
            let top = out.logits.indices.max { out.logits[$0] < out.logits[$1] }
            XCTAssertEqual(top, photo.top5[0], "\(photo.path): ImageNet top-1")
            for (i, want) in photo.featureHead.enumerated() {
                XCTAssertEqual(out.feature[i], want, accuracy: 0.05 + 0.03 * abs(want), "\(photo.path) feature[\(i)]")
            }
        }
    }

    func testEmbedderGivesUnitVectorsThatSeparateDesigns() throws {
        let embedder = LearnedEmbedder(model: try model())
        let pipeline = VisionPipeline(embedder: embedder)
        func analyse(_ p: String) throws -> ImageAnalysis {
            try pipeline.analyze(bytes: [UInt8](Data(contentsOf: Self.root.appendingPathComponent(p))))
        }
        let a1 = try analyse("seeds/images/aurelia/AUR-R-00013-1.jpg")
        let a2 = try analyse("seeds/images/aurelia/AUR-R-00013-2.jpg")
        let other = try analyse("seeds/images/aurelia/AUR-N-00215-1.jpg")
        XCTAssertEqual(a1.embedding.count, embedder.dimension)
        XCTAssertEqual(a1.embedding.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-3)
        XCTAssertLessThan(Embedding.distance(a1.embedding, a2.embedding), Embedding.distance(a1.embedding, other.embedding))
    }

    /// The projection on the model's real vectors: fitted on a few demo products' views, it gives
    /// unit vectors of its size under its own identifier, and views of one product find each other
    /// at least as often as in the full space.
    func testAProjectionFittedOnDemoViewsRunsOnTheModelsVectors() throws {
        let base = LearnedEmbedder(model: try model())
        let list = try String(contentsOf: Self.root.appendingPathComponent("seeds/catalog/images.jsonl"), encoding: .utf8)
        var photos: [(path: String, product: String)] = []
        for line in list.split(separator: "\n") where line.contains("\"source\":\"aurelia\"") && line.contains("\"category\":\"ring\"") {
            let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            photos.append((try XCTUnwrap(o["path"] as? String), try XCTUnwrap(o["productId"] as? String)))
            if Set(photos.map(\.product)).count > 10 { photos.removeLast(); break }
        }
        let pipeline = VisionPipeline(embedder: base)
        let vectors = try photos.map { p in
            try pipeline.analyze(bytes: [UInt8](Data(contentsOf: Self.root.appendingPathComponent(p.path)))).embedding
        }
        let projection = try Projection.fit(vectors: vectors, groups: photos.map(\.product), principal: 16, output: 8)
        let projected = try ProjectedEmbedder(base: base, projection: projection)
        XCTAssertEqual(projected.dimension, 8)
        XCTAssertTrue(projected.identifier.hasPrefix(base.identifier + "+lw8-"))
        func sameProductFirst(_ vs: [[Float]]) -> Int {
            vs.indices.filter { i in
                let j = vs.indices.filter { $0 != i }.min { Embedding.distance(vs[i], vs[$0]) < Embedding.distance(vs[i], vs[$1]) }!
                return photos[j].product == photos[i].product
            }.count
        }
        let mapped = vectors.map(projection.apply)
        for v in mapped { XCTAssertEqual(v.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-3) }
        XCTAssertGreaterThanOrEqual(sameProductFirst(mapped), sameProductFirst(vectors))
    }

    func testMissingModelNamesTheMakeTarget() {
        XCTAssertThrowsError(try ImageModel(path: "/nonexistent/model.onnx")) { error in
            XCTAssertTrue("\(error)".contains("make model"), "\(error)")
        }
    }
}
