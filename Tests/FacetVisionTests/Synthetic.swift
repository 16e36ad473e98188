import Foundation
@testable import FacetVision

/// Test images drawn in code (no third-party pictures).
enum Synthetic {
    /// A shaded ring (annulus) of `metal` colour with optional coloured "stones", on a light background.
    static func ring(width: Int = 320, height: Int = 240, metal: (Double, Double, Double),
                     stones: (Double, Double, Double)? = nil, background: (Double, Double, Double) = (245, 245, 243),
                     stoneCount: Int = 6, phase: Double = 0) -> RGBAImage {
        var img = RGBAImage(width: width, height: height)
        let cx = Double(width) / 2, cy = Double(height) / 2
        let r0 = Double(min(width, height)) * 0.25, r1 = Double(min(width, height)) * 0.36
        for y in 0..<height {
            for x in 0..<width {
                let dx = Double(x) - cx, dy = Double(y) - cy
                let r = (dx * dx + dy * dy).squareRoot()
                var c = background
                if r >= r0 && r <= r1 {
                    let ang = atan2(dy, dx)
                    let shade = 0.78 + 0.22 * cos(ang * 2 + phase) * sin((r - r0) / (r1 - r0) * .pi)
                    c = (metal.0 * shade, metal.1 * shade, metal.2 * shade)
                    if let s = stones {
                        for k in 0..<stoneCount {
                            let a = Double(k) / Double(stoneCount) * 2 * .pi + phase
                            let sx = cx + cos(a) * (r0 + r1) / 2, sy = cy + sin(a) * (r0 + r1) / 2
                            if (Double(x) - sx) * (Double(x) - sx) + (Double(y) - sy) * (Double(y) - sy) < pow((r1 - r0) * 0.4, 2) { c = s }
                        }
                    }
                }
                let o = (y * width + x) * 4
                img.pixels[o] = UInt8(max(0, min(255, c.0))); img.pixels[o + 1] = UInt8(max(0, min(255, c.1)))
                img.pixels[o + 2] = UInt8(max(0, min(255, c.2))); img.pixels[o + 3] = 255
            }
        }
        return img
    }

    /// A different design: a bar pendant with a drop, in the given metal.
    static func pendant(width: Int = 320, height: Int = 240, metal: (Double, Double, Double)) -> RGBAImage {
        var img = RGBAImage(width: width, height: height, fill: (245, 245, 243, 255))
        for y in 0..<height {
            for x in 0..<width {
                let inBar = abs(x - width / 2) < 12 && y > height / 8 && y < height * 3 / 4
                let dx = Double(x - width / 2), dy = Double(y - height * 3 / 4)
                let inDrop = dx * dx + dy * dy < 900
                guard inBar || inDrop else { continue }
                let shade = 0.8 + 0.2 * sin(Double(x) / 5)
                let o = (y * width + x) * 4
                img.pixels[o] = UInt8(metal.0 * shade); img.pixels[o + 1] = UInt8(metal.1 * shade); img.pixels[o + 2] = UInt8(metal.2 * shade)
            }
        }
        return img
    }

    static let yellowGold = (212.0, 172.0, 70.0)
    static let roseGold = (200.0, 130.0, 110.0)
    static let whiteMetal = (182.0, 184.0, 188.0)

    static func tempDir() -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("facet-vision-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }
}
