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
/// ring), so the photo decides what it can see: a sure reading beats the title where they
/// disagree (plating explains a yellow or rose 925 silver piece), a fairly sure one fills what
/// the title leaves out, and an unsure one changes nothing.
public enum ListingDescription {
    /// As sure as the exact tier's colour veto asks (`ExactVeto`): the photo overrides the title.
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
            let metalName = title["metal"] ?? (title["purity"] == "925" ? "silver" : nil)
            let named = metalName.map(ProductLabels.metal)
            let colour = seen == "two-tone" ? "two_tone" : seen
            if named == nil, photo.metalConfidence >= fills {
                a["metalColor"] = colour
            } else if let named, named != seen, photo.metalConfidence >= overrides {
                a["metalColor"] = colour
                if named == "white", metalName == "silver", seen == "yellow" || seen == "rose" {
                    a["metal"] = "silver"
                    a["plating"] = seen == "yellow" ? "gold_vermeil" : "rose_gold_plated"
                } else {
                    // Nothing explains the difference: the title's metal is not repeated to the buyer.
                    a["metal"] = nil
                    a["purity"] = nil
                }
            }
        }
        if let seen = photo.stones {
            let named = ProductLabels.labels(guessed: title)["stones"]
            if (named == nil && photo.stonesConfidence >= fills) || (named != nil && named != seen && photo.stonesConfidence >= overrides) {
                if named != nil { a["gemstone"] = nil; a["stoneColor"] = nil; a["cut"] = nil }
                a["stones"] = seen
                if seen == "coloured", let c = photo.stoneColours.first { a["stoneColor"] = c }
            }
        }
        return a
    }
}
