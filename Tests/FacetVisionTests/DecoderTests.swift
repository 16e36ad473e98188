import XCTest
@testable import FacetVision

final class DecoderTests: XCTestCase {
    func testSniffRejectsZip() {
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 40)
        XCTAssertThrowsError(try ImageDecoder.decode(zip)) { error in
            guard case VisionError.unsupportedType(let detected) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(detected, "zip archive")
            XCTAssertTrue("\(error)".contains("JPEG, PNG, WebP, HEIC/HEIF or GIF"))
        }
    }
}
