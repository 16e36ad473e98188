import CImageCodecs

/// Encoders for producing test images and edited evaluation copies (not used on uploads).
public enum ImageEncoder {
    public enum EncodeError: Error { case failed(String) }

    public static func jpeg(_ img: RGBAImage, quality: Int = 90) throws -> [UInt8] {
        guard let handle = tjInitCompress() else { throw EncodeError.failed("init") }
        defer { tjDestroy(handle) }
        let rgb = img.rgb()
        var buf: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let rc = rgb.withUnsafeBufferPointer { p in
            tjCompress2(handle, p.baseAddress, Int32(img.width), 0, Int32(img.height), Int32(TJPF_RGB.rawValue),
                        &buf, &size, Int32(TJSAMP_420.rawValue), Int32(quality), 0)
        }
        guard rc == 0, let buf else { throw EncodeError.failed("jpeg") }
        defer { tjFree(buf) }
        return Array(UnsafeBufferPointer(start: buf, count: Int(size)))
    }

    public static func png(_ img: RGBAImage, interlaced: Bool = false) throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var len = 0
        let rc = img.pixels.withUnsafeBufferPointer {
            facet_png_encode($0.baseAddress, UInt32(img.width), UInt32(img.height), 4, interlaced ? 1 : 0, &out, &len)
        }
        guard rc == 0, let out else { throw EncodeError.failed("png") }
        defer { free(out) }
        return Array(UnsafeBufferPointer(start: out, count: len))
    }

    public static func webp(_ img: RGBAImage, quality: Float = 85) throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        let len = img.pixels.withUnsafeBufferPointer {
            WebPEncodeRGBA($0.baseAddress, Int32(img.width), Int32(img.height), Int32(img.width * 4), quality, &out)
        }
        guard len > 0, let out else { throw EncodeError.failed("webp") }
        defer { WebPFree(out) }
        return Array(UnsafeBufferPointer(start: out, count: len))
    }

    public static func gif(_ img: RGBAImage) throws -> [UInt8] {
        let rgb = img.rgb()
        var out: UnsafeMutablePointer<UInt8>? = nil
        var len = 0
        let rc = rgb.withUnsafeBufferPointer {
            facet_gif_encode_rgb($0.baseAddress, UInt32(img.width), UInt32(img.height), &out, &len)
        }
        guard rc == 0, let out else { throw EncodeError.failed("gif") }
        defer { free(out) }
        return Array(UnsafeBufferPointer(start: out, count: len))
    }
}
