import Foundation
import XCTest
@testable import FacetVision

final class CubeRootTests: XCTestCase {
    func testCubeRootMatchesLibmOverTheLabRange() {
        var t: Float = 0.008857
        while t < 1.2 {
            XCTAssertEqual(ColorSpace.cubeRoot(t), cbrtf(t), accuracy: cbrtf(t) * 2e-7, "t = \(t)")
            t *= 1.0013
        }
    }

    func testKeypointRoundingIsHalfAwayFromZero() {
        for v: Float in [-2.5, -1.5, -0.5, -0.49, 0, 0.49, 0.5, 1.5, 2.5, 10.7, -10.7] {
            XCTAssertEqual(Keypoints.round(v), Int(v.rounded()), "\(v)")
        }
    }
}
