@testable import FacetVision
import XCTest

final class ResampleWindowTests: XCTestCase {
    /// The keypoint crop scales only the window it reads: that window must hold exactly the
    /// pixels the whole scaled photo has there, up- and downscaling.
    func testAWindowIsPixelForPixelTheWholeResult() {
        let photo = Synthetic.ring(width: 301, height: 217, metal: Synthetic.yellowGold, stones: (200, 30, 60))
        for (ow, oh) in [(903, 651), (150, 108), (301, 217)] {
            let whole = Resample.toFloat(photo, width: ow, height: oh)
            let (x, y, w, h) = (ow / 5, oh / 3, ow / 2, oh / 2)
            let part = Resample.toFloat(photo, width: ow, height: oh, window: (x, y, w, h))
            XCTAssertEqual(part.width, w)
            XCTAssertEqual(part.height, h)
            for yy in 0..<h {
                for xx in 0..<w {
                    for c in 0..<3 {
                        XCTAssertEqual(part.data[(yy * w + xx) * 3 + c], whole.data[((yy + y) * ow + xx + x) * 3 + c], "\(ow)×\(oh) at \(xx),\(yy)")
                    }
                }
            }
        }
    }

    /// The crop the keypoints are found on is the one the whole scaled photo gave, a piece small
    /// in its photo (scaled up) and one filling it (scaled down) alike.
    func testTheKeypointCropIsTheSameAsFromTheWholeScaledPhoto() {
        for photo in [Synthetic.ring(width: 900, height: 700, metal: Synthetic.roseGold, stones: nil),
                      Synthetic.pendant(metal: Synthetic.yellowGold)] {
            let piece = Normaliser.normalise(photo)
            let windowed = VisionPipeline.keypointCrop(photo, piece)
            // The whole photo at the crop's scale, then the crop: what keypointCrop did before.
            let k = Keypoints.side
            let scale = min(4, Float(k) / max(1, piece.cropInSource.side * Float(photo.width)))
            let fw = max(8, Int(Float(photo.width) * scale)), fh = max(8, Int(Float(photo.height) * scale))
            let full = Resample.toFloat(photo, width: fw, height: fh)
            let crop = Resample.crop(full, x: piece.cropInSource.x * Float(fw), y: piece.cropInSource.y * Float(fh),
                                     width: piece.cropInSource.side * Float(fw), height: piece.cropInSource.side * Float(fw),
                                     to: k, k, fill: (1, 1, 1))
            let grey = Resample.grey(crop)
            // keypointCrop then normalises contrast, an affine map: the two must correlate perfectly.
            XCTAssertEqual(windowed.count, grey.count)
            let a = grey.map(Double.init), b = windowed.map(Double.init), n = Double(a.count)
            let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
            var sab = 0.0, saa = 0.0, sbb = 0.0
            for i in a.indices {
                sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb)
            }
            XCTAssertGreaterThan(sab / (saa * sbb).squareRoot(), 0.99999)
        }
    }

    /// The two-pass box filter gives the averages a two-dimensional box over each output pixel
    /// gives (the filter as first written), opaque or translucent, one axis scaled up or not.
    func testTheTwoPassAreaAverageIsTheBoxAverage() {
        var state: UInt32 = 9
        var pixels = [UInt8](repeating: 0, count: 97 * 61 * 4)
        for i in pixels.indices {
            state = state &* 1_664_525 &+ 1_013_904_223
            pixels[i] = i % 4 == 3 ? (i % 12 == 3 ? UInt8(state >> 24) : 255) : UInt8(state >> 24)
        }
        let photo = RGBAImage(width: 97, height: 61, pixels: pixels)
        func reference(_ ow: Int, _ oh: Int) -> [Float] {
            var out: [Float] = []
            let sx = Float(97) / Float(ow), sy = Float(61) / Float(oh)
            for oy in 0..<oh {
                let y0 = Float(oy) * sy, y1 = y0 + sy
                for ox in 0..<ow {
                    let x0 = Float(ox) * sx, x1 = x0 + sx
                    var acc: [Float] = [0, 0, 0], ws: Float = 0
                    for yy in Int(y0)..<min(61, max(Int(y0) + 1, Int(ceilf(y1)))) {
                        for xx in Int(x0)..<min(97, max(Int(x0) + 1, Int(ceilf(x1)))) {
                            let wt = (min(Float(yy + 1), y1) - max(Float(yy), y0)) * (min(Float(xx + 1), x1) - max(Float(xx), x0))
                            if wt <= 0 { continue }
                            let o = (yy * 97 + xx) * 4, a = Float(pixels[o + 3]) / 255
                            for c in 0..<3 { acc[c] += wt * (Float(pixels[o + c]) / 255 * a + (1 - a)) }
                            ws += wt
                        }
                    }
                    out += acc.map { $0 / ws }
                }
            }
            return out
        }
        for (ow, oh) in [(23, 17), (40, 90), (96, 60), (13, 61)] {
            let got = Resample.toFloat(photo, width: ow, height: oh).data
            let want = reference(ow, oh)
            XCTAssertEqual(got.count, want.count)
            let worst = zip(got, want).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(worst, 1e-4, "\(ow)×\(oh)")
        }
    }
}
