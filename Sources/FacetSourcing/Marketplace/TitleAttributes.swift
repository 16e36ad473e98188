import Foundation

/// Attributes guessed from an offer's title, in the vocabulary of protocol/attributes.md.
/// Titles are keyword-stuffed, so only phrases that name one value are used, and a field
/// stays absent rather than guessed when the title names two conflicting values.
public enum TitleAttributes {
    public static func guess(_ title: String) -> [String: String] {
        // Every run of one to three words, once: a phrase is named when it is one of them.
        // (Searching the text for each of some eighty phrases went through NSString on Linux and
        // was a visible share of the CPU a hundred concurrent searches spend on the pages.)
        let cleaned: [Character] = title.lowercased().map { (c: Character) -> Character in c.isLetter || c.isNumber ? c : " " }
        let words: [String] = cleaned.split(separator: " ").map { String($0) }
        var runs = Set<String>()
        for i in words.indices {
            runs.insert(words[i])
            guard i + 1 < words.count else { continue }
            let two: String = words[i] + " " + words[i + 1]
            runs.insert(two)
            if i + 2 < words.count { runs.insert(two + " " + words[i + 2]) }
        }
        func has(_ phrase: String) -> Bool {
            assert(phrase.split(separator: " ").count <= 3, "phrases are at most three words")
            return runs.contains(phrase)
        }
        var result: [String: String] = [:]
        func pick(_ field: String, _ table: [(phrases: [String], value: String)]) {
            let found = Set(table.filter { $0.phrases.contains(where: has) }.map(\.value))
            if found.count == 1 { result[field] = found.first }
        }

        if has("two tone") || has("dual color") || has("two color") || has("bicolor") {
            result["metal"] = "two_tone"
        } else {
            pick("metal", [(["rose gold"], "rose_gold"), (["white gold"], "white_gold"), (["platinum", "pt950"], "platinum"),
                           (["sterling silver", "925 silver", "s925", "silver"], "silver")])
            if result["metal"] == nil, has("gold"), !has("rose gold"), !has("white gold") { result["metal"] = "yellow_gold" }
        }
        pick("purity", [(["14k", "14kt", "585"], "14k"), (["18k", "18kt", "750"], "18k"), (["22k", "22kt"], "22k"),
                        (["925", "s925", "sterling"], "925"), (["950", "pt950"], "950")])
        pick("gemstone", [(["diamond", "diamonds"], "diamond"), (["cubic zirconia", "cz", "zircon", "zirconia"], "cubic_zirconia"),
                          (["ruby", "rubies"], "ruby"), (["sapphire", "sapphires"], "sapphire"), (["emerald", "emeralds"], "emerald"),
                          (["amethyst"], "amethyst"), (["topaz"], "topaz"), (["pearl", "pearls"], "pearl")])
        if let gem = result["gemstone"] {
            result["stoneColor"] = ["diamond": "colorless", "cubic_zirconia": "colorless", "ruby": "red", "sapphire": "blue",
                                    "emerald": "green", "amethyst": "purple", "topaz": "blue", "pearl": "white"][gem]
        }
        pick("style", [(["vintage", "retro", "antique", "victorian"], "vintage"), (["modern", "contemporary"], "modern"),
                       (["ethnic", "boho", "bohemian", "tribal"], "ethnic"), (["minimalist", "minimal", "dainty"], "minimalist"),
                       (["statement", "chunky", "cocktail"], "statement")])
        pick("pattern", [(["floral", "flower", "flowers", "leaf"], "floral"), (["geometric", "hexagon"], "geometric"),
                         (["abstract"], "abstract")])
        pick("setting", [(["prong", "claw"], "prong"), (["bezel"], "bezel"), (["pave", "paved"], "pave"), (["channel"], "channel")])
        pick("craftsmanship", [(["filigree"], "filigree"), (["engraved", "engraving"], "engraved"),
                               (["textured", "hammered", "sandblasted", "brushed"], "textured")])
        pick("cut", [(["round cut", "brilliant cut"], "round"), (["oval cut"], "oval"), (["princess cut"], "princess"),
                     (["cushion cut"], "cushion"), (["emerald cut"], "emerald"), (["marquise"], "marquise"),
                     (["pear cut", "pear shaped"], "pear"), (["cabochon"], "cabochon")])
        return result
    }
}
