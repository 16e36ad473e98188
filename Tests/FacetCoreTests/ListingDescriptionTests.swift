import XCTest
@testable import FacetCore

final class ListingDescriptionTests: XCTestCase {
    let silverRing = ["metal": "silver", "purity": "925", "gemstone": "cubic_zirconia", "stoneColor": "colorless"]

    func testAYellow925SilverPieceIsGoldPlated() {
        let d = ListingDescription.describe(silverRing, photo: PhotoReading(metal: "yellow", metalConfidence: 0.9, stones: "clear", stonesConfidence: 0.7))
        XCTAssertEqual(d["metalColor"], "yellow")
        XCTAssertEqual(d["plating"], "gold_vermeil")
        XCTAssertEqual(d["metal"], "silver")
        XCTAssertEqual(ProductLabels.labels(guessed: d)["metal"], "yellow")
        XCTAssertEqual(ProductLabels.labels(guessed: d)["stones"], "clear")
    }

    func testAnUnsureReadingChangesNothing() {
        let d = ListingDescription.describe(silverRing, photo: PhotoReading(metal: "yellow", metalConfidence: 0.7, stones: "coloured", stonesConfidence: 0.7, stoneColours: ["red"]))
        XCTAssertEqual(d, silverRing)
        XCTAssertEqual(ListingDescription.describe(silverRing, photo: nil), silverRing)
    }

    func testAFairlySureReadingFillsWhatTheTitleLeavesOut() {
        let vague = ["style": "vintage"]
        let d = ListingDescription.describe(vague, photo: PhotoReading(metal: "rose", metalConfidence: 0.65, stones: "coloured", stonesConfidence: 0.62, stoneColours: ["blue", "green"]))
        XCTAssertEqual(d["metalColor"], "rose")
        XCTAssertEqual(d["stones"], "coloured")
        XCTAssertEqual(d["stoneColor"], "blue")
        XCTAssertEqual(ProductLabels.labels(guessed: d), ["metal": "rose", "stones": "coloured", "stoneColour": "blue", "style": "vintage"])
        // Below the bar, the gap stays a gap.
        let unsure = ListingDescription.describe(vague, photo: PhotoReading(metal: "rose", metalConfidence: 0.5, stones: "pearl", stonesConfidence: 0.5))
        XCTAssertEqual(unsure, vague)
    }

    func testATitleThatNamesAnotherMetalOrAGemStands() {
        let gold = ["metal": "yellow_gold", "purity": "14k", "gemstone": "pearl", "stoneColor": "white"]
        let d = ListingDescription.describe(gold, photo: PhotoReading(metal: "white", metalConfidence: 0.95, stones: "coloured", stonesConfidence: 0.95, stoneColours: ["red"]))
        XCTAssertEqual(d, gold)
        // A silver piece that looks white is just silver; one that looks two-tone is not explained by plating.
        XCTAssertEqual(ListingDescription.describe(["metal": "silver"], photo: PhotoReading(metal: "two-tone", metalConfidence: 0.95, stones: nil, stonesConfidence: 0)),
                       ["metal": "silver"])
    }

    func testTwoToneIsSpelledAsTheVocabularyDoes() {
        let d = ListingDescription.describe([:], photo: PhotoReading(metal: "two-tone", metalConfidence: 0.9, stones: nil, stonesConfidence: 0))
        XCTAssertEqual(d["metalColor"], "two_tone")
        XCTAssertEqual(ProductLabels.labels(guessed: d)["metal"], "two-tone")
    }
}

final class ListingPurityTests: XCTestCase {
    func testA925PieceOfAnotherColourIsPlatedSilver() {
        // What the title reader keeps of "Rose Gold Plated 925 Silver CZ Ring": two metals named, so only the purity.
        let title = ["purity": "925", "gemstone": "cubic_zirconia", "stoneColor": "colorless"]
        let d = ListingDescription.describe(title, photo: PhotoReading(metal: "rose", metalConfidence: 0.9, stones: "clear", stonesConfidence: 0.9))
        XCTAssertEqual(d["metal"], "silver")
        XCTAssertEqual(d["plating"], "rose_gold_plated")
        XCTAssertEqual(ProductLabels.labels(guessed: d)["metal"], "rose")
    }
}
