import Foundation

/// Hand-built descriptors of a normalised piece.
public enum Features {
    // MARK: DCT perceptual hash

    static let dct32: [Float] = {
        var m = [Float](repeating: 0, count: 32 * 32)
        for k in 0..<32 {
            for n in 0..<32 {
                m[k * 32 + n] = cosf(Float.pi / 32 * (Float(n) + 0.5) * Float(k)) * (k == 0 ? sqrtf(1 / 32) : sqrtf(2 / 32))
            }
        }
        return m
    }()

    /// 64-bit pHash: 32×32 grey → 2-D DCT → the 8×8 lowest frequencies (DC excluded from the
    /// median) thresholded at their median.
    public static func perceptualHash(grey: [Float], width: Int, height: Int) -> UInt64 {
        let g = Resample.shrink(grey, width, height, to: 32, 32)
        var tmp = [Float](repeating: 0, count: 8 * 32)
        for k in 0..<8 { for x in 0..<32 { var s: Float = 0; for y in 0..<32 { s += dct32[k * 32 + y] * g[y * 32 + x] }; tmp[k * 32 + x] = s } }
        var coeffs = [Float](repeating: 0, count: 64)
        for k in 0..<8 { for l in 0..<8 { var s: Float = 0; for x in 0..<32 { s += dct32[l * 32 + x] * tmp[k * 32 + x] }; coeffs[k * 8 + l] = s } }
        let med = Array(coeffs[1...]).sorted()[31]
        var h: UInt64 = 0
        for i in 0..<64 where coeffs[i] > med { h |= 1 << UInt64(i) }
        return h
    }

    // MARK: Blocks of the embedding

    /// Grey thumbnail of the piece, normalised for brightness and contrast on the mask, with the
    /// background held at zero.
    static func thumbnail(_ p: NormalizedPiece, side t: Int) -> [Float] {
        let n = NormalizedPiece.side
        let grey = Resample.grey(p.crop)
        var sum: Float = 0, sq: Float = 0, wsum: Float = 0
        for i in 0..<(n * n) { let m = p.mask[i]; sum += m * grey[i]; sq += m * grey[i] * grey[i]; wsum += m }
        let mean = wsum > 0 ? sum / wsum : 0.5
        let sd = max(0.02, sqrtf(max(0, sq / max(wsum, 1) - mean * mean)))
        var v = [Float](repeating: 0, count: n * n)
        for i in 0..<(n * n) { v[i] = p.mask[i] * (grey[i] - mean) / sd + 0.6 * p.mask[i] }
        return Resample.shrink(v, n, n, to: t, t)
    }

    /// Gradient-orientation histograms (unsigned, 8 bins) over a 4×4 grid, each cell normalised.
    static func edgeOrientation(_ p: NormalizedPiece, grid: Int = 4, bins: Int = 8) -> [Float] {
        let n = NormalizedPiece.side
        let grey = Resample.grey(p.crop)
        var h = [Float](repeating: 0, count: grid * grid * bins)
        let cell = Float(n) / Float(grid)
        for y in 1..<(n - 1) {
            for x in 1..<(n - 1) {
                let gx = grey[y * n + x + 1] - grey[y * n + x - 1]
                let gy = grey[(y + 1) * n + x] - grey[(y - 1) * n + x]
                let mag = sqrtf(gx * gx + gy * gy)
                if mag < 0.01 { continue }
                var ang = atan2f(gy, gx); if ang < 0 { ang += .pi }
                let fb = ang / .pi * Float(bins) - 0.5
                let b0 = Int(floorf(fb)), frac = fb - floorf(fb)
                // Soft spatial binning.
                let fx = Float(x) / cell - 0.5, fy = Float(y) / cell - 0.5
                let cx0 = Int(floorf(fx)), cy0 = Int(floorf(fy)), ax = fx - floorf(fx), ay = fy - floorf(fy)
                for (cxx, wx) in [(cx0, 1 - ax), (cx0 + 1, ax)] where cxx >= 0 && cxx < grid {
                    for (cyy, wy) in [(cy0, 1 - ay), (cy0 + 1, ay)] where cyy >= 0 && cyy < grid {
                        let base = (cyy * grid + cxx) * bins
                        h[base + (b0 + bins) % bins] += mag * wx * wy * (1 - frac)
                        h[base + (b0 + 1 + bins) % bins] += mag * wx * wy * frac
                    }
                }
            }
        }
        for c in 0..<(grid * grid) {
            var s: Float = 0
            for b in 0..<bins { s += h[c * bins + b] * h[c * bins + b] }
            let norm = sqrtf(s) + 0.05
            for b in 0..<bins { h[c * bins + b] = sqrtf(h[c * bins + b] / norm) }
        }
        return h
    }

    /// Soft 2-D histogram of a*/b* over the masked, non-specular piece (6 × 6 bins).
    static func chromaHistogram(_ p: NormalizedPiece) -> [Float] {
        let bins = 6
        var h = [Float](repeating: 0, count: bins * bins)
        for i in 0..<p.lab.count where p.mask[i] > 0.3 && !p.specular[i] {
            let (_, a, b) = p.lab[i]
            let fa = (max(-30, min(49.9, a)) + 30) / 80 * Float(bins) - 0.5
            let fb = (max(-30, min(69.9, b)) + 30) / 100 * Float(bins) - 0.5
            let a0 = Int(floorf(fa)), b0 = Int(floorf(fb)), ra = fa - floorf(fa), rb = fb - floorf(fb)
            for (ai, wa) in [(a0, 1 - ra), (a0 + 1, ra)] where ai >= 0 && ai < bins {
                for (bi, wb) in [(b0, 1 - rb), (b0 + 1, rb)] where bi >= 0 && bi < bins {
                    h[ai * bins + bi] += wa * wb * p.mask[i]
                }
            }
        }
        return h.map { sqrtf($0) }
    }

    /// Rotation-invariant uniform LBP (P = 8) histograms at radii 1 and 2 on the masked piece.
    static func texture(_ p: NormalizedPiece) -> [Float] {
        let n = NormalizedPiece.side
        let grey = Resample.grey(p.crop)
        var out: [Float] = []
        for r in [1, 2] {
            var h = [Float](repeating: 0, count: 10)
            let offs = [(r, 0), (r, r), (0, r), (-r, r), (-r, 0), (-r, -r), (0, -r), (r, -r)]
            for y in r..<(n - r) {
                for x in r..<(n - r) where p.mask[y * n + x] > 0.5 {
                    let c = grey[y * n + x] + 0.01
                    var bits = [Bool](repeating: false, count: 8)
                    for (k, (dx, dy)) in offs.enumerated() { bits[k] = grey[(y + dy) * n + x + dx] >= c }
                    var transitions = 0, ones = 0
                    for k in 0..<8 { if bits[k] != bits[(k + 1) % 8] { transitions += 1 }; if bits[k] { ones += 1 } }
                    h[transitions <= 2 ? ones : 9] += 1
                }
            }
            let s = h.reduce(0, +)
            out += h.map { s > 0 ? sqrtf($0 / s) : 0 }
        }
        return out
    }

    /// Shape: log Hu moments of the mask, its fill ratio and elongation.
    static func shape(_ p: NormalizedPiece) -> [Float] {
        let n = NormalizedPiece.side
        var m00: Double = 0, m10: Double = 0, m01: Double = 0
        for y in 0..<n { for x in 0..<n { let m = Double(p.mask[y * n + x]); m00 += m; m10 += m * Double(x); m01 += m * Double(y) } }
        guard m00 > 1 else { return [Float](repeating: 0, count: 9) }
        let xc = m10 / m00, yc = m01 / m00
        var mu = [[Double]](repeating: [Double](repeating: 0, count: 4), count: 4)
        for y in 0..<n {
            for x in 0..<n {
                let m = Double(p.mask[y * n + x]); if m == 0 { continue }
                let dx = Double(x) - xc, dy = Double(y) - yc
                for i in 0..<4 { for j in 0..<(4 - i) { mu[i][j] += m * pow(dx, Double(i)) * pow(dy, Double(j)) } }
            }
        }
        func eta(_ i: Int, _ j: Int) -> Double { mu[i][j] / pow(m00, 1 + Double(i + j) / 2) }
        let n20 = eta(2, 0), n02 = eta(0, 2), n11 = eta(1, 1), n30 = eta(3, 0), n03 = eta(0, 3), n21 = eta(2, 1), n12 = eta(1, 2)
        let hu: [Double] = [
            n20 + n02,
            (n20 - n02) * (n20 - n02) + 4 * n11 * n11,
            (n30 - 3 * n12) * (n30 - 3 * n12) + (3 * n21 - n03) * (3 * n21 - n03),
            (n30 + n12) * (n30 + n12) + (n21 + n03) * (n21 + n03),
        ]
        var out = hu.map { Float(-copysign(1, $0) * log10(abs($0) + 1e-12)) / 10 }
        let fill = Float(m00) / Float(n * n)
        let disc = sqrt(max(0, (n20 - n02) * (n20 - n02) + 4 * n11 * n11))
        let elong = Float((n20 + n02 - disc) / max(1e-9, n20 + n02 + disc))
        out += [fill, elong, Float(n20 / max(1e-9, n20 + n02)), Float(abs(n30) * 100), Float(abs(n03) * 100)]
        return out
    }
}
