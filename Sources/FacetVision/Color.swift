import Foundation

/// sRGB ↔ CIE Lab (D65), with a table for the sRGB transfer curve.
enum ColorSpace {
    static let linear: [Float] = (0..<256).map { i in
        let c = Float(i) / 255
        return c <= 0.04045 ? c / 12.92 : powf((c + 0.055) / 1.055, 2.4)
    }

    @inline(__always) static func f(_ t: Float) -> Float {
        t > 0.008856 ? cubeRoot(t) : 7.787 * t + 16.0 / 116.0
    }

    /// Cube root of a positive float: a bit-level first guess refined by three Newton steps
    /// (within an ulp or two of cbrtf). glibc's cbrtf, with its frexp/scalbn calls, was 15 % of
    /// the time to index a photo.
    @inline(__always) static func cubeRoot(_ t: Float) -> Float {
        var y = Float(bitPattern: t.bitPattern / 3 &+ 709_921_077)
        y = (2 * y + t / (y * y)) / 3
        y = (2 * y + t / (y * y)) / 3
        y = (2 * y + t / (y * y)) / 3
        return y
    }

    /// Lab from linear RGB (0…1).
    @inline(__always) static func lab(linearR r: Float, g: Float, b: Float) -> (Float, Float, Float) {
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
        let fx = f(x), fy = f(y), fz = f(z)
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    }

    @inline(__always) static func lab(r: UInt8, g: UInt8, b: UInt8) -> (Float, Float, Float) {
        lab(linearR: linear[Int(r)], g: linear[Int(g)], b: linear[Int(b)])
    }
}
