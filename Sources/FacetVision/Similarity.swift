import Foundation

/// Maps descriptor distances to a calibrated 0–100 % similarity: 95 % sits at the distance
/// that separates edited copies of one photo from different designs.
public struct SimilarityCalibration: Sendable, Codable {
    /// Embedding distance that maps to 95 %.
    public var d95: Float
    /// Distance scale of the decay below 95 %.
    public var falloff: Float

    public init(d95: Float = 0.30, falloff: Float = 0.25) { self.d95 = d95; self.falloff = falloff }
    public static let standard = SimilarityCalibration()

    /// 100 at distance 0, 95 at `d95`, decaying towards 0 beyond it.
    public func similarity(distance d: Float) -> Double {
        if d <= d95 { return Double(100 - 5 * d / d95) }
        return Double(95 * expf(-(d - d95) / falloff))
    }

    public func similarity(_ a: [Float], _ b: [Float]) -> Double {
        similarity(distance: Embedding.distance(a, b))
    }
}
