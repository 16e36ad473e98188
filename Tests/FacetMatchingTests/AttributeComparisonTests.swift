import FacetCore
@testable import FacetMatching
import FacetVision
import XCTest

final class AttributeComparisonTests: XCTestCase {
    func neighbour(_ i: Int, setting: String, stones: String, style: String = "classic") -> Neighbour {
        Neighbour(item: IndexedItem(ref: "inv:P\(i)", source: .inventory,
                                    labels: ["setting": setting, "stones": stones, "style": style, "metal": "yellow"]),
                  fileName: "p\(i).jpg", distance: 0.3 + Float(i) * 0.01, vector: [])
    }

    func read(stones: String, confidence: Double = 0.9) -> ExtractedAttributes {
        ExtractedAttributes(metal: .init(value: "yellow", confidence: 0.9), stones: .init(value: stones, confidence: confidence),
                            stoneColours: [])
    }

    /// Most look-alikes of a plain band are set with stones: their vote said "prong" for a photo
    /// that shows no stones at all.
    func testASettingFollowsTheStonesRead() {
        let near = (0..<10).map { neighbour($0, setting: $0 < 7 ? "prong" : "none", stones: $0 < 7 ? "clear" : "none") }

        let plain = AttributeComparison.resolve(read(stones: "none", confidence: 0.93), neighbours: near)
        XCTAssertEqual(plain.values["setting"]?.value, "none")
        XCTAssertEqual(plain.values["setting"]?.confidence ?? 0, 0.93, accuracy: 1e-9)
        XCTAssertEqual(plain.values["style"]?.value, "classic", "the other voted attributes are unchanged")

        // Stones in the photo or unsure: the look-alikes' vote stands (7 of 10 prong here).
        for stones in ["clear", AttributeGuess.unknownValue] {
            let other = AttributeComparison.resolve(read(stones: stones, confidence: stones == "clear" ? 0.99 : 0.3), neighbours: near)
            XCTAssertEqual(other.values["setting"]?.value, "prong", stones)
            XCTAssertEqual(other.values["setting"]?.method, "neighbours")
        }
    }
}
