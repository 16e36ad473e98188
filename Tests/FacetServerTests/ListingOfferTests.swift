import FacetCore
@testable import FacetSearch
import FacetVision
import Foundation
import XCTest

/// What a buyer reads about a sourced design: its title built from the listing's title and photo.
final class ListingOfferTests: XCTestCase {
    func reading(_ metal: String, _ confidence: Double, stones: String = "unknown", _ stoneConfidence: Double = 0, colours: [String] = []) -> PhotoReading? {
        let a = ExtractedAttributes(metal: AttributeGuess(value: metal, confidence: confidence),
                                    stones: AttributeGuess(value: stones, confidence: stoneConfidence), stoneColours: colours)
        return PhotoReadings.decode(String(decoding: (try? JSONEncoder().encode(a)) ?? Data(), as: UTF8.self))
    }

    func testATitleSaysWhatThePhotoShows() {
        let silver = ["metal": "silver", "purity": "925", "style": "vintage"]
        XCTAssertEqual(OfferBuilder.title(category: .ring, attributes: ListingDescription.describe(silver, photo: reading("yellow", 0.95))),
                       "Ring, 925 silver, gold plated, vintage")
        XCTAssertEqual(OfferBuilder.title(category: .ring, attributes: ListingDescription.describe(silver, photo: reading("yellow", 0.5))),
                       "Ring, 925 silver, vintage")
        // A title that names neither metal nor stones, a photo fairly sure of both.
        XCTAssertEqual(OfferBuilder.title(category: .earring, attributes: ListingDescription.describe([:],
                                          photo: reading("two-tone", 0.7, stones: "coloured", 0.7, colours: ["blue"]))),
                       "Earring, two-tone metal, blue stones")
    }

    func testAnUnknownReadingSaysNothing() {
        let r = reading("unknown", 0.3, stones: "unknown", 0.2)
        XCTAssertNotNil(r)
        XCTAssertNil(r?.metal); XCTAssertNil(r?.stones)
        XCTAssertNil(PhotoReadings.decode("not json"))
    }
}
