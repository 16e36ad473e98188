import FacetVision
import XCTest

/// Large PNGs are averaged down while their rows stream in; small ones decode whole.
final class BoundedDecodeTests: XCTestCase {
    /// An RGB PNG of vertical stripes, 2 px red then 2 px blue, and an alpha-free 8-bit layout.
    func stripes(width: Int, height: Int) -> [UInt8] {
        var rows: [UInt8] = []
        rows.reserveCapacity((width * 3 + 1) * height)
        for _ in 0..<height {
            rows.append(0)
            for x in 0..<width { rows += (x / 2) % 2 == 0 ? [200, 0, 0] : [0, 0, 100] }
        }
        return FixtureCodecs.png(width: width, height: height, bitDepth: 8, colourType: 2, extra: [], rows: rows)
    }

    func testALargePNGIsReducedByAWholeFactorAndAveraged() throws {
        let image = try ImageDecoder.decode(stripes(width: 2050, height: 1030), limits: DecodeLimits(targetLongSide: 512))
        // 2050 / 512 = 4: blocks of 4×4, the last column and row of blocks take the remainder.
        XCTAssertEqual(image.width, 512)
        XCTAssertEqual(image.height, 257)
        // Each 4-wide block holds two red and two blue columns: the average of both.
        let p = Array(image.pixels[0..<4])
        XCTAssertEqual(p, [100, 0, 50, 255])
        XCTAssertGreaterThanOrEqual(max(image.width, image.height), 512)
        // The last block of a row spans 6 columns (2048…2053 clipped to 2049): still an average.
        let last = Array(image.pixels[(511 * 4)..<(512 * 4)])
        XCTAssertEqual(last[3], 255)
    }

    func testASmallPNGDecodesWhole() throws {
        let image = try ImageDecoder.decode(stripes(width: 900, height: 40), limits: DecodeLimits(targetLongSide: 512))
        XCTAssertEqual(image.width, 900)
        XCTAssertEqual(image.height, 40)
        XCTAssertEqual(Array(image.pixels[0..<4]), [200, 0, 0, 255])
        XCTAssertEqual(Array(image.pixels[8..<12]), [0, 0, 100, 255])
    }

    func testTheBudgetBoundsPixelsInFlight() {
        let budget = DecodeBudget(pixels: 100)
        let inside = budget.withPixels(60) { budget.pixelsInUse }
        XCTAssertEqual(inside, 60)
        XCTAssertEqual(budget.pixelsInUse, 0)
        // Larger than the whole budget: runs alone rather than never.
        XCTAssertEqual(budget.withPixels(1_000) { budget.pixelsInUse }, 100)
        let group = DispatchGroup()
        let peak = PeakCounter()
        for _ in 0..<8 {
            group.enter()
            DispatchQueue.global().async {
                budget.withPixels(40) { peak.enter(); usleep(20_000); peak.leave() }
                group.leave()
            }
        }
        group.wait()
        XCTAssertLessThanOrEqual(peak.peak, 2, "40 + 40 fit in 100, a third would not")
    }
}

final class PeakCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 0
    private(set) var peak = 0
    func enter() { lock.lock(); now += 1; peak = max(peak, now); lock.unlock() }
    func leave() { lock.lock(); now -= 1; lock.unlock() }
}
