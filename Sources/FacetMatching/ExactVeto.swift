import FacetVision

/// An exact match must be the same design: a same-shape variant in another metal or with other
/// stones is an alternative, never the exact piece. The keypoint check cannot tell them apart
/// (the geometry is the same), so a confident colour reading that contradicts the item's
/// labels vetoes the exact tier.
///
/// "Confident" is set well above the rules' own floor (`AttributeExtractor.minimumConfidence`,
/// 0.45), from how the rules score (metal: 0.4 + yellow share, 0.3 + white share, …), not from
/// the evaluation photos.
public enum ExactVeto {
    public static let confidentMetal = 0.8
    public static let confidentStones = 0.8

    /// Why the photo cannot show this item, or nil when nothing contradicts it.
    public static func contradiction(_ photo: ExtractedAttributes, labels: [String: String]) -> String? {
        if !photo.metal.isUnknown, photo.metal.confidence >= confidentMetal, let metal = labels["metal"],
           metal != photo.metal.value, metal != "two-tone", photo.metal.value != "two-tone" {
            return "metal: the photo shows \(photo.metal.value), the item is \(metal)"
        }
        guard photo.stones.value == "coloured", photo.stones.confidence >= confidentStones, !photo.stoneColours.isEmpty else { return nil }
        switch labels["stones"] {
        case "coloured"?:
            if let colour = labels["stoneColour"], !photo.stoneColours.contains(where: { related($0, colour) }) {
                return "stone colour: the photo shows \(photo.stoneColours.joined(separator: ", ")), the item's stones are \(colour)"
            }
        case "none"?, "clear"?:
            return "stones: the photo shows coloured stones, the item has \(labels["stones"]!) ones"
        default: break
        }
        return nil
    }

    /// Colour names the rules give and the catalog's stone colours, with the neighbours a
    /// lighting change can blur (pink/red, purple/blue, purple/pink).
    static func related(_ seen: String, _ label: String) -> Bool {
        if seen == label { return true }
        let near: Set<Set<String>> = [["pink", "red"], ["purple", "blue"], ["purple", "pink"], ["purple", "red"]]
        return near.contains([seen, label])
    }
}
