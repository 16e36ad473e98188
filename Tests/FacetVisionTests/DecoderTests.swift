import XCTest
@testable import FacetVision

final class DecoderTests: XCTestCase {
    let piece = Synthetic.ring(metal: Synthetic.yellowGold, stones: (30, 60, 200))

    func testSniffRejectsZipRenamedJpg() throws {
        // A real zip header, whatever the file is called.
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00] + [UInt8](repeating: 0, count: 40)
        let url = Synthetic.tempDir().appendingPathComponent("photo.jpg")
        try Data(zip).write(to: url)
        let bytes = [UInt8](try Data(contentsOf: url))
        XCTAssertThrowsError(try ImageDecoder.decode(bytes)) { error in
            guard case VisionError.unsupportedType(let detected) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(detected, "zip archive")
            XCTAssertTrue("\(error)".contains("JPEG, PNG, WebP, HEIC/HEIF or GIF"))
        }
    }

    func testEmptyAndText() {
        XCTAssertThrowsError(try ImageDecoder.decode([])) { XCTAssertEqual($0 as? VisionError, .empty) }
        XCTAssertThrowsError(try ImageDecoder.decode(Array("hello, not an image".utf8))) {
            guard case VisionError.unsupportedType = $0 else { return XCTFail("\($0)") }
        }
    }

    func testRoundTripsEveryEncodedFormat() throws {
        for (format, bytes) in [(ImageFormat.png, try ImageEncoder.png(piece)),
                                (.png, try ImageEncoder.png(piece, interlaced: true)),
                                (.jpeg, try ImageEncoder.jpeg(piece, quality: 90)),
                                (.webp, try ImageEncoder.webp(piece)),
                                (.gif, try ImageEncoder.gif(piece))] {
            XCTAssertEqual(ImageFormat.sniff(bytes), format)
            let img = try ImageDecoder.decode(bytes)
            XCTAssertEqual(img.width, piece.width, "\(format)")
            XCTAssertEqual(img.height, piece.height, "\(format)")
            // Mean absolute error small (GIF is quantised to a 6×6×6 cube).
            var err = 0
            for i in 0..<img.pixels.count where i % 4 != 3 { err += abs(Int(img.pixels[i]) - Int(piece.pixels[i])) }
            let mae = Double(err) / Double(img.width * img.height * 3)
            XCTAssertLessThan(mae, format == .gif ? 20 : 4, "\(format)")
        }
    }

    func testPixelCapRefusesHugePNGFromHeader() {
        // Signature + an IHDR declaring 30,000 × 30,000 RGBA and nothing else: must be refused
        // from the header alone (decoding it would need 3.6 GB).
        var b: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        for v in [30_000, 30_000] { b += [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        b += [8, 6, 0, 0, 0, 0, 0, 0, 0]
        XCTAssertThrowsError(try ImageDecoder.decode(b)) { error in
            XCTAssertEqual(error as? VisionError, .tooManyPixels(width: 30_000, height: 30_000, limit: 50_000_000))
        }
    }

    func testByteLimit() throws {
        let bytes = try ImageEncoder.png(piece)
        XCTAssertThrowsError(try ImageDecoder.decode(bytes, limits: DecodeLimits(maxBytes: 100))) {
            guard case VisionError.tooLarge = $0 else { return XCTFail("\($0)") }
        }
    }

    func testTruncatedFilesAreCorrupt() throws {
        for bytes in [try ImageEncoder.png(piece), try ImageEncoder.jpeg(piece), try ImageEncoder.webp(piece), try ImageEncoder.gif(piece)] {
            let cut = Array(bytes.prefix(bytes.count / 2))
            XCTAssertThrowsError(try ImageDecoder.decode(cut)) { error in
                guard case VisionError.corrupt = error else { return XCTFail("\(error)") }
            }
        }
    }

    func testMislabelledFileIsDecodedByContent() throws {
        let url = Synthetic.tempDir().appendingPathComponent("really-a-png.jpg")
        try Data(try ImageEncoder.png(piece)).write(to: url)
        let bytes = [UInt8](try Data(contentsOf: url))
        XCTAssertEqual(try ImageDecoder.header(bytes).format, .png)
        XCTAssertEqual(try ImageDecoder.decode(bytes).width, piece.width)
    }

    func testScaledJPEGDecode() throws {
        let big = Synthetic.ring(width: 1600, height: 1200, metal: Synthetic.yellowGold)
        let bytes = try ImageEncoder.jpeg(big)
        let img = try ImageDecoder.decode(bytes, limits: DecodeLimits(targetLongSide: 400))
        XCTAssertEqual(img.width, 400)   // 1/4 scale is the smallest reaching 400
        XCTAssertEqual(img.height, 300)
    }

    func testEXIFOrientationIsHonoured() throws {
        let bytes = try ImageEncoder.jpeg(piece)
        // APP1 "Exif\0\0" + little-endian TIFF with one IFD entry: Orientation = 6 (rotate 90° CW).
        var tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00]
        tiff += [0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00]
        tiff += [0x00, 0x00, 0x00, 0x00]
        let payload: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff
        let len = payload.count + 2
        let app1: [UInt8] = [0xFF, 0xE1, UInt8(len >> 8), UInt8(len & 0xFF)] + payload
        let withExif = Array(bytes.prefix(2)) + app1 + Array(bytes.dropFirst(2))
        XCTAssertEqual(Orientation.exifOrientation(withExif), 6)
        let img = try ImageDecoder.decode(withExif)
        XCTAssertEqual(img.width, piece.height)
        XCTAssertEqual(img.height, piece.width)
    }

    func testPaletteSixteenBitAndCMYK() throws {
        let piece = Synthetic.ring(metal: Synthetic.yellowGold)
        let cases: [(String, [UInt8], ImageFormat)] = [("palette PNG", FixtureCodecs.palettePNG(piece), .png),
                                                        ("16-bit PNG", FixtureCodecs.deepPNG(piece), .png),
                                                        ("CMYK JPEG", try FixtureCodecs.cmykJPEG(piece), .jpeg)]
        for (name, bytes, format) in cases {
            let img = try ImageDecoder.decode(bytes)
            XCTAssertEqual(ImageFormat.sniff(bytes), format, name)
            XCTAssertEqual(img.width, piece.width, name)
            // The centre of the ring's band should still be gold-ish: red > blue clearly.
            let y = piece.height / 2, x = piece.width / 2 + Int(Double(min(piece.width, piece.height)) * 0.305)
            let o = (y * img.width + x) * 4
            XCTAssertGreaterThan(Int(img.pixels[o]), Int(img.pixels[o + 2]) + 40, name)
        }
    }
}
