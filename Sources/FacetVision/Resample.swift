import Foundation

/// Pixel operations on float RGB images: area resampling, cropping, grey conversion.
enum Resample {
    /// Area-average (box) downscale, bilinear upscale; RGBA8 in, float RGB (0…1) out, alpha
    /// composited over white.
    ///
    /// `window` (x, y, width, height in the output's pixels) computes only that part of the
    /// `ow` × `oh` result, pixel for pixel the same as the whole would have it.
    static func toFloat(_ img: RGBAImage, width ow: Int, height oh: Int,
                        window: (x: Int, y: Int, width: Int, height: Int)? = nil) -> FloatImage {
        let w = img.width, h = img.height
        let win = window ?? (0, 0, ow, oh)
        if Float(w) / Float(ow) > 1 || Float(h) / Float(oh) > 1 {
            return areaAverage(img, width: ow, height: oh, window: win)
        }
        // A multiply, not a divide, per channel per tap (a divide is many times slower).
        let inv255: Float = 1.0 / 255
        var out = [Float](repeating: 0, count: win.width * win.height * 3)
        img.pixels.withUnsafeBufferPointer { p in
            let sx = Float(w) / Float(ow), sy = Float(h) / Float(oh)
            for oy in win.y..<(win.y + win.height) {
                let y0 = Float(oy) * sy, y1 = y0 + sy
                for ox in win.x..<(win.x + win.width) {
                    let x0 = Float(ox) * sx, x1 = x0 + sx
                    var r: Float = 0, g: Float = 0, b: Float = 0, wsum: Float = 0
                    // Bilinear sample at the centre.
                    let fx = max(0, min(Float(w - 1), (x0 + x1) / 2 - 0.5)), fy = max(0, min(Float(h - 1), (y0 + y1) / 2 - 0.5))
                    let ix = Int(fx), iy = Int(fy), ax = fx - Float(ix), ay = fy - Float(iy)
                    let ix1 = min(ix + 1, w - 1), iy1 = min(iy + 1, h - 1)
                    // Four taps, unrolled: an array literal here cost an allocation per pixel.
                    @inline(__always) func tap(_ xx: Int, _ yy: Int, _ wt: Float) {
                        let o = (yy * w + xx) * 4
                        let a = Float(p[o + 3]) * inv255
                        r += wt * (Float(p[o]) * inv255 * a + (1 - a)); g += wt * (Float(p[o + 1]) * inv255 * a + (1 - a)); b += wt * (Float(p[o + 2]) * inv255 * a + (1 - a))
                        wsum += wt
                    }
                    tap(ix, iy, (1 - ax) * (1 - ay)); tap(ix1, iy, ax * (1 - ay)); tap(ix, iy1, (1 - ax) * ay); tap(ix1, iy1, ax * ay)
                    let o = ((oy - win.y) * win.width + ox - win.x) * 3
                    out[o] = r / wsum; out[o + 1] = g / wsum; out[o + 2] = b / wsum
                }
            }
        }
        return FloatImage(width: win.width, height: win.height, data: out)
    }

    /// The source pixels each output column (or row) averages, with their overlap: the box filter's
    /// footprint, computed once per axis instead of once per output pixel.
    private static func taps(source n: Int, output on: Int, from start: Int, count: Int) -> (index: [Int], weight: [Float], offsets: [Int], sums: [Float]) {
        let scale = Float(n) / Float(on)
        var index: [Int] = [], weight: [Float] = [], offsets = [0], sums: [Float] = []
        for o in start..<(start + count) {
            let a = Float(o) * scale, b = a + scale
            let i0 = Int(a), i1 = min(n, max(i0 + 1, Int(ceilf(b))))
            var sum: Float = 0
            for i in i0..<i1 {
                let wt = min(Float(i + 1), b) - max(Float(i), a)
                if wt <= 0 { continue }
                index.append(i); weight.append(wt); sum += wt
            }
            offsets.append(index.count)
            sums.append(sum)
        }
        return (index, weight, offsets, sums)
    }

    /// Area average (box filter) as two one-dimensional passes: rows first, over only the source
    /// rows the window needs, then columns. The same averages as the two-dimensional loop (each
    /// tap's weight is its row overlap times its column overlap), at a fraction of the work.
    private static func areaAverage(_ img: RGBAImage, width ow: Int, height oh: Int,
                                    window win: (x: Int, y: Int, width: Int, height: Int)) -> FloatImage {
        let w = img.width
        let cols = taps(source: w, output: ow, from: win.x, count: win.width)
        let rows = taps(source: img.height, output: oh, from: win.y, count: win.height)
        guard let firstRow = rows.index.min(), let lastRow = rows.index.max() else {
            return FloatImage(width: win.width, height: win.height, data: [Float](repeating: 1, count: win.width * win.height * 3))
        }
        let inv255: Float = 1.0 / 255
        // Horizontal pass: each needed source row reduced to the window's columns (composited over white).
        let span = lastRow - firstRow + 1
        var band = [Float](repeating: 0, count: span * win.width * 3)
        img.pixels.withUnsafeBufferPointer { p in
            band.withUnsafeMutableBufferPointer { out in
                cols.index.withUnsafeBufferPointer { ci in
                    cols.weight.withUnsafeBufferPointer { cw in
                        for yy in firstRow...lastRow {
                            let rowBase = yy * w * 4, outBase = (yy - firstRow) * win.width * 3
                            for c in 0..<win.width {
                                var r: Float = 0, g: Float = 0, b: Float = 0
                                for t in cols.offsets[c]..<cols.offsets[c + 1] {
                                    let o = rowBase + ci[t] * 4, wt = cw[t]
                                    let a = p[o + 3]
                                    if a == 255 {
                                        r += wt * Float(p[o]); g += wt * Float(p[o + 1]); b += wt * Float(p[o + 2])
                                    } else {
                                        let af = Float(a) * inv255, white = (1 - af) * 255
                                        r += wt * (Float(p[o]) * af + white); g += wt * (Float(p[o + 1]) * af + white); b += wt * (Float(p[o + 2]) * af + white)
                                    }
                                }
                                out[outBase + c * 3] = r; out[outBase + c * 3 + 1] = g; out[outBase + c * 3 + 2] = b
                            }
                        }
                    }
                }
            }
        }
        // Vertical pass, then the two weight sums and the 0…1 scale in one divide.
        var out = [Float](repeating: 0, count: win.width * win.height * 3)
        band.withUnsafeBufferPointer { bp in
            out.withUnsafeMutableBufferPointer { op in
                for r in 0..<win.height {
                    for c in 0..<win.width {
                        var acc: (Float, Float, Float) = (0, 0, 0)
                        for t in rows.offsets[r]..<rows.offsets[r + 1] {
                            let o = ((rows.index[t] - firstRow) * win.width + c) * 3, wt = rows.weight[t]
                            acc.0 += wt * bp[o]; acc.1 += wt * bp[o + 1]; acc.2 += wt * bp[o + 2]
                        }
                        let k = 1 / (rows.sums[r] * cols.sums[c] * 255)
                        let o = (r * win.width + c) * 3
                        op[o] = acc.0 * k; op[o + 1] = acc.1 * k; op[o + 2] = acc.2 * k
                    }
                }
            }
        }
        return FloatImage(width: win.width, height: win.height, data: out)
    }

    /// Bilinear resample of a region of a float image into a new size; outside → `fill`.
    static func crop(_ img: FloatImage, x: Float, y: Float, width cw: Float, height ch: Float,
                     to ow: Int, _ oh: Int, fill: (Float, Float, Float)) -> FloatImage {
        var out = [Float](repeating: 0, count: ow * oh * 3)
        let w = img.width, h = img.height
        let sx = cw / Float(ow), sy = ch / Float(oh)
        img.data.withUnsafeBufferPointer { p in
            for oy in 0..<oh {
                for ox in 0..<ow {
                    // Average a 2×2 grid of bilinear samples within the target pixel.
                    var acc: (Float, Float, Float) = (0, 0, 0)
                    for (dx, dy): (Float, Float) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
                        let fx = x + (Float(ox) + dx) * sx - 0.5, fy = y + (Float(oy) + dy) * sy - 0.5
                        var s: (Float, Float, Float)
                        if fx < -0.5 || fy < -0.5 || fx > Float(w) - 0.5 || fy > Float(h) - 0.5 {
                            s = fill
                        } else {
                            let cx = max(0, min(Float(w - 1), fx)), cy = max(0, min(Float(h - 1), fy))
                            let ix = Int(cx), iy = Int(cy), ax = cx - Float(ix), ay = cy - Float(iy)
                            let ix1 = min(ix + 1, w - 1), iy1 = min(iy + 1, h - 1)
                            func px(_ xx: Int, _ yy: Int, _ c: Int) -> Float { p[(yy * w + xx) * 3 + c] }
                            func bil(_ c: Int) -> Float {
                                (px(ix, iy, c) * (1 - ax) + px(ix1, iy, c) * ax) * (1 - ay) + (px(ix, iy1, c) * (1 - ax) + px(ix1, iy1, c) * ax) * ay
                            }
                            s = (bil(0), bil(1), bil(2))
                        }
                        acc.0 += s.0; acc.1 += s.1; acc.2 += s.2
                    }
                    let o = (oy * ow + ox) * 3
                    out[o] = acc.0 / 4; out[o + 1] = acc.1 / 4; out[o + 2] = acc.2 / 4
                }
            }
        }
        return FloatImage(width: ow, height: oh, data: out)
    }

    static func grey(_ img: FloatImage) -> [Float] {
        var g = [Float](repeating: 0, count: img.width * img.height)
        for i in 0..<g.count { g[i] = 0.299 * img.data[i * 3] + 0.587 * img.data[i * 3 + 1] + 0.114 * img.data[i * 3 + 2] }
        return g
    }

    /// Box downscale of a single-channel plane by an integer-free factor.
    static func shrink(_ p: [Float], _ w: Int, _ h: Int, to ow: Int, _ oh: Int) -> [Float] {
        var out = [Float](repeating: 0, count: ow * oh)
        let sx = Float(w) / Float(ow), sy = Float(h) / Float(oh)
        for oy in 0..<oh {
            let y0 = Float(oy) * sy, y1 = y0 + sy
            for ox in 0..<ow {
                let x0 = Float(ox) * sx, x1 = x0 + sx
                var acc: Float = 0, ws: Float = 0
                for yy in Int(y0)..<min(h, Int(ceilf(y1))) {
                    let wy = min(Float(yy + 1), y1) - max(Float(yy), y0)
                    for xx in Int(x0)..<min(w, Int(ceilf(x1))) {
                        let wt = wy * (min(Float(xx + 1), x1) - max(Float(xx), x0))
                        if wt > 0 { acc += wt * p[yy * w + xx]; ws += wt }
                    }
                }
                out[oy * ow + ox] = ws > 0 ? acc / ws : 0
            }
        }
        return out
    }
}
