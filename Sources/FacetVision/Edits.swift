import Foundation

/// Deterministic pseudo-random numbers (SplitMix64), so evaluation edits are reproducible.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * Double(next() >> 11) / Double(1 << 53)
    }
}

/// The edits a re-posted or re-photographed product picture typically went through. Used to
/// build near-duplicate queries for evaluation and tests.
public enum ImageEdit: Sendable, CustomStringConvertible {
    case jpeg(quality: Int)
    case resize(scale: Double)
    case crop(fraction: Double, offsetX: Double, offsetY: Double)
    case light(brightness: Double, contrast: Double)
    case rotate(degrees: Double)
    case backgroundSwap(r: UInt8, g: UInt8, b: UInt8)
    case watermark(text: String, x: Double, y: Double, size: Double)

    public var description: String {
        switch self {
        case .jpeg(let q): return "jpeg q\(q)"
        case .resize(let s): return String(format: "resize %.0f%%", s * 100)
        case .crop(let f, _, _): return String(format: "crop %.0f%%", f * 100)
        case .light(let b, let c): return String(format: "brightness %+.0f%% contrast %+.0f%%", b * 100, c * 100)
        case .rotate(let d): return String(format: "rotate %+.1f°", d)
        case .backgroundSwap(let r, let g, let b): return "background #\(String(format: "%02x%02x%02x", r, g, b))"
        case .watermark(let t, _, _, _): return "watermark \"\(t)\""
        }
    }

    /// 1…`maxEdits` distinct random edits within the stated ranges.
    public static func random(_ rng: inout SeededRandom, maxEdits: Int = 3) -> [ImageEdit] {
        let count = 1 + Int(rng.next() % UInt64(maxEdits))
        var kinds = Array(0..<7)
        kinds.shuffle(using: &rng)
        return kinds.prefix(count).sorted().map { kind -> ImageEdit in
            switch kind {
            case 0: return .backgroundSwap(r: UInt8(rng.next() % 256), g: UInt8(rng.next() % 256), b: UInt8(rng.next() % 256))
            case 1: return .crop(fraction: rng.uniform(0.05, 0.15), offsetX: rng.uniform(0, 1), offsetY: rng.uniform(0, 1))
            case 2: return .rotate(degrees: rng.uniform(-10, 10))
            case 3: return .light(brightness: rng.uniform(-0.25, 0.25), contrast: rng.uniform(-0.25, 0.25))
            case 4: return .watermark(text: ["SAMPLE", "PHOTO", "STUDIO"][Int(rng.next() % 3)],
                                      x: rng.uniform(0.05, 0.6), y: rng.uniform(0.05, 0.85), size: rng.uniform(0.025, 0.05))
            case 5: return .resize(scale: rng.next() % 2 == 0 ? rng.uniform(0.25, 0.9) : rng.uniform(1.1, 2.0))
            default: return .jpeg(quality: 30 + Int(rng.next() % 61))
            }
        }
    }

    /// Applies the pixel edits in order (JPEG quality is applied when the copy is encoded).
    public static func apply(_ edits: [ImageEdit], to image: RGBAImage) -> RGBAImage {
        var img = image
        for e in edits { img = e.apply(img) }
        return img
    }

    public func apply(_ img: RGBAImage) -> RGBAImage {
        switch self {
        case .jpeg: return img
        case .resize(let s):
            let w = max(16, Int(Double(img.width) * s)), h = max(16, Int(Double(img.height) * s))
            return Self.toRGBA(Resample.toFloat(img, width: w, height: h))
        case .crop(let f, let ox, let oy):
            let cw = max(8, Int(Double(img.width) * (1 - f))), ch = max(8, Int(Double(img.height) * (1 - f)))
            let x0 = Int(Double(img.width - cw) * ox), y0 = Int(Double(img.height - ch) * oy)
            var out = [UInt8](repeating: 0, count: cw * ch * 4)
            for y in 0..<ch { for x in 0..<(cw * 4) { out[y * cw * 4 + x] = img.pixels[((y + y0) * img.width + x0) * 4 + x] } }
            return RGBAImage(width: cw, height: ch, pixels: out)
        case .light(let b, let c):
            var out = img
            for i in stride(from: 0, to: out.pixels.count, by: 4) {
                for k in 0..<3 {
                    let v = (Double(img.pixels[i + k]) / 255 - 0.5) * (1 + c) + 0.5 + b * 0.5
                    out.pixels[i + k] = UInt8(max(0, min(255, v * 255)))
                }
            }
            return out
        case .rotate(let deg):
            let bg = Self.borderMedian(img)
            let f = Resample.toFloat(img, width: img.width, height: img.height)
            let t = deg * .pi / 180, cs = Float(cos(t)), sn = Float(sin(t))
            let w = img.width, h = img.height, cx = Float(w) / 2, cy = Float(h) / 2
            var out = [UInt8](repeating: 255, count: w * h * 4)
            for y in 0..<h {
                for x in 0..<w {
                    let dx = Float(x) + 0.5 - cx, dy = Float(y) + 0.5 - cy
                    let sx = cs * dx + sn * dy + cx - 0.5, sy = -sn * dx + cs * dy + cy - 0.5
                    let o = (y * w + x) * 4
                    if sx < 0 || sy < 0 || sx > Float(w - 1) || sy > Float(h - 1) {
                        out[o] = bg.0; out[o + 1] = bg.1; out[o + 2] = bg.2
                        continue
                    }
                    let ix = Int(sx), iy = Int(sy), ax = sx - Float(ix), ay = sy - Float(iy)
                    let ix1 = min(ix + 1, w - 1), iy1 = min(iy + 1, h - 1)
                    for k in 0..<3 {
                        let v = (f.data[(iy * w + ix) * 3 + k] * (1 - ax) + f.data[(iy * w + ix1) * 3 + k] * ax) * (1 - ay)
                            + (f.data[(iy1 * w + ix) * 3 + k] * (1 - ax) + f.data[(iy1 * w + ix1) * 3 + k] * ax) * ay
                        out[o + k] = UInt8(max(0, min(255, v * 255 + 0.5)))
                    }
                }
            }
            return RGBAImage(width: w, height: h, pixels: out)
        case .backgroundSwap(let r, let g, let b):
            // The background is what is close to the border colour and connected to the border
            // (a flood fill, as a cut-out tool would select it); it takes the new colour, keeping
            // its shading, with a one-pixel feather. Highlights inside the piece are left alone.
            let bg = Self.borderMedian(img)
            let w = img.width, h = img.height
            let rgb = img.rgb()
            func dist(_ i: Int) -> Double {
                let dr = Double(rgb[i * 3]) - Double(bg.0), dg = Double(rgb[i * 3 + 1]) - Double(bg.1), db = Double(rgb[i * 3 + 2]) - Double(bg.2)
                return (dr * dr + dg * dg + db * db).squareRoot()
            }
            var isBg = [Bool](repeating: false, count: w * h)
            var stack: [Int] = []
            for x in 0..<w { stack.append(x); stack.append((h - 1) * w + x) }
            for y in 0..<h { stack.append(y * w); stack.append(y * w + w - 1) }
            while let i = stack.popLast() {
                if isBg[i] || dist(i) > 40 { continue }
                isBg[i] = true
                let x = i % w, y = i / w
                if x > 0 { stack.append(i - 1) }; if x < w - 1 { stack.append(i + 1) }
                if y > 0 { stack.append(i - w) }; if y < h - 1 { stack.append(i + w) }
            }
            var out = img
            let dst = [Double(r), Double(g), Double(b)], ref = [Double(bg.0), Double(bg.1), Double(bg.2)]
            for y in 0..<h {
                for x in 0..<w {
                    let i = y * w + x
                    var n = 0, c = 0
                    for dy in -1...1 { for dx in -1...1 {
                        let xx = x + dx, yy = y + dy
                        guard xx >= 0, yy >= 0, xx < w, yy < h else { continue }
                        n += 1; if isBg[yy * w + xx] { c += 1 }
                    } }
                    let a = Double(c) / Double(n)
                    if a == 0 { continue }
                    for k in 0..<3 {
                        let src = Double(rgb[i * 3 + k])
                        let nv = min(255, dst[k] * src / max(1, ref[k]))
                        out.pixels[i * 4 + k] = UInt8(max(0, min(255, a * nv + (1 - a) * src)))
                    }
                    out.pixels[i * 4 + 3] = 255
                }
            }
            return out
        case .watermark(let text, let x, let y, let size):
            var out = img
            let cell = max(1, Int(Double(min(img.width, img.height)) * size / 7))
            var px = Int(x * Double(img.width)), py = Int(y * Double(img.height))
            py = min(py, img.height - 7 * cell - 1)
            for ch in text {
                guard let glyph = Self.font[ch] else { px += 6 * cell; continue }
                for (row, bits) in glyph.enumerated() {
                    for col in 0..<5 where bits & (1 << (4 - col)) != 0 {
                        for yy in 0..<cell { for xx in 0..<cell {
                            let X = px + col * cell + xx, Y = py + row * cell + yy
                            guard X >= 0, Y >= 0, X < img.width, Y < img.height else { continue }
                            let o = (Y * img.width + X) * 4
                            for k in 0..<3 { out.pixels[o + k] = UInt8((Int(out.pixels[o + k]) * 4 + 128 * 6) / 10) }
                        } }
                    }
                }
                px += 6 * cell
            }
            return out
        }
    }

    static func borderMedian(_ img: RGBAImage) -> (UInt8, UInt8, UInt8) {
        var r: [UInt8] = [], g: [UInt8] = [], b: [UInt8] = []
        let rgb = img.rgb()
        for y in 0..<img.height {
            for x in 0..<img.width where x < 2 || y < 2 || x >= img.width - 2 || y >= img.height - 2 {
                let o = (y * img.width + x) * 3
                r.append(rgb[o]); g.append(rgb[o + 1]); b.append(rgb[o + 2])
            }
        }
        return (r.sorted()[r.count / 2], g.sorted()[g.count / 2], b.sorted()[b.count / 2])
    }

    static func toRGBA(_ f: FloatImage) -> RGBAImage {
        var p = [UInt8](repeating: 255, count: f.width * f.height * 4)
        for i in 0..<(f.width * f.height) {
            for k in 0..<3 { p[i * 4 + k] = UInt8(max(0, min(255, f.data[i * 3 + k] * 255 + 0.5))) }
        }
        return RGBAImage(width: f.width, height: f.height, pixels: p)
    }

    /// A 5×7 bitmap font for the watermark texts.
    static let font: [Character: [UInt8]] = [
        "S": [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E], "A": [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        "M": [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11], "P": [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        "L": [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F], "E": [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        "H": [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11], "O": [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        "T": [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04], "U": [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        "D": [0x1E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1E], "I": [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
    ]
}
