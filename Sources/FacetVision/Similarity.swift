import Foundation

/// Maps descriptor distances to a calibrated 0–100 % similarity: 95 % sits at the distance
/// that separates edited copies of one photo from different designs.
public struct SimilarityCalibration: Sendable, Codable {
    /// Embedding distance that maps to 95 %.
    public var d95: Float
    /// Distance scale of the decay below 95 %.
    public var falloff: Float

    /// Below this distance, a few consistent keypoint matches (`supportInliers`) confirm.
    public var supportDistance: Float
    /// Many keypoint matches lift a candidate into the exact band only closer than this: in a
    /// learned space, renders of one template share geometry at any distance.
    public var confirmDistance: Float
    /// So many consistent keypoint matches that two different products were never seen to share
    /// them: they confirm at any distance (an edited copy of one photo — cropped, rotated, on
    /// another background — can move far in a learned space while its keypoints stay).
    public var certainInliers: Int

    public init(d95: Float = 0.30, falloff: Float = 0.25, supportDistance: Float = 0.45, confirmDistance: Float = .infinity,
                certainInliers: Int = .max) {
        self.d95 = d95; self.falloff = falloff; self.supportDistance = supportDistance; self.confirmDistance = confirmDistance
        self.certainInliers = certainInliers
    }
    public static let standard = SimilarityCalibration()
    /// The exact-match band starts here: the calibration maps `d95` to it. FacetCore's
    /// `ExactMatch.defaultThreshold` is this value (a test keeps them equal); this module is
    /// also compiled alone for the decode fuzzer, so it does not import FacetCore.
    public static let band = 95.0

    /// 100 at distance 0, 95 at `d95`, decaying towards 0 beyond it.
    public func similarity(distance d: Float) -> Double {
        if d <= d95 { return 100 - (100 - Self.band) * Double(d / d95) }
        return Self.band * Double(expf(-(d - d95) / falloff))
    }

    public func similarity(_ a: [Float], _ b: [Float]) -> Double {
        similarity(distance: Embedding.distance(a, b))
    }
}

extension SimilarityCalibration {
    /// Inlier counts of the geometric check that confirm or deny an exact match.
    public static let confirmInliers = 14
    public static let denyInliers = 5
    public static let supportInliers = 6
    public static let dominance = 2.0

    /// Similarity with the shortlist's geometric verification folded in: many consistent
    /// keypoint matches lift a candidate to the exact-match band; too few keep it below 95 %.
    /// `inliers == nil` means the candidate was not verified.
    ///
    /// `runnerUp` is the most inliers any *other* verified candidate got. Renders of one
    /// template (and real pieces of one type) share much geometry, so a keypoint count only
    /// lifts a candidate that stands out: at least `dominance` times the runner-up's.
    public func similarity(distance d: Float, inliers: Int?, runnerUp: Int = 0) -> Double {
        let base = similarity(distance: d)
        guard let inliers else { return min(base, Self.band - 0.1) }
        if inliers > Self.denyInliers, Double(inliers) < Self.dominance * Double(runnerUp) { return base }
        if inliers >= Self.confirmInliers && (d < confirmDistance || inliers >= certainInliers) {
            let lift = Self.band + (99.9 - Self.band) * min(1, Double(inliers - Self.confirmInliers) / 40)
            return max(base, lift)
        }
        // Some consistent matches and a close embedding together confirm.
        if inliers >= Self.supportInliers && d < supportDistance {
            return max(base, Self.band + Double(supportDistance - d) * 2)
        }
        // Few consistent matches: the embedding alone must be closer to reach 95 %.
        if inliers <= Self.denyInliers { return similarity(distance: d * 1.2) }
        return base
    }
}
