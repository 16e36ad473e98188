import CImageCodecs
import FacetVision
import Foundation

/// Image files in the variants real uploads arrive in (palette PNG, 16-bit PNG, CMYK JPEG),
/// made with the codecs Facet links and a small PNG writer, so the tests need no tool
/// that a machine may lack.
enum FixtureCodecs {
    /// An 8-bit palette PNG: the image's colours quantised to at most 256 entries.
    static func palettePNG(_ image: RGBAImage) -> [UInt8] {
        var palette: [[UInt8]] = []
        var index: [UInt32: UInt8] = [:]
        var rows: [UInt8] = []
        for y in 0..<image.height {
            rows.append(0)
            for x in 0..<image.width {
                let o = (y * image.width + x) * 4
                // 3-3-2 bits per channel keeps at most 256 colours.
                let rgb = [image.pixels[o] & 0xE0, image.pixels[o + 1] & 0xE0, image.pixels[o + 2] & 0xC0]
                let key = UInt32(rgb[0]) << 16 | UInt32(rgb[1]) << 8 | UInt32(rgb[2])
                if index[key] == nil { index[key] = UInt8(palette.count); palette.append(rgb) }
                rows.append(index[key]!)
            }
        }
        return png(width: image.width, height: image.height, bitDepth: 8, colourType: 3,
                   extra: [chunk("PLTE", palette.flatMap { $0 })], rows: rows)
    }

    /// A 16-bit-per-channel RGB PNG.
    static func deepPNG(_ image: RGBAImage) -> [UInt8] {
        var rows: [UInt8] = []
        for y in 0..<image.height {
            rows.append(0)
            for x in 0..<image.width {
                let o = (y * image.width + x) * 4
                for c in 0..<3 { rows += [image.pixels[o + c], image.pixels[o + c]] }
            }
        }
        return png(width: image.width, height: image.height, bitDepth: 16, colourType: 2, extra: [], rows: rows)
    }

    /// A four-channel CMYK JPEG (as print workflows export), through TurboJPEG.
    static func cmykJPEG(_ image: RGBAImage) throws -> [UInt8] {
        var cmyk = [UInt8](repeating: 0, count: image.width * image.height * 4)
        for i in 0..<(image.width * image.height) {
            let r = Double(image.pixels[i * 4]) / 255, g = Double(image.pixels[i * 4 + 1]) / 255, b = Double(image.pixels[i * 4 + 2]) / 255
            let k = 1 - max(r, g, b)
            let scale = k < 1 ? 1 / (1 - k) : 0
            // Adobe's convention, which libjpeg-turbo follows: CMYK stored inverted.
            cmyk[i * 4] = UInt8(((1 - ((1 - r - k) * scale)) * 255).rounded())
            cmyk[i * 4 + 1] = UInt8(((1 - ((1 - g - k) * scale)) * 255).rounded())
            cmyk[i * 4 + 2] = UInt8(((1 - ((1 - b - k) * scale)) * 255).rounded())
            cmyk[i * 4 + 3] = UInt8(((1 - k) * 255).rounded())
        }
        guard let handle = tjInitCompress() else { throw CocoaError(.featureUnsupported) }
        defer { tjDestroy(handle) }
        var buffer: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let rc = cmyk.withUnsafeBufferPointer {
            tjCompress2(handle, $0.baseAddress, Int32(image.width), 0, Int32(image.height), Int32(TJPF_CMYK.rawValue),
                        &buffer, &size, Int32(TJSAMP_444.rawValue), 92, 0)
        }
        guard rc == 0, let buffer else { throw CocoaError(.featureUnsupported) }
        defer { tjFree(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }

    // MARK: PNG container

    static func png(width: Int, height: Int, bitDepth: UInt8, colourType: UInt8, extra: [[UInt8]], rows: [UInt8]) -> [UInt8] {
        var header = be32(UInt32(width)) + be32(UInt32(height))
        header += [bitDepth, colourType, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + extra.joined()
            + chunk("IDAT", zlibStored(rows)) + chunk("IEND", [])
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(UInt32(data.count)) + body + be32(crc32(body))
    }

    /// zlib with stored (uncompressed) deflate blocks: valid, and simple enough to write here.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65_535, data.count - offset)
            let last: UInt8 = offset + n == data.count ? 1 : 0
            out += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[offset..<offset + n]
            offset += n
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
        return out + be32(b << 16 | a)
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
}
