import Foundation

/// Oriented FAST corners with rotated BRIEF descriptors (ORB-like), on the normalised crop.
public struct KeypointSet: Sendable {
    public var x: [Float] = []
    public var y: [Float] = []
    /// 256-bit descriptors, four words per keypoint.
    public var descriptors: [UInt64] = []
    public var count: Int { x.count }
    public init() {}
}

public enum Keypoints {
    /// Side of the square grey crop keypoints are found on.
    public static let side = 192
    static let patchRadius: Float = 11
    static let border = 18

    /// The 256 BRIEF point pairs, fixed by a seed so every image uses the same pattern.
    static let pattern: [(Float, Float, Float, Float)] = {
        var rng = SeededRandom(seed: 0x0b1e_f00d)
        func g() -> Float {
            // Approximately Gaussian (sum of uniforms), σ ≈ radius / 2.5, clamped to the patch.
            let s = (0..<4).map { _ in Float(rng.uniform(-1, 1)) }.reduce(0, +) / 4 * 1.7
            return max(-1, min(1, s)) * patchRadius
        }
        return (0..<256).map { _ in (g(), g(), g(), g()) }
    }()

    static let circle: [(Int, Int)] = [(0, -3), (1, -3), (2, -2), (3, -1), (3, 0), (3, 1), (2, 2), (1, 3),
                                       (0, 3), (-1, 3), (-2, 2), (-3, 1), (-3, 0), (-3, -1), (-2, -2), (-1, -3)]

    /// Keypoints at two scales (the crop and 0.7 of it, mapped back to crop coordinates), the
    /// FAST threshold lowered for flat or small images until enough corners are found.
    public static func detect(grey g: [Float]) -> KeypointSet {
        var set = detect(grey: g, n: side, maxPoints: 260, enough: 120)
        let small = 134
        let gs = Resample.shrink(g, side, side, to: small, small)
        let s2 = detect(grey: gs, n: small, maxPoints: 140, enough: 70)
        let k = Float(side) / Float(small)
        set.x += s2.x.map { ($0 + 0.5) * k - 0.5 }; set.y += s2.y.map { ($0 + 0.5) * k - 0.5 }
        set.descriptors += s2.descriptors
        return set
    }

    /// FAST thresholds, tried from the first until enough corners are found.
    static let thresholds: [Float] = [0.045, 0.03, 0.018]

    /// The corners at the first threshold that finds `enough` of them (else the lowest), described.
    /// The segment test runs once for all thresholds (most photos need a lower one: on demo listing
    /// crops 45 % at full size and 65 % at 0.7), and descriptors only for the threshold kept.
    static func detect(grey g: [Float], n: Int, maxPoints: Int, enough: Int) -> KeypointSet {
        let test = segmentTest(grey: g, n: n)
        var found: [(Float, Int, Int)] = []
        for level in stride(from: thresholds.count, through: 1, by: -1) {
            found = suppressed(test, n: n, level: level)
            if min(found.count, maxPoints) >= enough { break }
        }
        return describe(grey: g, n: n, corners: found.prefix(maxPoints))
    }

    /// Per pixel, the segment test's score (the ring's summed absolute difference, the same at
    /// every threshold) and at how many of `thresholds`, counted from the lowest, it is a corner:
    /// a corner at a threshold is one at every lower threshold, since the ring's brighter and
    /// darker sets only grow as the threshold falls.
    static func segmentTest(grey g: [Float], n: Int) -> (score: [Float], level: [UInt8]) {
        var score = [Float](repeating: 0, count: n * n)
        var level = [UInt8](repeating: 0, count: n * n)
        // The ring as offsets into the row-major image; the segment test on bit masks (a run of
        // 9 of 16 contiguous pixels, circularly) gives the same answer as walking the ring.
        let offsets = circle.map { $0.1 * n + $0.0 }
        let lowest = thresholds[thresholds.count - 1]
        g.withUnsafeBufferPointer { gp in
            offsets.withUnsafeBufferPointer { ring in
                score.withUnsafeMutableBufferPointer { sc in
                    level.withUnsafeMutableBufferPointer { lv in
                        for y in 3..<(n - 3) {
                            for x in 3..<(n - 3) {
                                let i = y * n + x
                                let c = gp[i]
                                // Quick rejection on the four compass points: 9 contiguous ring pixels
                                // always include two of them.
                                var quick = 0
                                for k in stride(from: 0, to: 16, by: 4) {
                                    let v = gp[i + ring[k]]
                                    if v > c + lowest || v < c - lowest { quick += 1 }
                                }
                                if quick < 2 { continue }
                                var s: Float = 0
                                for k in 0..<16 { s += abs(gp[i + ring[k]] - c) }
                                for (rank, t) in thresholds.enumerated().reversed() {
                                    var brighter: UInt32 = 0, darker: UInt32 = 0
                                    for k in 0..<16 {
                                        let v = gp[i + ring[k]]
                                        if v > c + t { brighter |= 1 << UInt32(k) } else if v < c - t { darker |= 1 << UInt32(k) }
                                    }
                                    guard Self.hasRun(brighter) || Self.hasRun(darker) else { break }
                                    lv[i] = UInt8(thresholds.count - rank)
                                    sc[i] = s
                                }
                            }
                        }
                    }
                }
            }
        }
        return (score, level)
    }

    /// Non-maximum suppression of the corners at `level` or above, strongest first: (score, x, y).
    static func suppressed(_ test: (score: [Float], level: [UInt8]), n: Int, level: Int) -> [(Float, Int, Int)] {
        let score = zip(test.score, test.level).map { $1 >= level ? $0 : 0 }
        var cands: [(Float, Int, Int)] = []
        score.withUnsafeBufferPointer { sc in
            for y in border..<(n - border) {
                for x in border..<(n - border) {
                    let s = sc[y * n + x]
                    if s == 0 { continue }
                    var isMax = true
                    for dy in -2...2 { for dx in -2...2 where (dx != 0 || dy != 0) && sc[(y + dy) * n + x + dx] > s { isMax = false } }
                    if isMax { cands.append((s, x, y)) }
                }
            }
        }
        cands.sort { $0.0 > $1.0 }
        return cands
    }

    /// Oriented BRIEF descriptors of `corners` on the 5×5-smoothed crop.
    static func describe(grey g: [Float], n: Int, corners: ArraySlice<(Float, Int, Int)>) -> KeypointSet {
        var set = KeypointSet()
        guard !corners.isEmpty else { return set }
        // 5×5 box, separably: horizontal sums, then vertical sums of those.
        var rows = [Float](repeating: 0, count: n * n)
        var sm = [Float](repeating: 0, count: n * n)
        let r = Int(patchRadius)
        g.withUnsafeBufferPointer { gp in
            rows.withUnsafeMutableBufferPointer { rp in
                for y in 0..<n {
                    for x in 2..<(n - 2) {
                        let o = y * n + x
                        rp[o] = gp[o - 2] + gp[o - 1] + gp[o] + gp[o + 1] + gp[o + 2]
                    }
                }
                sm.withUnsafeMutableBufferPointer { sp in
                    for y in 2..<(n - 2) {
                        for x in 2..<(n - 2) {
                            let o = y * n + x
                            sp[o] = (rp[o - 2 * n] + rp[o - n] + rp[o] + rp[o + n] + rp[o + 2 * n]) / 25
                        }
                    }
                }
            }
            sm.withUnsafeBufferPointer { sp in
                pattern.withUnsafeBufferPointer { pat in
                    for (_, x, y) in corners {
                        // Orientation from the intensity centroid.
                        var m10: Float = 0, m01: Float = 0
                        for dy in -r...r { for dx in -r...r where dx * dx + dy * dy <= r * r {
                            let v = gp[(y + dy) * n + x + dx]; m10 += Float(dx) * v; m01 += Float(dy) * v
                        } }
                        let ang = atan2f(m01, m10), cs = cosf(ang), sn = sinf(ang)
                        var d: [UInt64] = [0, 0, 0, 0]
                        for i in 0..<pat.count {
                            let p = pat[i]
                            let ax = round(cs * p.0 - sn * p.1) + x, ay = round(sn * p.0 + cs * p.1) + y
                            let bx = round(cs * p.2 - sn * p.3) + x, by = round(sn * p.2 + cs * p.3) + y
                            if sp[ay * n + ax] < sp[by * n + bx] { d[i / 64] |= 1 << UInt64(i % 64) }
                        }
                        set.x.append(Float(x)); set.y.append(Float(y)); set.descriptors += d
                    }
                }
            }
        }
        return set
    }

    /// Rounds half away from zero, as roundf does, without the libm call (512 per keypoint).
    @inline(__always)
    static func round(_ v: Float) -> Int { Int(v + (v >= 0 ? 0.5 : -0.5)) }

    /// Whether a 16-bit circular mask has at least 9 consecutive set bits.
    @inline(__always)
    static func hasRun(_ mask: UInt32) -> Bool {
        var m = mask | mask << 16
        for _ in 0..<8 { m &= m >> 1 }
        return m != 0
    }

    /// Inliers of the best similarity transform (rotation, scale, translation) between
    /// ratio-tested descriptor matches, found by RANSAC with a fixed seed.
    public static func inliers(_ a: KeypointSet, _ b: KeypointSet, tolerance: Float = 6) -> Int {
        guard a.count >= 3, b.count >= 3 else { return 0 }
        var matches: [(Int, Int)] = []
        a.descriptors.withUnsafeBufferPointer { da in
            b.descriptors.withUnsafeBufferPointer { db in
                for i in 0..<a.count {
                    var best = 257, second = 257, bj = -1
                    for j in 0..<b.count {
                        let d = (da[i * 4] ^ db[j * 4]).nonzeroBitCount + (da[i * 4 + 1] ^ db[j * 4 + 1]).nonzeroBitCount
                            + (da[i * 4 + 2] ^ db[j * 4 + 2]).nonzeroBitCount + (da[i * 4 + 3] ^ db[j * 4 + 3]).nonzeroBitCount
                        if d < best { second = best; best = d; bj = j } else if d < second { second = d }
                    }
                    if best < 70 && Float(best) < 0.85 * Float(second) { matches.append((i, bj)) }
                }
            }
        }
        guard matches.count >= 3 else { return matches.count >= 2 ? 0 : 0 }
        var rng = SeededRandom(seed: 7)
        var bestCount = 0
        let tol2 = tolerance * tolerance
        for _ in 0..<300 {
            let m1 = matches[Int(rng.next() % UInt64(matches.count))], m2 = matches[Int(rng.next() % UInt64(matches.count))]
            if m1.0 == m2.0 || m1.1 == m2.1 { continue }
            // Similarity from two point pairs: q = s R p + t, using complex arithmetic.
            let p1 = (a.x[m1.0], a.y[m1.0]), p2 = (a.x[m2.0], a.y[m2.0])
            let q1 = (b.x[m1.1], b.y[m1.1]), q2 = (b.x[m2.1], b.y[m2.1])
            let dp = (p2.0 - p1.0, p2.1 - p1.1), dq = (q2.0 - q1.0, q2.1 - q1.1)
            let den = dp.0 * dp.0 + dp.1 * dp.1
            if den < 25 { continue }
            let ca = (dq.0 * dp.0 + dq.1 * dp.1) / den, sa = (dq.1 * dp.0 - dq.0 * dp.1) / den
            let scale = sqrtf(ca * ca + sa * sa)
            if scale < 0.4 || scale > 2.5 { continue }
            let tx = q1.0 - (ca * p1.0 - sa * p1.1), ty = q1.1 - (sa * p1.0 + ca * p1.1)
            var count = 0
            for (i, j) in matches {
                let px = ca * a.x[i] - sa * a.y[i] + tx - b.x[j], py = sa * a.x[i] + ca * a.y[i] + ty - b.y[j]
                if px * px + py * py < tol2 { count += 1 }
            }
            bestCount = max(bestCount, count)
        }
        return bestCount
    }
}
