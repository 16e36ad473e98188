/// The attributes a photo can be compared on, in one vocabulary for catalog products,
/// marketplace listings and what the vision reads from an upload:
/// metal `yellow|rose|white|two-tone`, stones `none|clear|coloured|pearl`, stoneColour
/// (`red`, `blue`, …), and the catalog words for style, craftsmanship, pattern, setting.
public enum ProductLabels {
    public static let compared = ["metal", "stones", "stoneColour", "style", "craftsmanship", "pattern", "setting"]
    /// Attributes only neighbour voting can tell (colour rules decide metal and stones).
    public static let voted = ["style", "craftsmanship", "pattern", "setting"]

    public static func labels(of product: CatalogProduct) -> [String: String] {
        var labels: [String: String] = [:]
        if case let .text(colour)? = product.attributes["metalColor"] {
            labels["metal"] = metal(colour)
        } else if case let .text(metal)? = product.attributes["metal"] {
            labels["metal"] = Self.metal(metal)
        }
        let gems = product.gemstones
        if gems.contains(where: { $0.type == "pearl" }) {
            labels["stones"] = "pearl"
        } else if let coloured = gems.first(where: { !["colorless", "white", ""].contains($0.color ?? "") }) {
            labels["stones"] = "coloured"
            labels["stoneColour"] = coloured.color
        } else {
            labels["stones"] = gems.isEmpty ? "none" : "clear"
        }
        for key in voted {
            if case let .text(value)? = product.attributes[key] { labels[key] = value }
        }
        return labels
    }

    /// Labels from a listing's attributes: guessed out of its title (metal, gemstone, stoneColor,
    /// style, …), with what its photo showed (`ListingDescription`: metalColor, stones). What
    /// neither says stays absent rather than assumed.
    public static func labels(guessed a: [String: String]) -> [String: String] {
        var labels: [String: String] = [:]
        if let m = a["metalColor"] ?? a["metal"] { labels["metal"] = metal(m) }
        if a["gemstone"] == nil, let stones = a["stones"] {
            labels["stones"] = stones
            if stones == "coloured", let colour = a["stoneColor"] { labels["stoneColour"] = colour }
        } else if let gem = a["gemstone"] {
            if gem == "pearl" {
                labels["stones"] = "pearl"
            } else if let colour = a["stoneColor"], !["colorless", "white"].contains(colour) {
                labels["stones"] = "coloured"
                labels["stoneColour"] = colour
            } else {
                labels["stones"] = "clear"
            }
        }
        for key in voted { if let v = a[key] { labels[key] = v } }
        return labels
    }

    /// Metal names and metal colours to the colour a photo can show.
    public static func metal(_ raw: String) -> String {
        switch raw {
        case "yellow", "yellow_gold", "gold", "gold_vermeil": "yellow"
        case "rose", "rose_gold", "rose_gold_plated": "rose"
        case "white", "white_gold", "silver", "platinum", "rhodium": "white"
        case "two_tone", "two-tone": "two-tone"
        default: raw
        }
    }
}
