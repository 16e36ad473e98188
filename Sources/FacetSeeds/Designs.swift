/// Who a design is drawn for: the two brands and the marketplace stock differ in
/// metals, stones and styles.
public enum Profile: Sendable {
    case aurelia, northbridge, marketplace
}

enum GemNeed { case none, required, optional, pearl }

struct FormRule {
    var gem: GemNeed
    /// Settings allowed when a stone is present.
    var settings: [Setting]
    var pearlOK: Bool = false
    /// Cut forced by the scene (nil: any cut).
    var fixedCut: Cut? = nil
    var needsPattern: Bool = false
    var filigree: Bool = false
    var gemCount: ClosedRange<Int>? = nil
    var accentCount: ClosedRange<Int>? = nil
    var accentChance: Double = 0
    var clearOnlyForPave: Bool = true
}

func formRule(_ c: Category, _ form: String) -> FormRule {
    switch (c, form) {
    case (.ring, "solitaire"): return FormRule(gem: .required, settings: [.prong, .bezel], pearlOK: true, filigree: true, accentCount: 4...7, accentChance: 0.35)
    case (.ring, "halo"): return FormRule(gem: .required, settings: [.prong], filigree: true, accentCount: 12...18, accentChance: 1)
    case (.ring, "three_stone"): return FormRule(gem: .required, settings: [.prong, .bezel], filigree: true)
    case (.ring, "eternity"): return FormRule(gem: .required, settings: [.pave, .channel], filigree: true, gemCount: 14...22)
    case (.ring, "band"): return FormRule(gem: .optional, settings: [.channel, .pave], filigree: true, gemCount: 3...7)
    case (.ring, "cocktail"): return FormRule(gem: .required, settings: [.prong, .bezel], filigree: true, accentCount: 12...18, accentChance: 0.6)
    case (.ring, "signet"): return FormRule(gem: .optional, settings: [.bezel], needsPattern: true, filigree: true)
    case (.necklace, "chain"): return FormRule(gem: .none, settings: [])
    case (.necklace, "pendant_necklace"): return FormRule(gem: .optional, settings: [.prong, .bezel], pearlOK: true, needsPattern: true, accentCount: 10...16, accentChance: 0.4)
    case (.necklace, "station"): return FormRule(gem: .required, settings: [.prong, .bezel], pearlOK: true, gemCount: 3...7)
    case (.necklace, "riviera"): return FormRule(gem: .required, settings: [.prong, .bezel], gemCount: 9...17)
    case (.necklace, "pearl_strand"): return FormRule(gem: .pearl, settings: [])
    case (.earring, "stud"): return FormRule(gem: .required, settings: [.prong, .bezel], pearlOK: true)
    case (.earring, "hoop"): return FormRule(gem: .optional, settings: [.pave, .channel], gemCount: 5...9)
    case (.earring, "drop"): return FormRule(gem: .required, settings: [.prong, .bezel], pearlOK: true)
    case (.earring, "cluster"): return FormRule(gem: .required, settings: [.prong], fixedCut: .round, accentChance: 0.5)
    case (.bracelet, "chain"): return FormRule(gem: .optional, settings: [.prong, .bezel], gemCount: 3...5)
    case (.bracelet, "tennis"): return FormRule(gem: .required, settings: [.prong, .bezel], gemCount: 24...34)
    case (.bracelet, "link"): return FormRule(gem: .none, settings: [])
    case (.bracelet, "pearl"): return FormRule(gem: .pearl, settings: [])
    case (.pendant, "solitaire"): return FormRule(gem: .required, settings: [.prong, .bezel], pearlOK: true)
    case (.pendant, "heart"): return FormRule(gem: .optional, settings: [.bezel], fixedCut: .round)
    case (.pendant, "disc"): return FormRule(gem: .optional, settings: [.bezel], fixedCut: .round, needsPattern: true, filigree: true)
    case (.pendant, "cross"): return FormRule(gem: .optional, settings: [.pave], pearlOK: true, fixedCut: .round, clearOnlyForPave: false)
    case (.pendant, "bar"): return FormRule(gem: .optional, settings: [.channel], gemCount: 3...6)
    case (.pendant, "halo_drop"): return FormRule(gem: .required, settings: [.prong], fixedCut: .pear)
    case (.bangle, "round"): return FormRule(gem: .none, settings: [])
    case (.bangle, "cuff"): return FormRule(gem: .optional, settings: [.prong, .bezel], filigree: true)
    case (.bangle, "stone_set"): return FormRule(gem: .required, settings: [.channel, .pave], gemCount: 5...11)
    case (.bangle, "twisted"): return FormRule(gem: .none, settings: [])
    case (.other, "brooch"): return FormRule(gem: .optional, settings: [.prong], pearlOK: true, filigree: true, accentCount: 5...8, accentChance: 0.5)
    case (.other, "anklet"): return FormRule(gem: .optional, settings: [.bezel], fixedCut: .round, gemCount: 5...8)
    case (.other, "cufflinks"): return FormRule(gem: .optional, settings: [.bezel], needsPattern: true)
    default: return FormRule(gem: .optional, settings: [.prong])
    }
}

struct DesignSampler {
    var profile: Profile

    func metal(_ r: inout SplitMix64) -> (Metal, Purity, Plating) {
        switch profile {
        case .aurelia:
            let m = r.weighted([(Metal.yellowGold, 0.32), (.whiteGold, 0.22), (.roseGold, 0.18), (.platinum, 0.10), (.twoTone, 0.18)])
            if m == .platinum { return (m, .p950, .none) }
            var p = r.weighted([(Purity.k14, 0.38), (.k18, 0.55), (.k22, 0.07)])
            if p == .k22 && m != .yellowGold { p = .k18 }
            return (m, p, m == .whiteGold ? .rhodium : .none)
        case .northbridge, .marketplace:
            let silverShare = profile == .northbridge ? 0.82 : 0.55
            let rest = 1 - silverShare
            let m = r.weighted([(Metal.silver, silverShare), (.yellowGold, rest * 0.35), (.roseGold, rest * 0.2),
                                (.whiteGold, profile == .marketplace ? rest * 0.2 : 0), (.twoTone, rest * 0.25)])
            switch m {
            case .silver:
                return (m, .s925, r.weighted([(Plating.none, 0.45), (.rhodium, 0.30), (.goldVermeil, 0.15), (.roseGoldPlated, 0.10)]))
            case .twoTone:
                return (m, profile == .northbridge ? .s925 : .k14, .none)
            case .whiteGold:
                return (m, r.chance(0.5) ? .k14 : .k18, .rhodium)
            default:
                return (m, r.chance(0.7) ? .k14 : .k18, .none)
            }
        }
    }

    func gem(_ r: inout SplitMix64, pearlOK: Bool) -> GemType {
        var w: [(GemType, Double)]
        switch profile {
        case .aurelia:
            w = [(.diamond, 0.48), (.ruby, 0.11), (.sapphire, 0.13), (.emerald, 0.11), (.pearl, 0.08), (.amethyst, 0.045), (.topaz, 0.045)]
        case .northbridge:
            w = [(.cubicZirconia, 0.40), (.amethyst, 0.13), (.topaz, 0.13), (.pearl, 0.14), (.sapphire, 0.07), (.ruby, 0.07), (.emerald, 0.06)]
        case .marketplace:
            w = [(.cubicZirconia, 0.36), (.diamond, 0.06), (.ruby, 0.09), (.sapphire, 0.09), (.emerald, 0.09), (.amethyst, 0.09), (.topaz, 0.09), (.pearl, 0.13)]
        }
        if !pearlOK { w.removeAll { $0.0 == .pearl } }
        return r.weighted(w)
    }

    func style(_ r: inout SplitMix64) -> Style {
        switch profile {
        case .aurelia: r.weighted([(Style.modern, 0.3), (.minimalist, 0.2), (.vintage, 0.2), (.statement, 0.15), (.ethnic, 0.15)])
        case .northbridge: r.weighted([(Style.minimalist, 0.3), (.modern, 0.3), (.vintage, 0.15), (.ethnic, 0.15), (.statement, 0.1)])
        case .marketplace: r.weighted([(Style.modern, 0.25), (.minimalist, 0.2), (.vintage, 0.2), (.statement, 0.2), (.ethnic, 0.15)])
        }
    }

    func sample(category c: Category, form: Int, designId: String, _ r: inout SplitMix64) -> Design {
        let formName = c.forms[form]
        let rule = formRule(c, formName)
        let (m, p, pl) = metal(&r)
        let st = style(&r)

        var craft: Craftsmanship
        switch st {
        case .vintage: craft = r.weighted([(Craftsmanship.filigree, 0.35), (.engraved, 0.35), (.plain, 0.2), (.textured, 0.1)])
        case .modern: craft = r.weighted([(Craftsmanship.plain, 0.6), (.textured, 0.2), (.engraved, 0.2)])
        case .ethnic: craft = r.weighted([(Craftsmanship.filigree, 0.4), (.textured, 0.3), (.engraved, 0.3)])
        case .minimalist: craft = r.weighted([(Craftsmanship.plain, 0.8), (.textured, 0.2)])
        case .statement: craft = r.weighted([(Craftsmanship.plain, 0.5), (.textured, 0.2), (.engraved, 0.3)])
        }
        if craft == .filigree && !rule.filigree { craft = .engraved }

        var pattern: Pattern
        switch st {
        case .vintage: pattern = r.weighted([(Pattern.floral, 0.6), (.abstract, 0.1), (.geometric, 0.1), (.none, 0.2)])
        case .modern: pattern = r.weighted([(Pattern.geometric, 0.45), (.abstract, 0.2), (.none, 0.35)])
        case .ethnic: pattern = r.weighted([(Pattern.floral, 0.45), (.geometric, 0.35), (.abstract, 0.2)])
        case .minimalist: pattern = r.weighted([(Pattern.none, 0.85), (.geometric, 0.15)])
        case .statement: pattern = r.weighted([(Pattern.abstract, 0.3), (.geometric, 0.3), (.floral, 0.2), (.none, 0.2)])
        }
        // Plain surfaces carry no pattern unless a motif is built as relief.
        if craft == .plain && !rule.needsPattern { pattern = .none }

        var gem: GemType = .none
        switch rule.gem {
        case .none: gem = .none
        case .pearl: gem = .pearl
        case .required: gem = self.gem(&r, pearlOK: rule.pearlOK)
        case .optional:
            let p = profile == .aurelia ? 0.7 : 0.55
            gem = r.chance(p) ? self.gem(&r, pearlOK: rule.pearlOK) : .none
        }

        var setting: Setting = .none
        var cut: Cut = .round
        var gemCount = 1
        var accent = false
        var accentCount = 0
        if gem != .none && gem != .pearl {
            setting = r.pick(rule.settings)
            if setting == .pave && rule.clearOnlyForPave && !gem.isClear {
                setting = rule.settings.contains(.channel) ? .channel : .prong
            }
            if let fixed = rule.fixedCut {
                cut = fixed
            } else if setting == .channel {
                cut = r.weighted([(Cut.round, 0.4), (.princess, 0.4), (.emerald, 0.2)])
            } else {
                cut = r.weighted([(Cut.round, 0.34), (.oval, 0.15), (.princess, 0.12), (.cushion, 0.1), (.emerald, 0.1),
                                  (.marquise, 0.06), (.pear, 0.07), (.cabochon, gem.isClear ? 0 : 0.08)])
            }
            if c == .earring && formName == "drop" && cut == .round { cut = .pear }
            if let gc = rule.gemCount { gemCount = r.int(gc) }
            if formName == "station" && gemCount % 2 == 0 { gemCount += 1 }
        } else if gem == .pearl {
            setting = .none
            cut = .round
            if formName == "pearl_strand" || formName == "pearl" { gemCount = 1 }
        } else {
            gemCount = 0
        }
        if let ac = rule.accentCount { accentCount = r.int(ac) }
        if gem != .none && rule.accentChance > 0 { accent = r.chance(rule.accentChance) }
        if formName == "brooch" && gem == .none { accent = r.chance(0.5) }

        if rule.needsPattern && gem == .none && pattern == .none {
            pattern = r.weighted([(Pattern.geometric, 0.4), (.floral, 0.4), (.abstract, 0.2)])
        }
        if setting == .pave && craft == .filigree { craft = .plain }

        var ringSizes: [String]? = nil
        var chain: [Int]? = nil
        switch c {
        case .ring:
            let lo = r.int(4...6), hi = r.int(8...10)
            ringSizes = (lo...hi).map(String.init)
        case .necklace:
            chain = r.subset([40, 45, 50, 55, 60], count: 1...3)
        case .pendant:
            chain = r.subset([40, 45, 50], count: 1...2)
        case .bracelet:
            chain = r.subset([16, 17, 18, 19, 20], count: 1...3)
        case .other where formName == "anklet":
            chain = r.subset([23, 25, 27], count: 1...2)
        default: break
        }
        if formName == "pearl_strand", let first = chain?.first { gemCount = first * 10 / 7 }
        if formName == "pearl", c == .bracelet, let first = chain?.first { gemCount = first * 10 / 7 }

        // Silver and fashion pieces carry cubic zirconia accents, fine jewelry diamonds.
        let accentGem: GemType = (p == .s925 || profile == .northbridge) ? .cubicZirconia : .diamond
        return Design(designId: designId, category: c, form: form, metal: m, purity: p, plating: pl, gem: gem, cut: cut,
                      gemCount: gemCount, accent: accent, accentGem: accentGem, accentCount: accentCount, setting: setting,
                      craftsmanship: craft, pattern: pattern, style: st,
                      shapeSeed: r.int(1...999_999), scale: rounded(r.double(0.9, 1.1), 3),
                      ringSizes: ringSizes, chainLengthsCm: chain)
    }
}

/// Camera choices per category (pitch range in degrees).
func pitchRange(_ d: Design) -> ClosedRange<Double> {
    switch d.category {
    case .ring: return 14...36
    case .earring: return d.formName == "drop" ? 50...72 : 24...46
    case .bangle: return d.formName == "cuff" ? 12...30 : 34...60
    case .necklace: return 48...72
    case .bracelet: return 46...70
    case .pendant: return 52...78
    case .other: return d.formName == "cufflinks" ? 35...60 : 46...72
    }
}

func makeView(_ d: Design, name: String, background: Background, _ r: inout SplitMix64) -> PhotoView {
    let pr = pitchRange(d)
    var pitch = r.double(pr.lowerBound, pr.upperBound)
    var yaw: Double
    switch name {
    case "front", "main": yaw = r.double(-12, 12)
    case "top": yaw = r.double(-20, 20); pitch = min(84, pr.upperBound + r.double(8, 16))
    case "side": yaw = (r.chance(0.5) ? -1 : 1) * r.double(50, 75)
    default: yaw = (r.chance(0.5) ? -1 : 1) * r.double(18, 40)
    }
    let light = (r.chance(0.5) ? -1 : 1) * r.double(20, 75)
    let hue = r.unit()
    let zoom = name == "detail" ? r.double(1.25, 1.45) : r.double(0.92, 1.08)
    return PhotoView(name: name, yaw: rounded(yaw, 1), pitch: rounded(pitch, 1), light: rounded(light, 1),
                     background: background, backgroundHue: rounded(hue, 3), zoom: rounded(zoom, 3))
}

func pickBackground(_ r: inout SplitMix64, white: Double, grey: Double, coloured: Double) -> Background {
    let textured = max(0, 1 - white - grey - coloured)
    let kind = r.weighted([(0, white), (1, grey), (2, coloured), (3, textured)])
    switch kind {
    case 0: return .white
    case 1: return .grey
    case 2: return .coloured
    default: return r.pick([Background.marble, .linen, .velvet, .wood])
    }
}
