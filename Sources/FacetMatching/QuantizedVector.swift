import Foundation

/// An embedding stored as signed bytes with one scale: a 337-float vector takes 352 bytes
/// (padded for the dot-product loop) instead of 1,348, and the scan over a category is an
/// integer dot product the compiler vectorises.
public enum QuantizedVector {
    /// Codes per vector: the dimension rounded up to a multiple of 32.
    public static func stride(for dimension: Int) -> Int { (dimension + 31) / 32 * 32 }

    /// Appends the codes of `v` (unit length expected) to `codes` and returns its scale.
    public static func append(_ v: [Float], stride: Int, to codes: inout [Int8]) -> Float {
        let peak = v.reduce(Float(0)) { max($0, abs($1)) }
        let scale = peak > 0 ? peak / 127 : 1
        for i in 0..<stride {
            let x = i < v.count ? (v[i] / scale).rounded() : 0
            codes.append(Int8(max(-127, min(127, x))))
        }
        return scale
    }

    /// Integer dot product of two code runs of `count` bytes.
    @inline(__always)
    public static func dot(_ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>, count: Int) -> Int32 {
        var sum: Int32 = 0
        for i in 0..<count { sum &+= Int32(truncatingIfNeeded: Int16(a[i]) &* Int16(b[i])) }
        return sum
    }

    /// Euclidean distance between unit vectors from their cosine.
    @inline(__always)
    public static func distance(cosine: Float) -> Float { sqrtf(max(0, 2 - 2 * min(1, cosine))) }
}
