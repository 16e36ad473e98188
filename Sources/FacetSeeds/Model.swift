import Foundation

/// One gemstone group of a piece (ground truth).
public struct Gemstone: Codable, Sendable, Equatable {
    public var type: GemType
    public var color: String
    public var cut: Cut
    public var count: Int
    /// "center", "side" or "accent".
    public var role: String
}

/// The ground-truth attributes of a piece, as written beside every image.
public struct Attributes: Codable, Sendable, Equatable {
    public var category: Category
    /// Design type within the category (solitaire, hoop, cuff, ...).
    public var type: String
    public var metal: Metal
    public var purity: Purity
    public var plating: Plating
    /// Visible metal colour after plating ("yellow", "rose", "white", "two_tone").
    public var metalColor: String
    public var gemstones: [Gemstone]
    public var style: Style
    public var craftsmanship: Craftsmanship
    public var pattern: Pattern
    public var setting: Setting
    /// US ring sizes offered (rings only).
    public var ringSizes: [String]?
    /// Chain or strand lengths offered, in centimetres (necklaces, bracelets, anklets, pendants sold with a chain).
    public var chainLengthsCm: [Int]?

    /// The main stone (first group), if any.
    public var primaryGem: GemType { gemstones.first?.type ?? .none }
}

/// Everything that decides what a piece looks like: the scene parameters of a design.
/// Two photos of the same design share a Design; a close variant changes metal or stone.
public struct Design: Codable, Sendable, Equatable {
    public var designId: String
    public var category: Category
    public var form: Int
    public var metal: Metal
    public var purity: Purity
    public var plating: Plating
    public var gem: GemType
    public var cut: Cut
    /// Primary stone count as the scene uses it (P_GemCount).
    public var gemCount: Int
    public var accent: Bool
    /// Type of the small accent stones (diamond for fine jewelry, cubic zirconia for silver).
    public var accentGem: GemType = .diamond
    /// Accent count as the scene uses it (P_AccentCount; brooch: petals).
    public var accentCount: Int
    public var setting: Setting
    public var craftsmanship: Craftsmanship
    public var pattern: Pattern
    public var style: Style
    /// Seed of the scene's free shape parameters (band width, chain link size, ...).
    public var shapeSeed: Int
    public var scale: Double
    public var ringSizes: [String]?
    public var chainLengthsCm: [Int]?

    public var formName: String { category.forms[form] }

    public var metalColor: String {
        switch plating {
        case .rhodium: return metal == .twoTone ? "two_tone" : "white"
        case .goldVermeil: return metal == .twoTone ? "two_tone" : "yellow"
        case .roseGoldPlated: return metal == .twoTone ? "two_tone" : "rose"
        case .none: break
        }
        switch metal {
        case .yellowGold: return "yellow"
        case .roseGold: return "rose"
        case .whiteGold, .silver, .platinum: return "white"
        case .twoTone: return "two_tone"
        }
    }

    /// Ground truth, with stone counts that match what the scene draws for the whole piece.
    public var attributes: Attributes {
        var stones: [Gemstone] = []
        func add(_ t: GemType, _ c: Cut, _ n: Int, _ role: String) {
            guard t != .none, n > 0 else { return }
            stones.append(Gemstone(type: t, color: t.colour, cut: t == .pearl ? .round : c, count: n, role: role))
        }
        let f = formName
        switch (category, f) {
        case (.ring, "solitaire"):
            add(gem, cut, 1, "center")
            if accent { add(accentGem, .round, 2 * accentCount, "accent") }
        case (.ring, "halo"), (.ring, "cocktail"):
            add(gem, cut, 1, "center")
            if accent { add(accentGem, .round, accentCount, "accent") }
        case (.ring, "three_stone"):
            add(gem, cut, 3, "center")
        case (.ring, "eternity"), (.ring, "band"):
            add(setting == .pave ? (gem == .cubicZirconia ? .cubicZirconia : .diamond) : gem,
                setting == .pave ? .round : cut, gemCount, "center")
        case (.ring, "signet"):
            add(gem, cut, 1, "center")
        case (.necklace, "pendant_necklace"):
            add(gem, cut, 1, "center")
            if accent { add(accentGem, .round, accentCount, "accent") }
        case (.necklace, "station"), (.necklace, "riviera"):
            add(gem, cut, gemCount, "center")
        case (.necklace, "pearl_strand"), (.bracelet, "pearl"):
            add(.pearl, .round, gemCount, "center")
        case (.earring, "stud"), (.earring, "drop"):
            add(gem, cut, 2, "center")
        case (.earring, "hoop"):
            add(setting == .pave ? (gem == .cubicZirconia ? .cubicZirconia : .diamond) : gem,
                setting == .pave ? .round : cut, 2 * gemCount, "center")
        case (.earring, "cluster"):
            if accent {
                add(gem, .round, 2, "center")
                add(accentGem, .round, 12, "accent")
            } else {
                add(gem, .round, 14, "center")
            }
        case (.bracelet, "chain"), (.bracelet, "tennis"), (.pendant, "bar"), (.other, "anklet"):
            add(gem, cut, gemCount, "center")
        case (.pendant, "solitaire"), (.pendant, "heart"), (.pendant, "disc"), (.bangle, "cuff"):
            add(gem, cut, 1, "center")
        case (.pendant, "cross"):
            add(gem, .round, 7, "center")
        case (.pendant, "halo_drop"):
            add(gem, .pear, 1, "center")
            add(accentGem, .round, 16, "accent")
        case (.bangle, "stone_set"):
            add(setting == .pave ? (gem == .cubicZirconia ? .cubicZirconia : .diamond) : gem,
                setting == .pave ? .round : cut, gemCount, "center")
        case (.other, "brooch"):
            add(gem, cut, 1, "center")
            if accent { add(accentGem, .round, 3 * accentCount, "accent") }
        case (.other, "cufflinks"):
            add(gem, cut, 2, "center")
        default:
            break
        }
        return Attributes(category: category, type: f, metal: metal, purity: purity, plating: plating,
                          metalColor: metalColor, gemstones: stones, style: style,
                          craftsmanship: craftsmanship, pattern: pattern, setting: setting,
                          ringSizes: ringSizes, chainLengthsCm: chainLengthsCm)
    }
}

/// Camera, light and background of one photo.
public struct PhotoView: Codable, Sendable, Equatable {
    /// "front", "angle", "top", "side", "detail" or "lifestyle".
    public var name: String
    public var yaw: Double
    public var pitch: Double
    public var light: Double
    public var background: Background
    public var backgroundHue: Double
    public var zoom: Double
}

/// The POV-Ray parameters of one image: a design seen in a view.
public struct SceneSpec: Codable, Sendable, Equatable {
    /// Category include file, e.g. "ring.inc".
    public var include: String
    /// Parameter name to value, written as `#declare NAME = VALUE;`.
    public var declares: [String: Double]

    public init(design d: Design, view v: PhotoView) {
        include = d.category.sceneFile
        declares = [
            "P_Metal": Double(d.metal.sceneCode),
            "P_Plating": Double(d.plating.sceneCode),
            "P_Gem": Double(d.gem.sceneCode),
            "P_Cut": Double(d.cut.sceneCode),
            "P_Setting": Double(d.setting.sceneCode),
            "P_Craft": Double(d.craftsmanship.sceneCode),
            "P_Pattern": Double(d.pattern.sceneCode),
            "P_Form": Double(d.form),
            "P_GemCount": Double(d.gemCount),
            "P_Accent": d.accent ? 1 : 0,
            "P_AccentCount": Double(d.accentCount),
            "P_Design": Double(d.shapeSeed),
            "P_Scale": d.scale,
            "P_Yaw": v.yaw,
            "P_Pitch": v.pitch,
            "P_Light": v.light,
            "P_Bg": Double(v.background.sceneCode),
            "P_BgHue": v.backgroundHue,
            "P_Zoom": v.zoom,
        ]
    }

    /// The scene file text that renders this image.
    public var povSource: String {
        var s = "// Facet demo world image (generated)\n"
        for key in declares.keys.sorted() {
            s += "#declare \(key) = \(formatNumber(declares[key]!));\n"
        }
        s += "#include \"facet.inc\"\n#include \"\(include)\"\n#include \"studio.inc\"\n"
        return s
    }
}

func formatNumber(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return String(x)
}

/// One line of seeds/catalog/images.jsonl.
public struct ImageRecord: Codable, Sendable, Equatable {
    /// Path relative to the repository root, e.g. "seeds/images/aurelia/AUR-R-00012-1.jpg".
    public var path: String
    public var source: Source
    /// Brand SKU / item id, or marketplace listing id.
    public var productId: String
    public var category: Category
    public var view: String
    public var viewIndex: Int
    public var attributes: Attributes
    /// Shared by every photo of the same design, across sources.
    public var designId: String
    /// Marketplace only: "same_design", "variant" or "unrelated".
    public var relation: String?
    /// Marketplace only: the brand product this listing copies or varies.
    public var relatedProductId: String?
    public var scene: SceneSpec
}
