// Attribute vocabularies of the demo world. The raw values are the canonical ground-truth
// strings written to seeds/catalog/images.jsonl; protocol/attributes.md documents them.
// `sceneCode` is the integer the POV-Ray scenes in seeds/scenes use for the same value.

public enum Category: String, Codable, CaseIterable, Sendable {
    case ring, necklace, earring, bracelet, pendant, bangle, other

    /// Letter used in Aurelia SKUs (AUR-R-00012).
    public var skuLetter: String {
        switch self {
        case .ring: "R"
        case .necklace: "N"
        case .earring: "E"
        case .bracelet: "B"
        case .pendant: "P"
        case .bangle: "G"
        case .other: "O"
        }
    }

    /// Design types ("form") per category, in the order of the scenes' P_Form codes.
    public var forms: [String] {
        switch self {
        case .ring: ["solitaire", "halo", "three_stone", "eternity", "band", "cocktail", "signet"]
        case .necklace: ["chain", "pendant_necklace", "station", "riviera", "pearl_strand"]
        case .earring: ["stud", "hoop", "drop", "cluster"]
        case .bracelet: ["chain", "tennis", "link", "pearl"]
        case .pendant: ["solitaire", "heart", "disc", "cross", "bar", "halo_drop"]
        case .bangle: ["round", "cuff", "stone_set", "twisted"]
        case .other: ["brooch", "anklet", "cufflinks"]
        }
    }

    public var sceneFile: String { rawValue + ".inc" }
}

public enum Metal: String, Codable, CaseIterable, Sendable {
    case yellowGold = "yellow_gold", roseGold = "rose_gold", whiteGold = "white_gold"
    case silver, platinum, twoTone = "two_tone"

    public var sceneCode: Int { Metal.allCases.firstIndex(of: self)! }
    public var label: String {
        switch self {
        case .yellowGold: "yellow gold"
        case .roseGold: "rose gold"
        case .whiteGold: "white gold"
        case .silver: "silver"
        case .platinum: "platinum"
        case .twoTone: "two-tone gold"
        }
    }
}

public enum Purity: String, Codable, CaseIterable, Sendable {
    case k14 = "14k", k18 = "18k", k22 = "22k", s925 = "925", p950 = "950"
}

public enum Plating: String, Codable, CaseIterable, Sendable {
    case none, rhodium, goldVermeil = "gold_vermeil", roseGoldPlated = "rose_gold_plated"

    public var sceneCode: Int { Plating.allCases.firstIndex(of: self)! }
}

public enum GemType: String, Codable, CaseIterable, Sendable {
    case none, diamond, cubicZirconia = "cubic_zirconia", ruby, sapphire, emerald, amethyst, topaz, pearl

    public var sceneCode: Int { GemType.allCases.firstIndex(of: self)! }

    public var colour: String {
        switch self {
        case .none: "none"
        case .diamond, .cubicZirconia: "colorless"
        case .ruby: "red"
        case .sapphire, .topaz: "blue"
        case .emerald: "green"
        case .amethyst: "purple"
        case .pearl: "white"
        }
    }

    public var label: String {
        switch self {
        case .cubicZirconia: "cubic zirconia"
        case .topaz: "blue topaz"
        default: rawValue
        }
    }

    public var isClear: Bool { self == .diamond || self == .cubicZirconia }
}

public enum Cut: String, Codable, CaseIterable, Sendable {
    case round, oval, princess, cushion, emerald, marquise, cabochon, pear

    public var sceneCode: Int { Cut.allCases.firstIndex(of: self)! }
}

public enum Setting: String, Codable, CaseIterable, Sendable {
    case prong, bezel, pave, channel, none

    public var sceneCode: Int { Setting.allCases.firstIndex(of: self)! }
}

public enum Craftsmanship: String, Codable, CaseIterable, Sendable {
    case plain, engraved, filigree, textured

    public var sceneCode: Int { Craftsmanship.allCases.firstIndex(of: self)! }
}

public enum Pattern: String, Codable, CaseIterable, Sendable {
    case none, floral, geometric, abstract

    public var sceneCode: Int { Pattern.allCases.firstIndex(of: self)! }
}

public enum Style: String, Codable, CaseIterable, Sendable {
    case vintage, modern, ethnic, minimalist, statement
}

public enum Source: String, Codable, CaseIterable, Sendable {
    case aurelia, northbridge, marketplace
}

/// Photo backgrounds, in the order of the scenes' P_Bg codes.
public enum Background: String, Codable, CaseIterable, Sendable {
    case white, grey, coloured, marble, linen, velvet, wood

    public var sceneCode: Int { Background.allCases.firstIndex(of: self)! }
}
