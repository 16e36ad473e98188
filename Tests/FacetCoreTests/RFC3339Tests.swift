import FacetCore
import XCTest

final class RFC3339Tests: XCTestCase {
    func testEveryFormOfTheStandardIsRead() {
        let noon = Date(timeIntervalSince1970: 1_797_076_800) // 2026-12-12T12:00:00Z
        XCTAssertEqual(RFC3339.date("2026-12-12T12:00:00Z"), noon)
        XCTAssertEqual(RFC3339.date("2026-12-12t12:00:00z"), noon)
        XCTAssertEqual(RFC3339.date("2026-12-12T14:30:00+02:30"), noon)
        XCTAssertEqual(RFC3339.date("2026-12-11T13:00:00-23:00"), noon)
        XCTAssertEqual(RFC3339.date("2026-12-12T12:00:00.250Z")!.timeIntervalSince(noon), 0.25, accuracy: 1e-6)
        XCTAssertEqual(RFC3339.date("2026-12-12T12:00:00.123456789Z")!.timeIntervalSince(noon), 0.123456789, accuracy: 1e-6)
        XCTAssertNotNil(RFC3339.date("0097-11-20T10:02:53.993923+23:06"))
    }

    func testAnythingElseIsNot() {
        for text in ["", "2026-12-12", "2026-12-12T12:00:00", "2026-13-01T00:00:00Z", "2026-12-12T24:00:00Z",
                     "2026-12-12T12:00:00.Z", "2026-12-12T12:00:00+2:00", "2026-12-12T12:00:00Z ", "2026-12-12T12:00Z"] {
            XCTAssertNil(RFC3339.date(text), text)
        }
    }
}
