@testable import FacetSearch
import FacetVision
import XCTest

/// The stored upload keeps the buyer's pixels and nothing of their camera.
final class UploadCleaningTests: XCTestCase {
    let image = RGBAImage(width: 8, height: 4, fill: (200, 160, 40, 255))

    /// An APP1 EXIF segment with the orientation tag and a GPS-like text.
    func exif(orientation: UInt8) -> [UInt8] {
        let tiff: [UInt8] = Array("MM".utf8) + [0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0]
        let payload = Array("Exif".utf8) + [0, 0] + tiff + Array("GPS 48.8584N 2.2945E".utf8)
        let length = payload.count + 2
        return [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    func testAJPEGLosesItsMetadataWithoutBeingReEncoded() throws {
        let plain = try ImageEncoder.jpeg(image, quality: 90)
        let tagged = Array(plain[0..<2]) + exif(orientation: 1) + Array(plain[2...])
        let clean = try UploadCleaning.clean(tagged, decoded: image)
        XCTAssertFalse(String(decoding: clean, as: UTF8.self).contains("GPS"))
        XCTAssertEqual(clean, plain, "only the metadata segment went; the compressed data is the same")
    }

    func testARotatedJPEGIsReEncodedWithTheRotationBakedIn() throws {
        let plain = try ImageEncoder.jpeg(image, quality: 90)
        let tagged = Array(plain[0..<2]) + exif(orientation: 6) + Array(plain[2...])
        let decoded = try ImageDecoder.decode(tagged, limits: .init())
        XCTAssertEqual(decoded.width, 4, "the decoder applies the orientation")
        let clean = try UploadCleaning.clean(tagged, decoded: decoded)
        XCTAssertFalse(String(decoding: clean, as: UTF8.self).contains("GPS"))
        XCTAssertEqual(try ImageDecoder.decode(clean, limits: .init()).width, 4)
    }

    func testAPNGLosesItsTextChunks() throws {
        let png = try ImageEncoder.png(image)
        // A tEXt chunk (CRC not checked by the cleaner) before IDAT, i.e. after the 33-byte IHDR.
        let text = Array("Comment\0shot at 48.8584N".utf8)
        let chunk: [UInt8] = [0, 0, 0, UInt8(text.count)] + Array("tEXt".utf8) + text + [0, 0, 0, 0]
        let tagged = Array(png[0..<33]) + chunk + Array(png[33...])
        let clean = try UploadCleaning.clean(tagged, decoded: image)
        XCTAssertEqual(clean, png)
        XCTAssertNil(UploadCleaning.stripPNGText(Array(png.dropLast(6))), "a truncated PNG is not trusted")
    }
}
