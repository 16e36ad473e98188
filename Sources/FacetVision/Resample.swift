import Foundation

/// Pixel operations on float RGB images: area resampling, cropping, grey conversion.
enum Resample {
    /// Area-average (box) downscale, bilinear upscale; RGBA8 in, float RGB (0…1) out, alpha
    /// composited over white.
    static func toFloat(_ img: RGBAImage, width ow: Int, height oh: Int) -> FloatImage {
        let w = img.width, h = img.height
        // A multiply, not a divide, per channel per tap (a divide is many times slower).
        let inv255: Float = 1.0 / 255
        var out = [Float](repeating: 0, count: ow * oh * 3)
        img.pixels.withUnsafeBufferPointer { p in
            let sx = Float(w) / Float(ow), sy = Float(h) / Float(oh)
            for oy in 0..<oh {
                let y0 = Float(oy) * sy, y1 = y0 + sy
                for ox in 0..<ox_limit(ow) {
                    let x0 = Float(ox) * sx, x1 = x0 + sx
                    var r: Float = 0, g: Float = 0, b: Float = 0, wsum: Float = 0
                    if sx <= 1 && sy <= 1 {
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
                    } else {
                        let iy0 = Int(y0), iy1 = min(h, max(iy0 + 1, Int(ceilf(y1))))
                        let ix0 = Int(x0), ix1 = min(w, max(ix0 + 1, Int(ceilf(x1))))
                        for yy in iy0..<iy1 {
                            let wy = min(Float(yy + 1), y1) - max(Float(yy), y0)
                            for xx in ix0..<ix1 {
                                let wt = wy * (min(Float(xx + 1), x1) - max(Float(xx), x0))
                                if wt <= 0 { continue }
                                let o = (yy * w + xx) * 4
                                let a = Float(p[o + 3]) * inv255
                                r += wt * (Float(p[o]) * inv255 * a + (1 - a)); g += wt * (Float(p[o + 1]) * inv255 * a + (1 - a)); b += wt * (Float(p[o + 2]) * inv255 * a + (1 - a))
                                wsum += wt
                            }
                        }
                    }
                    let o = (oy * ow + ox) * 3
                    out[o] = r / wsum; out[o + 1] = g / wsum; out[o + 2] = b / wsum
                }
            }
        }
        return FloatImage(width: ow, height: oh, data: out)
    }

    @inline(__always) private static func ox_limit(_ v: Int) -> Int { v }

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
