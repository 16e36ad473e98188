import FacetMatching
import FacetVision
import XCTest

final class ExactVetoTests: XCTestCase {
    func photo(metal: String, _ mc: Double, stones: String = "none", _ sc: Double = 0.5, colours: [String] = []) -> ExtractedAttributes {
        ExtractedAttributes(metal: AttributeGuess(value: metal, confidence: mc), stones: AttributeGuess(value: stones, confidence: sc),
                            stoneColours: colours)
    }

    func testConfidentOtherMetalVetoes() {
        XCTAssertNotNil(ExactVeto.contradiction(photo(metal: "white", 0.9), labels: ["metal": "yellow"]))
        // Unsure readings, two-tone pieces and agreeing ones never veto.
        XCTAssertNil(ExactVeto.contradiction(photo(metal: "white", 0.6), labels: ["metal": "yellow"]))
        XCTAssertNil(ExactVeto.contradiction(photo(metal: "two-tone", 0.95), labels: ["metal": "yellow"]))
        XCTAssertNil(ExactVeto.contradiction(photo(metal: "yellow", 0.95), labels: ["metal": "two-tone"]))
        XCTAssertNil(ExactVeto.contradiction(photo(metal: "yellow", 0.95), labels: ["metal": "yellow"]))
        XCTAssertNil(ExactVeto.contradiction(photo(metal: "unknown", 0.95), labels: ["metal": "yellow"]))
    }

    func testConfidentOtherStoneColourVetoes() {
        let red = photo(metal: "yellow", 0.5, stones: "coloured", 0.9, colours: ["red"])
        XCTAssertNotNil(ExactVeto.contradiction(red, labels: ["stones": "coloured", "stoneColour": "blue"]))
        XCTAssertNil(ExactVeto.contradiction(red, labels: ["stones": "coloured", "stoneColour": "red"]))
        XCTAssertNil(ExactVeto.contradiction(red, labels: ["stones": "coloured", "stoneColour": "pink"]))
        XCTAssertNotNil(ExactVeto.contradiction(red, labels: ["stones": "clear"]))
        let unsure = photo(metal: "yellow", 0.5, stones: "coloured", 0.6, colours: ["red"])
        XCTAssertNil(ExactVeto.contradiction(unsure, labels: ["stones": "coloured", "stoneColour": "blue"]))
    }

    func testMatcherSkipsAVetoedExactCandidate() {
        let index = CatalogIndex(dimension: 4)
        let v: [Float] = [1, 0, 0, 0]
        index.upsert(IndexedItem(ref: "inv:variant", source: .inventory, labels: ["metal": "white"]), category: .ring,
                     images: [(fileName: "a", embedding: v)])
        let matcher = Matcher(index: index) { _ in [:] }
        let neighbours = matcher.neighbours(v, category: .ring)
        let candidates = matcher.candidates(neighbours, queryKeypoints: KeypointSet())
        var options = MatcherOptions(); options.exactThreshold = 90
        let lenient = Matcher(index: index, options: options) { _ in [:] }
        // Unverified candidates stay below 95 %; 90 lets the embedding alone through.
        XCTAssertNotNil(lenient.exactMatch(candidates) { _ in true })
        XCTAssertNil(lenient.exactMatch(candidates, photo: photo(metal: "yellow", 0.95)) { _ in true })
        XCTAssertNotNil(lenient.exactMatch(candidates, photo: photo(metal: "white", 0.95)) { _ in true })
    }
}
