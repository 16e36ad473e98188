/// The exact-match tier: a stocked item at or above this calibrated similarity is shown as
/// "this exact design". `facet serve --exact-threshold` changes the cut for a server; the
/// similarity calibration is anchored on the default, so 95 % means the same everywhere.
public enum ExactMatch {
    public static let defaultThreshold: Double = 95
    /// Accepted settings: below 90 a near miss would be sold as the same piece.
    public static let allowedThresholds: ClosedRange<Double> = 90...99.9
}
