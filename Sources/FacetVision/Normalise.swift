import Foundation

/// An upload reduced to the piece of jewelry: a square crop around the foreground, its mask,
/// the specular highlights to leave out of colour statistics, and the background it stood on.
public struct NormalizedPiece: Sendable {
    /// Side of the square crop the features are computed on.
    public static let side = 96

    /// The crop (float RGB 0…1, white-balanced), `side` × `side`.
    public let crop: FloatImage
    /// Foreground membership per crop pixel (0…1).
    public let mask: [Float]
    /// Specular highlights on the piece (excluded from colour statistics).
    public let specular: [Bool]
    /// Lab per crop pixel.
    public let lab: [(Float, Float, Float)]
    /// The background colour estimated from the border (Lab).
    public let backgroundLab: (Float, Float, Float)
    /// Whether a distinct foreground was found (false: the whole frame is used).
    public let foregroundFound: Bool
    /// Fraction of the working image covered by the foreground.
    public let coverage: Float
    /// The white-balance gains that were applied (R, G, B).
    public let gains: (Float, Float, Float)
    /// The square crop in the source image, as fractions of its width and height (x, y, side × width).
    public let cropInSource: (x: Float, y: Float, side: Float)
}

public enum Normaliser {
    /// Longest side of the working image the background and mask are estimated on.
    public static let workingSide = 256

    public static func normalise(_ image: RGBAImage) -> NormalizedPiece {
        let scale = Float(workingSide) / Float(max(image.width, image.height))
        let ww = max(8, Int((Float(image.width) * scale).rounded())), wh = max(8, Int((Float(image.height) * scale).rounded()))
        var work = Resample.toFloat(image, width: ww, height: wh)

        // Background: median of a border ring.
        let ring = max(2, min(ww, wh) / 32)
        var rs: [Float] = [], gs: [Float] = [], bs: [Float] = []
        for y in 0..<wh {
            for x in 0..<ww where x < ring || y < ring || x >= ww - ring || y >= wh - ring {
                let o = (y * ww + x) * 3
                rs.append(work.data[o]); gs.append(work.data[o + 1]); bs.append(work.data[o + 2])
            }
        }
        func median(_ v: [Float]) -> Float { let s = v.sorted(); return s[s.count / 2] }
        var bg = (median(rs), median(gs), median(bs))

        // White balance from a near-neutral, reasonably bright background.
        var gains: (Float, Float, Float) = (1, 1, 1)
        let bgLab0 = labOf(bg)
        let bgChroma = hypotf(bgLab0.1, bgLab0.2)
        if bgChroma < 12 && bgLab0.0 > 45 {
            let lr = ColorSpace.linear[Int(min(255, bg.0 * 255))], lg = ColorSpace.linear[Int(min(255, bg.1 * 255))], lb = ColorSpace.linear[Int(min(255, bg.2 * 255))]
            let m = (lr + lg + lb) / 3
            func clampGain(_ v: Float) -> Float { max(0.85, min(1.18, v)) }
            gains = (clampGain(m / max(lr, 1e-4)), clampGain(m / max(lg, 1e-4)), clampGain(m / max(lb, 1e-4)))
            // Gains act in linear light; apply through a gamma approximation.
            let g0 = powf(gains.0, 1 / 2.2), g1 = powf(gains.1, 1 / 2.2), g2 = powf(gains.2, 1 / 2.2)
            for i in 0..<(ww * wh) {
                work.data[i * 3] = min(1, work.data[i * 3] * g0)
                work.data[i * 3 + 1] = min(1, work.data[i * 3 + 1] * g1)
                work.data[i * 3 + 2] = min(1, work.data[i * 3 + 2] * g2)
            }
            bg = (min(1, bg.0 * g0), min(1, bg.1 * g1), min(1, bg.2 * g2))
        }
        let bgLab = labOf(bg)

        // Distance of every pixel from the background, and the border's own spread.
        var dist = [Float](repeating: 0, count: ww * wh)
        var borderD: [Float] = []
        for y in 0..<wh {
            for x in 0..<ww {
                let o = (y * ww + x) * 3
                let l = labOf((work.data[o], work.data[o + 1], work.data[o + 2]))
                let d = sqrtf((l.0 - bgLab.0) * (l.0 - bgLab.0) + (l.1 - bgLab.1) * (l.1 - bgLab.1) + (l.2 - bgLab.2) * (l.2 - bgLab.2))
                dist[y * ww + x] = d
                if x < ring || y < ring || x >= ww - ring || y >= wh - ring { borderD.append(d) }
            }
        }
        let spread = borderD.sorted()[borderD.count * 9 / 10]
        let threshold = max(9, min(40, spread * 1.6 + 5))
        var mask = [Bool](repeating: false, count: ww * wh)
        for i in 0..<mask.count { mask[i] = dist[i] > threshold }
        mask = majority(mask, ww, wh)
        let count = mask.reduce(0) { $0 + ($1 ? 1 : 0) }
        let coverage = Float(count) / Float(ww * wh)

        // Bounding box with 0.5 % of the mass trimmed on each side.
        var x0 = 0, x1 = ww, y0 = 0, y1 = wh
        let found = coverage > 0.004 && coverage < 0.92
        if found {
            var cols = [Int](repeating: 0, count: ww), rows = [Int](repeating: 0, count: wh)
            for y in 0..<wh { for x in 0..<ww where mask[y * ww + x] { cols[x] += 1; rows[y] += 1 } }
            func trimmed(_ v: [Int]) -> (Int, Int) {
                let cut = max(1, count / 200)
                var acc = 0, lo = 0, hi = v.count
                for (i, c) in v.enumerated() { acc += c; if acc >= cut { lo = i; break } }
                acc = 0
                for i in stride(from: v.count - 1, through: 0, by: -1) { acc += v[i]; if acc >= cut { hi = i + 1; break } }
                return (lo, max(hi, lo + 1))
            }
            (x0, x1) = trimmed(cols); (y0, y1) = trimmed(rows)
        }
        let bw = Float(x1 - x0), bh = Float(y1 - y0)
        let sideLen = max(bw, bh) * (found ? 1.10 : 1.0)
        let cx = Float(x0 + x1) / 2, cy = Float(y0 + y1) / 2
        let n = NormalizedPiece.side
        let crop = Resample.crop(work, x: cx - sideLen / 2, y: cy - sideLen / 2, width: sideLen, height: sideLen,
                                 to: n, n, fill: bg)

        // Mask, Lab and specular highlights on the crop.
        var cmask = [Float](repeating: 0, count: n * n)
        var lab = [(Float, Float, Float)](repeating: (0, 0, 0), count: n * n)
        var spec = [Bool](repeating: false, count: n * n)
        for i in 0..<(n * n) {
            let l = labOf((crop.data[i * 3], crop.data[i * 3 + 1], crop.data[i * 3 + 2]))
            lab[i] = l
            if !found { cmask[i] = 1; continue }
            let d = sqrtf((l.0 - bgLab.0) * (l.0 - bgLab.0) + (l.1 - bgLab.1) * (l.1 - bgLab.1) + (l.2 - bgLab.2) * (l.2 - bgLab.2))
            cmask[i] = max(0, min(1, (d - threshold * 0.7) / (threshold * 0.6)))
        }
        for i in 0..<(n * n) where cmask[i] > 0.5 {
            let l = lab[i]
            if l.0 > 92 && hypotf(l.1, l.2) < 12 { spec[i] = true }
        }
        return NormalizedPiece(crop: crop, mask: cmask, specular: spec, lab: lab, backgroundLab: bgLab,
                               foregroundFound: found, coverage: coverage, gains: gains,
                               cropInSource: ((cx - sideLen / 2) / Float(ww), (cy - sideLen / 2) / Float(wh), sideLen / Float(ww)))
    }

    static func labOf(_ c: (Float, Float, Float)) -> (Float, Float, Float) {
        func idx(_ v: Float) -> Int { max(0, min(255, Int(v * 255 + 0.5))) }
        return ColorSpace.lab(r: UInt8(idx(c.0)), g: UInt8(idx(c.1)), b: UInt8(idx(c.2)))
    }

    /// 3×3 majority filter: removes isolated specks and fills pinholes.
    static func majority(_ m: [Bool], _ w: Int, _ h: Int) -> [Bool] {
        var out = m
        for y in 1..<(h - 1) {
            for x in 1..<(w - 1) {
                var c = 0
                for dy in -1...1 { for dx in -1...1 where m[(y + dy) * w + x + dx] { c += 1 } }
                out[y * w + x] = c >= 5
            }
        }
        return out
    }
}
