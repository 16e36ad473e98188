/// SplitMix64: a small, fast, fully specified PRNG. The demo world depends on this
/// exact sequence (never on the standard library's random APIs) so that a seed always
/// produces the same world on every platform and Swift version.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An independent stream derived from this generator's seed and a label.
    public func fork(_ label: UInt64) -> SplitMix64 {
        var g = SplitMix64(seed: state ^ (label &* 0xD1B5_4A32_D192_ED03))
        _ = g.next()
        return g
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    public mutating func double(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }

    /// Uniform integer in the closed range (modulo bias is negligible for our ranges).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    public mutating func weighted<T>(_ items: [(T, Double)]) -> T {
        let total = items.reduce(0) { $0 + $1.1 }
        var x = unit() * total
        for (item, w) in items {
            if x < w { return item }
            x -= w
        }
        return items[items.count - 1].0
    }

    /// A random subset of `items` of size in `count`, kept in the original order.
    public mutating func subset<T>(_ items: [T], count: ClosedRange<Int>) -> [T] {
        let n = min(items.count, int(count))
        var idx = Array(items.indices)
        var chosen: [Int] = []
        for _ in 0..<n { chosen.append(idx.remove(at: int(0...(idx.count - 1)))) }
        return chosen.sorted().map { items[$0] }
    }
}

/// Round to a fixed number of decimals so that encoded JSON stays short and stable.
@inlinable func rounded(_ x: Double, _ places: Int = 2) -> Double {
    var f = 1.0
    for _ in 0..<places { f *= 10 }
    return (x * f).rounded() / f
}
