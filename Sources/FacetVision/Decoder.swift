import CImageCodecs

/// The container formats Facet accepts, recognised by their magic bytes only.
public enum ImageFormat: String, Sendable, CaseIterable, Codable {
    case jpeg, png, webp, heif, gif

    public var displayName: String {
        switch self {
        case .jpeg: return "JPEG"
        case .png: return "PNG"
        case .webp: return "WebP"
        case .heif: return "HEIC/HEIF"
        case .gif: return "GIF"
        }
    }

    public var mimeType: String {
        switch self {
        case .jpeg: return "image/jpeg"
        case .png: return "image/png"
        case .webp: return "image/webp"
        case .heif: return "image/heic"
        case .gif: return "image/gif"
        }
    }

    /// Identifies the format from the first bytes; never from a file name.
    public static func sniff(_ bytes: [UInt8]) -> ImageFormat? {
        if bytes.count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF { return .jpeg }
        if bytes.count >= 8 && bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.count >= 6, case let s = String(decoding: bytes[0..<6], as: UTF8.self), s == "GIF87a" || s == "GIF89a" { return .gif }
        if bytes.count >= 12 && bytes[0..<4].elementsEqual(Array("RIFF".utf8)) && bytes[8..<12].elementsEqual(Array("WEBP".utf8)) { return .webp }
        if bytes.count >= 12 && bytes[4..<8].elementsEqual(Array("ftyp".utf8)) {
            let brand = String(decoding: bytes[8..<12], as: UTF8.self)
            if ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"].contains(brand) { return .heif }
        }
        return nil
    }

    /// A short name for what an unaccepted file appears to be, for the error message.
    static func describeUnknown(_ bytes: [UInt8]) -> String {
        func starts(_ s: [UInt8]) -> Bool { bytes.count >= s.count && bytes[0..<s.count].elementsEqual(s) }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) { return "zip archive" }
        if starts(Array("%PDF".utf8)) { return "PDF document" }
        if starts([0x42, 0x4D]) { return "BMP image" }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "TIFF image" }
        if bytes.count >= 12 && bytes[4..<8].elementsEqual(Array("ftyp".utf8)) {
            return "ISO media '\(String(decoding: bytes[8..<12], as: UTF8.self))'"
        }
        if starts(Array("<svg".utf8)) || starts(Array("<?xml".utf8)) { return "XML/SVG document" }
        return "unrecognised content"
    }
}

/// Bounds on what an upload may cost to decode.
public struct DecodeLimits: Sendable {
    /// Largest accepted file, in bytes.
    public var maxBytes: Int
    /// Largest accepted image, in pixels as declared by its header (checked before allocating).
    public var maxPixels: Int
    /// JPEGs are decoded at the smallest DCT scale whose longest side is still at least this.
    public var targetLongSide: Int

    public init(maxBytes: Int = 20_000_000, maxPixels: Int = 50_000_000, targetLongSide: Int = 1024) {
        self.maxBytes = maxBytes; self.maxPixels = maxPixels; self.targetLongSide = targetLongSide
    }
    public static let standard = DecodeLimits()
}

/// The header facts of an image, read without decoding pixels.
public struct ImageHeader: Sendable, Equatable {
    public let format: ImageFormat
    public let width: Int
    public let height: Int
}

public enum ImageDecoder {
    /// Reads the format and declared dimensions, enforcing the byte and pixel limits.
    public static func header(_ bytes: [UInt8], limits: DecodeLimits = .standard) throws -> ImageHeader {
        if bytes.isEmpty { throw VisionError.empty }
        if bytes.count > limits.maxBytes { throw VisionError.tooLarge(bytes: bytes.count, limit: limits.maxBytes) }
        guard let format = ImageFormat.sniff(bytes) else {
            throw VisionError.unsupportedType(detected: ImageFormat.describeUnknown(bytes))
        }
        let (w, h): (Int, Int)
        switch format {
        case .png: (w, h) = try pngSize(bytes)
        case .gif: (w, h) = try gifSize(bytes)
        case .jpeg: (w, h) = try jpegInfo(bytes).size
        case .webp: (w, h) = try webpSize(bytes)
        case .heif: (w, h) = try heifSize(bytes)
        }
        guard w > 0, h > 0 else { throw VisionError.corrupt(format: format, reason: "zero dimension") }
        if w.multipliedReportingOverflow(by: h).overflow || w * h > limits.maxPixels {
            throw VisionError.tooManyPixels(width: w, height: h, limit: limits.maxPixels)
        }
        return ImageHeader(format: format, width: w, height: h)
    }

    /// Decodes to RGBA8 (JPEG possibly downscaled by its DCT scaling, EXIF orientation applied).
    public static func decode(_ bytes: [UInt8], limits: DecodeLimits = .standard) throws -> RGBAImage {
        let header = try header(bytes, limits: limits)
        return try DecodeBudget.shared.withPixels(bufferPixels(header, bytes, limits: limits)) {
            switch header.format {
            case .png: return try decodePNG(bytes, header, limits: limits)
            case .gif: return try decodeGIF(bytes, header)
            case .jpeg: return try decodeJPEG(bytes, limits: limits)
            case .webp: return try decodeWebP(bytes, header)
            case .heif: return try decodeHEIF(bytes, limits: limits)
            }
        }
    }

    /// The pixels a decode holds at once, for the budget: reduced sizes for what is decoded
    /// reduced (JPEG's DCT scale is at most 1/8, so its reduced size is bounded below by that).
    static func bufferPixels(_ h: ImageHeader, _ bytes: [UInt8], limits: DecodeLimits) -> Int {
        switch h.format {
        case .png:
            // IHDR's interlace byte: Adam7 images are decoded whole.
            if bytes.count > 28, bytes[28] != 0 { return h.width * h.height }
            let factor = pngReduction(h, limits: limits)
            return (h.width / factor) * (h.height / factor) + h.width
        case .jpeg:
            let factor = max(1, min(8, max(h.width, h.height) / max(1, limits.targetLongSide)))
            return (h.width / factor + 1) * (h.height / factor + 1)
        default:
            return h.width * h.height
        }
    }

    /// PNGs are averaged down by a whole factor while their rows stream in, to a long side of at
    /// least `targetLongSide` (as JPEG's DCT scaling does), so memory follows the width, not the area.
    static func pngReduction(_ h: ImageHeader, limits: DecodeLimits) -> Int {
        let factor = max(1, max(h.width, h.height) / max(1, limits.targetLongSide))
        return min(factor, max(1, min(h.width, h.height)))
    }

    // MARK: PNG

    static func pngSize(_ b: [UInt8]) throws -> (Int, Int) {
        guard b.count >= 24, b[12..<16].elementsEqual(Array("IHDR".utf8)) else {
            throw VisionError.corrupt(format: .png, reason: "missing IHDR")
        }
        func be32(_ o: Int) -> Int { Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3]) }
        return (be32(16), be32(20))
    }

    static func decodePNG(_ b: [UInt8], _ h: ImageHeader, limits: DecodeLimits) throws -> RGBAImage {
        let factor = pngReduction(h, limits: limits)
        if factor > 1 {
            let (width, height) = (h.width / factor, h.height / factor)
            var out = [UInt8](repeating: 0, count: width * height * 4)
            let rc = b.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    facet_png_decode_rgba_reduced(src.baseAddress, src.count, dst.baseAddress,
                                                  UInt32(h.width), UInt32(h.height), UInt32(factor))
                }
            }
            if rc == 0 { return RGBAImage(width: width, height: height, pixels: out) }
            // Interlaced (Adam7) rows arrive in passes: only a whole decode can assemble them.
            guard rc == -3 else { throw VisionError.corrupt(format: .png, reason: rc == -2 ? "size mismatch" : "bad data") }
        }
        return try decodeWholePNG(b, h)
    }

    static func decodeWholePNG(_ b: [UInt8], _ h: ImageHeader) throws -> RGBAImage {
        var out = [UInt8](repeating: 0, count: h.width * h.height * 4)
        let rc = b.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                facet_png_decode_rgba(src.baseAddress, src.count, dst.baseAddress, UInt32(h.width), UInt32(h.height))
            }
        }
        guard rc == 0 else { throw VisionError.corrupt(format: .png, reason: rc == -2 ? "size mismatch" : "bad data") }
        return RGBAImage(width: h.width, height: h.height, pixels: out)
    }

    // MARK: GIF

    static func gifSize(_ b: [UInt8]) throws -> (Int, Int) {
        guard b.count >= 13 else { throw VisionError.corrupt(format: .gif, reason: "short header") }
        return (Int(b[6]) | Int(b[7]) << 8, Int(b[8]) | Int(b[9]) << 8)
    }

    static func decodeGIF(_ b: [UInt8], _ h: ImageHeader) throws -> RGBAImage {
        var out = [UInt8](repeating: 0, count: h.width * h.height * 4)
        let rc = b.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                facet_gif_decode_first_rgba(src.baseAddress, src.count, dst.baseAddress, UInt32(h.width), UInt32(h.height))
            }
        }
        guard rc == 0 else { throw VisionError.corrupt(format: .gif, reason: rc == -3 ? "no frame" : "bad data") }
        return RGBAImage(width: h.width, height: h.height, pixels: out)
    }

    // MARK: JPEG

    struct JPEGInfo { var size: (Int, Int); var colorspace: Int32 }

    static func jpegInfo(_ b: [UInt8]) throws -> JPEGInfo {
        guard let handle = tjInitDecompress() else { throw VisionError.corrupt(format: .jpeg, reason: "decoder init") }
        defer { tjDestroy(handle) }
        var w: Int32 = 0, h: Int32 = 0, sub: Int32 = 0, cs: Int32 = 0
        let rc = b.withUnsafeBufferPointer { p in
            tjDecompressHeader3(handle, p.baseAddress, UInt(p.count), &w, &h, &sub, &cs)
        }
        guard rc == 0 else { throw VisionError.corrupt(format: .jpeg, reason: "bad header") }
        return JPEGInfo(size: (Int(w), Int(h)), colorspace: cs)
    }

    static func decodeJPEG(_ b: [UInt8], limits: DecodeLimits) throws -> RGBAImage {
        let info = try jpegInfo(b)
        let (w, h) = info.size
        // Smallest DCT scale whose longest side still reaches the target.
        var count: Int32 = 0
        var sw = w, sh = h
        if let factors = tjGetScalingFactors(&count) {
            var best = (num: Int32(1), denom: Int32(1))
            var bestLong = max(w, h)
            for i in 0..<Int(count) {
                let f = factors[i]
                guard f.num <= f.denom else { continue }
                let l = (max(w, h) * Int(f.num) + Int(f.denom) - 1) / Int(f.denom)
                if l >= limits.targetLongSide && l < bestLong { best = (f.num, f.denom); bestLong = l }
            }
            sw = (w * Int(best.num) + Int(best.denom) - 1) / Int(best.denom)
            sh = (h * Int(best.num) + Int(best.denom) - 1) / Int(best.denom)
        }
        guard let handle = tjInitDecompress() else { throw VisionError.corrupt(format: .jpeg, reason: "decoder init") }
        defer { tjDestroy(handle) }
        let cmyk = info.colorspace == Int32(TJCS_CMYK.rawValue) || info.colorspace == Int32(TJCS_YCCK.rawValue)
        let format = cmyk ? TJPF_CMYK : TJPF_RGBA
        var out = [UInt8](repeating: 0, count: sw * sh * 4)
        let rc = b.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                tjDecompress2(handle, src.baseAddress, UInt(src.count), dst.baseAddress,
                              Int32(sw), 0, Int32(sh), Int32(format.rawValue), 0)
            }
        }
        if rc != 0 {
            // A truncated file still yields a warning-level result; only hard errors fail.
            if tjGetErrorCode(handle) == Int32(TJERR_FATAL.rawValue) {
                throw VisionError.corrupt(format: .jpeg, reason: String(cString: tjGetErrorStr2(handle)))
            }
            if isTruncatedJPEG(b) { throw VisionError.corrupt(format: .jpeg, reason: "truncated") }
        }
        if cmyk {
            let inverted = hasAdobeMarker(b)
            for i in 0..<(sw * sh) {
                var c = Int(out[i * 4]), m = Int(out[i * 4 + 1]), y = Int(out[i * 4 + 2]), k = Int(out[i * 4 + 3])
                if !inverted { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k }
                out[i * 4] = UInt8(c * k / 255); out[i * 4 + 1] = UInt8(m * k / 255)
                out[i * 4 + 2] = UInt8(y * k / 255); out[i * 4 + 3] = 255
            }
        }
        let image = RGBAImage(width: sw, height: sh, pixels: out)
        return Orientation.apply(Orientation.exifOrientation(b), to: image)
    }

    /// A JPEG whose last two bytes are not an EOI marker was cut short.
    static func isTruncatedJPEG(_ b: [UInt8]) -> Bool {
        var end = b.count
        while end > 2 && b[end - 1] == 0 { end -= 1 }
        return !(end >= 2 && b[end - 2] == 0xFF && b[end - 1] == 0xD9)
    }

    static func hasAdobeMarker(_ b: [UInt8]) -> Bool {
        var i = 2
        while i + 4 < b.count && b[i] == 0xFF {
            let marker = b[i + 1]
            if marker == 0xDA { break }
            let len = Int(b[i + 2]) << 8 | Int(b[i + 3])
            if marker == 0xEE && i + 9 < b.count && b[(i + 4)..<(i + 9)].elementsEqual(Array("Adobe".utf8)) { return true }
            i += 2 + len
        }
        return false
    }

    // MARK: WebP

    static func webpSize(_ b: [UInt8]) throws -> (Int, Int) {
        var w: Int32 = 0, h: Int32 = 0
        let ok = b.withUnsafeBufferPointer { WebPGetInfo($0.baseAddress, $0.count, &w, &h) }
        guard ok != 0 else { throw VisionError.corrupt(format: .webp, reason: "bad header") }
        return (Int(w), Int(h))
    }

    static func decodeWebP(_ b: [UInt8], _ h: ImageHeader) throws -> RGBAImage {
        var out = [UInt8](repeating: 0, count: h.width * h.height * 4)
        let r = b.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                WebPDecodeRGBAInto(src.baseAddress, src.count, dst.baseAddress, dst.count, Int32(h.width * 4))
            }
        }
        guard r != nil else { throw VisionError.corrupt(format: .webp, reason: "bad data") }
        return RGBAImage(width: h.width, height: h.height, pixels: out)
    }

    // MARK: HEIF

    static func withHEIFHandle<T>(_ b: [UInt8], _ body: (OpaquePointer) throws -> T) throws -> T {
        guard let ctx = heif_context_alloc() else { throw VisionError.corrupt(format: .heif, reason: "decoder init") }
        defer { heif_context_free(ctx) }
        let err = b.withUnsafeBufferPointer { heif_context_read_from_memory(ctx, $0.baseAddress, $0.count, nil) }
        guard err.code == heif_error_Ok else { throw VisionError.corrupt(format: .heif, reason: String(cString: err.message)) }
        var handle: OpaquePointer?
        let e2 = heif_context_get_primary_image_handle(ctx, &handle)
        guard e2.code == heif_error_Ok, let handle else { throw VisionError.corrupt(format: .heif, reason: "no primary image") }
        defer { heif_image_handle_release(handle) }
        return try body(handle)
    }

    static func heifSize(_ b: [UInt8]) throws -> (Int, Int) {
        try withHEIFHandle(b) { (Int(heif_image_handle_get_width($0)), Int(heif_image_handle_get_height($0))) }
    }

    static func decodeHEIF(_ b: [UInt8], limits: DecodeLimits) throws -> RGBAImage {
        try withHEIFHandle(b) { handle in
            var img: OpaquePointer?
            let err = heif_decode_image(handle, &img, heif_colorspace_RGB, heif_chroma_interleaved_RGBA, nil)
            guard err.code == heif_error_Ok, let img else { throw VisionError.corrupt(format: .heif, reason: String(cString: err.message)) }
            defer { heif_image_release(img) }
            let w = Int(heif_image_get_width(img, heif_channel_interleaved))
            let h = Int(heif_image_get_height(img, heif_channel_interleaved))
            guard w > 0, h > 0, w * h <= limits.maxPixels else { throw VisionError.tooManyPixels(width: w, height: h, limit: limits.maxPixels) }
            var stride: Int32 = 0
            guard let plane = heif_image_get_plane_readonly(img, heif_channel_interleaved, &stride) else {
                throw VisionError.corrupt(format: .heif, reason: "no pixels")
            }
            var out = [UInt8](repeating: 0, count: w * h * 4)
            for y in 0..<h {
                for x in 0..<(w * 4) { out[y * w * 4 + x] = plane[y * Int(stride) + x] }
            }
            return RGBAImage(width: w, height: h, pixels: out)
        }
    }
}
