/// What the vision read on a listing's main photo, in the label vocabulary of `ProductLabels`
/// (metal `yellow|rose|white|two-tone`, stones `none|clear|coloured|pearl`).
public struct PhotoReading: Sendable, Equatable {
    public var metal: String?
    public var metalConfidence: Double
    public var stones: String?
    public var stonesConfidence: Double
    public var stoneColours: [String]

    public init(metal: String?, metalConfidence: Double, stones: String?, stonesConfidence: Double, stoneColours: [String] = []) {
        self.metal = metal; self.metalConfidence = metalConfidence
        self.stones = stones; self.stonesConfidence = stonesConfidence; self.stoneColours = stoneColours
    }
}

/// A marketplace listing described from its title and its photo together. Titles are
/// keyword-stuffed and often name the base metal of a plated piece ("925 silver" under a yellow
/// ring), so the photo says what the title leaves out when it is fairly sure, and a sure yellow or
/// rose reading of a silver piece is told as plating. Where the title names a metal other than
/// silver, or a gemstone, the title stands: on the demo world's 1,520 listings (`facet eval` part
/// 4) a sure photo reading that contradicted them was wrong more often than right.
public enum ListingDescription {
    /// As sure as the exact tier's colour veto asks (`ExactVeto`): plating explains the photo.
    public static let overrides = 0.8
    /// Sure enough to say what the title does not.
    public static let fills = 0.6

    /// The listing's attributes (protocol/attributes.md vocabulary) with the photo's reading folded in.
    public static func describe(_ title: [String: String], photo: PhotoReading?) -> [String: String] {
        guard let photo else { return title }
        var a = title
        if let seen = photo.metal {
            // "925" alone is sterling silver: titles that name two metals ("rose gold plated 925
            // silver") keep only the purity.
            let silver = title["metal"] == "silver" || (title["metal"] == nil && title["purity"] == "925")
            let colour = seen == "two-tone" ? "two_tone" : seen
            if silver, seen == "yellow" || seen == "rose", photo.metalConfidence >= overrides {
                a["metal"] = "silver"
                a["metalColor"] = colour
                a["plating"] = seen == "yellow" ? "gold_vermeil" : "rose_gold_plated"
            } else if title["metal"] == nil, !silver, photo.metalConfidence >= fills {
                a["metalColor"] = colour
            }
        }
        if title["gemstone"] == nil, let seen = photo.stones, photo.stonesConfidence >= fills {
            a["stones"] = seen
            if seen == "coloured", let c = photo.stoneColours.first { a["stoneColor"] = c }
        }
        return a
    }
}
