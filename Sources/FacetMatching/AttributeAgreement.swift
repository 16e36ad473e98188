import FacetVision

/// How far an item's labels agreeing with what the upload shows lifts it among the alternatives,
/// and disagreeing lowers it. Similarity alone ranks by shape and texture: a wholesaler who
/// photographs a yellow ring with red stones was shown a white one with green stones above a
/// yellow one with red stones because its outline was a little closer.
public enum AttributeAgreement {
    /// Points of calibrated similarity a fully confident reading moves an item, per attribute: a
    /// tenth of the fifty points between a typical other design of the category (about 55 %) and the
    /// exact band, so agreement decides between designs of about equal likeness and never lifts an
    /// unlike one over a close one. Set from that scale, not from the evaluation listings.
    public static let metalPoints = 5.0
    public static let stonesPoints = 5.0

    /// The points for one item: each known reading, weighed by its confidence, adds its points when
    /// the item's label is the same and takes them away when it differs; coloured stones of another
    /// colour count as neither. Unknown on either side counts nothing.
    public static func points(_ query: QueryAttributes, labels: [String: String]) -> Double {
        var total = 0.0
        if let metal = query.value("metal"), let label = labels["metal"], let confidence = query.values["metal"]?.confidence {
            total += (metal == label ? 1 : -1) * metalPoints * confidence
        }
        if let stones = query.value("stones"), let label = labels["stones"], let guess = query.values["stones"] {
            if stones != label {
                total -= stonesPoints * guess.confidence
            } else if stones == "coloured", let colours = guess.colours, !colours.isEmpty, let colour = labels["stoneColour"] {
                total += colours.contains(colour) ? stonesPoints * guess.confidence : 0
            } else {
                total += stonesPoints * guess.confidence
            }
        }
        return total
    }
}
