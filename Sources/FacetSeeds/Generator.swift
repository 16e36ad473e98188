import Foundation

/// Sizes of the generated world.
public struct WorldOptions: Sendable {
    public var aureliaProducts = 312
    public var northbridgeProducts = 306
    public var listings = 1_520
    /// Share of listings that re-photograph a brand design, and that vary one.
    public var sameDesignShare = 0.12
    public var variantShare = 0.13
    /// Prefix of image paths as written in the JSON ("seeds" → "seeds/images/...").
    public var pathPrefix = "seeds"

    public init() {}
}

/// Builds the demo world deterministically from a seed.
public enum WorldGenerator {
    static let categoryWeights: [(Category, Double)] = [
        (.ring, 0.24), (.necklace, 0.14), (.earring, 0.17), (.bracelet, 0.12),
        (.pendant, 0.14), (.bangle, 0.09), (.other, 0.10),
    ]

    public static func generate(seed: UInt64, options: WorldOptions = WorldOptions()) -> SeedWorld {
        let root = SplitMix64(seed: seed)
        var designCounter = 0
        func nextDesignId() -> String {
            designCounter += 1
            return "D" + pad(designCounter, 5)
        }
        let prefix = normalisePrefix(options.pathPrefix)
        var images: [ImageRecord] = []

        // ---------------------------------------------------------------- Aurelia
        var ra = root.fork(1)
        let aureliaSampler = DesignSampler(profile: .aurelia)
        var aureliaDesigns: [(String, Design)] = []
        var aurelia: [AureliaProduct] = []
        var skuNumber = 10
        for category in allocate(options.aureliaProducts, &ra) {
            skuNumber += ra.int(1...9)
            let sku = "AUR-\(category.skuLetter)-\(pad(skuNumber, 5))"
            let form = ra.int(0...(category.forms.count - 1))
            let design = aureliaSampler.sample(category: category, form: form, designId: nextDesignId(), &ra)
            let views = brandViews(design, whiteMain: 1.0, &ra)
            var paths: [String] = []
            for (i, v) in views.enumerated() {
                let path = "\(prefix)images/aurelia/\(sku)-\(i + 1).jpg"
                paths.append(path)
                images.append(ImageRecord(path: path, source: .aurelia, productId: sku, category: category, view: v.name,
                                          viewIndex: i + 1, attributes: design.attributes, designId: design.designId,
                                          relation: nil, relatedProductId: nil, scene: SceneSpec(design: design, view: v)))
            }
            aurelia.append(aureliaRecord(sku: sku, design: design, images: paths, &ra))
            aureliaDesigns.append((sku, design))
        }

        // ---------------------------------------------------------------- Northbridge
        var rn = root.fork(2)
        let northSampler = DesignSampler(profile: .northbridge)
        var northDesigns: [(String, Design)] = []
        var northbridge: [NorthbridgeItem] = []
        var itemNumber = 10_000
        for category in allocate(options.northbridgeProducts, &rn) {
            itemNumber += rn.int(1...17)
            let id = "NB-\(itemNumber)"
            let form = rn.int(0...(category.forms.count - 1))
            let design = northSampler.sample(category: category, form: form, designId: nextDesignId(), &rn)
            let views = brandViews(design, whiteMain: 0.8, &rn)
            var media: [NorthbridgeItem.Media] = []
            for (i, v) in views.enumerated() {
                let path = "\(prefix)images/northbridge/\(id)-\(i + 1).jpg"
                media.append(.init(src: path, angle: v.name, position: i + 1))
                images.append(ImageRecord(path: path, source: .northbridge, productId: id, category: category, view: v.name,
                                          viewIndex: i + 1, attributes: design.attributes, designId: design.designId,
                                          relation: nil, relatedProductId: nil, scene: SceneSpec(design: design, view: v)))
            }
            northbridge.append(northbridgeRecord(id: id, design: design, media: media, &rn))
            northDesigns.append((id, design))
        }

        // ---------------------------------------------------------------- Marketplace
        var rm = root.fork(3)
        let suppliers = makeSuppliers(140, &rm)
        let marketSampler = DesignSampler(profile: .marketplace)
        let brandDesigns = aureliaDesigns + northDesigns
        let nSame = Int(Double(options.listings) * options.sameDesignShare)
        let nVariant = Int(Double(options.listings) * options.variantShare)
        // Which brand products are copied or varied: distinct picks.
        var pool = Array(brandDesigns.indices)
        var plan: [(String, Int?)] = []
        for _ in 0..<nSame { plan.append(("same_design", pool.remove(at: rm.int(0...(pool.count - 1))))) }
        for _ in 0..<nVariant { plan.append(("variant", pool.remove(at: rm.int(0...(pool.count - 1))))) }
        for _ in 0..<(options.listings - nSame - nVariant) { plan.append(("unrelated", nil)) }
        // Shuffle so that relations are spread through the result pages.
        for i in stride(from: plan.count - 1, to: 0, by: -1) { plan.swapAt(i, rm.int(0...i)) }

        var usedIds = Set<String>()
        var listings: [MarketplaceListing] = []
        let unrelatedCategories = allocate(options.listings - nSame - nVariant, &rm)
        var unrelatedIndex = 0
        for (relation, brandIndex) in plan {
            var id: String
            repeat { id = "1600" + pad(rm.int(0...999_999_999), 9) } while usedIds.contains(id)
            usedIds.insert(id)

            var design: Design
            var relatedId: String? = nil
            var differs: [String]? = nil
            switch relation {
            case "same_design":
                let (sku, d) = brandDesigns[brandIndex!]
                design = d
                relatedId = sku
            case "variant":
                let (sku, d) = brandDesigns[brandIndex!]
                relatedId = sku
                (design, differs) = makeVariant(of: d, designId: nextDesignId(), &rm)
            default:
                let category = unrelatedCategories[unrelatedIndex]
                unrelatedIndex += 1
                let form = rm.int(0...(category.forms.count - 1))
                design = marketSampler.sample(category: category, form: form, designId: nextDesignId(), &rm)
            }

            let viewCount = rm.chance(0.1) ? 2 : 1
            var paths: [String] = []
            for i in 0..<viewCount {
                let bg = pickBackground(&rm, white: 0.45, grey: 0.15, coloured: 0.2)
                let v = makeView(design, name: i == 0 ? "main" : rm.pick(["angle", "top", "side", "detail"]), background: bg, &rm)
                let path = "\(prefix)images/marketplace/\(id)-\(i + 1).jpg"
                paths.append(path)
                images.append(ImageRecord(path: path, source: .marketplace, productId: id, category: design.category,
                                          view: v.name, viewIndex: i + 1, attributes: design.attributes,
                                          designId: design.designId, relation: relation, relatedProductId: relatedId,
                                          scene: SceneSpec(design: design, view: v)))
            }
            let supplier = suppliers[rm.int(0...(suppliers.count - 1))]
            listings.append(listingRecord(id: id, design: design, supplier: supplier, images: paths,
                                          truth: .init(attributes: design.attributes, designId: design.designId,
                                                       relation: relation,
                                                       sameDesignAs: relation == "same_design" ? relatedId : nil,
                                                       variantOf: relation == "variant" ? relatedId : nil,
                                                       differs: differs), &rm))
        }

        return SeedWorld(seed: seed, aurelia: aurelia, northbridge: northbridge, listings: listings, images: images)
    }

    // MARK: helpers

    static func normalisePrefix(_ p: String) -> String {
        var s = p
        while s.hasPrefix("./") { s.removeFirst(2) }
        while s.hasSuffix("/") { s.removeLast() }
        return s.isEmpty || s == "." ? "" : s + "/"
    }

    /// Exactly n categories with the target shares, every category present, shuffled.
    static func allocate(_ n: Int, _ r: inout SplitMix64) -> [Category] {
        var list: [Category] = []
        for (c, w) in categoryWeights { list += Array(repeating: c, count: max(1, Int(Double(n) * w))) }
        while list.count < n { list.append(.ring) }
        while list.count > n { list.removeLast() }
        for i in stride(from: list.count - 1, to: 0, by: -1) { list.swapAt(i, r.int(0...i)) }
        return list
    }

    static func brandViews(_ d: Design, whiteMain: Double, _ r: inout SplitMix64) -> [PhotoView] {
        let n = r.weighted([(2, 0.75), (3, 0.20), (4, 0.05)])
        var views = [makeView(d, name: "front", background: r.chance(whiteMain) ? .white : .grey, &r)]
        let names = ["angle", "top", "side", "detail", "lifestyle"]
        var available = names
        for _ in 1..<n {
            let name = available.remove(at: r.int(0...(available.count - 1)))
            let bg: Background = name == "lifestyle"
                ? r.pick([.coloured, .marble, .linen, .velvet, .wood])
                : pickBackground(&r, white: 0.45, grey: 0.3, coloured: 0.15)
            views.append(makeView(d, name: name, background: bg, &r))
        }
        return views
    }

    static func makeVariant(of d: Design, designId: String, _ r: inout SplitMix64) -> (Design, [String]) {
        var v = d
        v.designId = designId
        let canSwapGem = d.gem != .none && d.gem != .pearl && d.setting != .pave
        if canSwapGem && r.chance(0.5) {
            let options: [GemType] = [.diamond, .cubicZirconia, .ruby, .sapphire, .emerald, .amethyst, .topaz]
                .filter { $0 != d.gem && !($0.isClear && d.gem.isClear) }
            v.gem = r.pick(options)
            if v.cut == .cabochon && v.gem.isClear { v.cut = .oval }
            return (v, ["gemstone"])
        }
        switch d.metal {
        case .silver:
            v.plating = r.pick([Plating.none, .rhodium, .goldVermeil, .roseGoldPlated].filter { p in
                p != d.plating && !([Plating.none, .rhodium].contains(p) && [Plating.none, .rhodium].contains(d.plating))
            })
        case .platinum:
            v.metal = r.pick([.yellowGold, .roseGold]); v.purity = .k18
        case .twoTone:
            v.metal = r.pick([.yellowGold, .roseGold]); if v.purity == .s925 { v.metal = .silver }
        default:
            let others: [Metal] = [.yellowGold, .roseGold, .whiteGold].filter { $0 != d.metal }
            v.metal = r.pick(others)
            v.plating = v.metal == .whiteGold ? .rhodium : .none
            if v.purity == .k22 { v.purity = .k18 }
        }
        if v.metal == .whiteGold { v.plating = .rhodium } else if v.metal != .silver { v.plating = .none }
        return (v, ["metal"])
    }

    // MARK: commerce

    static func gramsEstimate(_ d: Design) -> Double {
        let base: Double
        switch d.category {
        case .ring: base = d.formName == "signet" || d.formName == "band" ? 5.5 : 3.2
        case .necklace: base = d.formName == "pearl_strand" ? 2 : 7
        case .earring: base = d.formName == "hoop" ? 4 : 2.2
        case .bracelet: base = d.formName == "link" ? 14 : 8
        case .pendant: base = 3.5
        case .bangle: base = d.formName == "cuff" ? 22 : 16
        case .other: base = 6
        }
        return base * d.scale
    }

    static func metalCentsPerGram(_ d: Design) -> Double {
        switch d.purity {
        case .k14: 3_900
        case .k18: 5_300
        case .k22: 6_400
        case .p950: 3_700
        case .s925: d.plating == .none ? 95 : 120
        }
    }

    static func stoneCents(_ g: Gemstone) -> Double {
        let big = g.role == "center" && g.count <= 3
        let each: Double
        switch g.type {
        case .diamond: each = big ? 65_000 : 1_600
        case .ruby: each = big ? 32_000 : 1_200
        case .sapphire: each = big ? 28_000 : 1_100
        case .emerald: each = big ? 26_000 : 1_000
        case .amethyst: each = big ? 3_500 : 300
        case .topaz: each = big ? 3_000 : 280
        case .pearl: each = big ? 4_000 : 350
        case .cubicZirconia: each = big ? 250 : 25
        case .none: each = 0
        }
        return each * Double(g.count)
    }

    static func costCents(_ d: Design, _ r: inout SplitMix64) -> Int {
        var c = gramsEstimate(d) * metalCentsPerGram(d)
        for g in d.attributes.gemstones { c += stoneCents(g) }
        c += d.purity == .s925 ? 600 : 9_000
        if d.craftsmanship == .filigree { c *= 1.25 } else if d.craftsmanship == .engraved { c *= 1.1 }
        c *= r.double(0.88, 1.15)
        let step = c > 100_000 ? 500.0 : (c > 10_000 ? 100 : 5)
        return Int((c / step).rounded() * step)
    }

    static func title(_ d: Design) -> String {
        let a = d.attributes
        var parts: [String] = []
        if d.style != .minimalist && d.style != .modern { parts.append(d.style.rawValue.capitalized) }
        if d.pattern != .none { parts.append(d.pattern.rawValue.capitalized) }
        if d.craftsmanship != .plain { parts.append(d.craftsmanship.rawValue.capitalized) }
        parts.append(d.formName.replacingOccurrences(of: "_", with: " ").capitalized)
        var noun = d.category.rawValue.capitalized
        if d.category == .other { noun = "" }
        if d.category == .necklace && d.formName.contains("necklace") { noun = "" }
        if !noun.isEmpty { parts.append(noun) }
        var metal: String
        switch d.metal {
        case .silver: metal = "Sterling Silver"
        case .platinum: metal = "Platinum"
        case .twoTone where d.purity == .s925: metal = "Two-Tone Sterling Silver"
        default: metal = "\(d.purity.rawValue.uppercased()) \(d.metal.label.capitalized)"
        }
        if d.plating == .goldVermeil { metal = "Gold Vermeil" }
        if d.plating == .roseGoldPlated { metal += " Rose Gold Plated" }
        parts.append("in " + metal)
        if let g = a.gemstones.first {
            parts.append("with " + g.type.label.capitalized)
        }
        return parts.joined(separator: " ")
    }

    static func aureliaRecord(sku: String, design d: Design, images: [String], _ r: inout SplitMix64) -> AureliaProduct {
        let a = d.attributes
        let cost = costCents(d, &r)
        var tiers: [AureliaProduct.PriceTier] = []
        if r.chance(0.45) {
            tiers = [.init(min_qty: 10, unit_cost_cents: cost * 95 / 100), .init(min_qty: 25, unit_cost_cents: cost * 90 / 100)]
            if r.chance(0.4) { tiers.append(.init(min_qty: 100, unit_cost_cents: cost * 85 / 100)) }
        }
        let primary = a.gemstones.first { $0.role != "accent" }
        let accent = a.gemstones.first { $0.role == "accent" }
        return AureliaProduct(
            sku: sku, title: title(d), category: d.category.rawValue, sub_type: d.formName,
            metal_type: d.metal.rawValue, metal_purity: d.purity.rawValue, plating: d.plating.rawValue,
            gemstone_type: primary?.type.rawValue ?? "none", gemstone_color: primary?.color ?? "none",
            gemstone_cut: primary?.cut.rawValue ?? "none", gemstone_count: primary?.count ?? 0,
            accent_gemstone_type: accent?.type.rawValue ?? "none", accent_gemstone_count: accent?.count ?? 0,
            style: d.style.rawValue, craftsmanship: d.craftsmanship.rawValue, pattern: d.pattern.rawValue,
            setting_type: d.setting.rawValue, ring_sizes: d.ringSizes?.joined(separator: ","),
            chain_lengths_cm: d.chainLengthsCm?.map(String.init).joined(separator: ","),
            base_cost_cents: cost, currency: "USD", moq: r.pick([1, 1, 2, 3, 5]), price_tiers: tiers,
            stock_qty: r.chance(0.12) ? 0 : r.int(1...60), lead_time_ready_days: r.int(2...7),
            lead_time_made_to_order_days: r.int(14...42), image_paths: images,
            status: r.chance(0.03) ? "discontinued" : "active",
            updated_at: timestamp(&r))
    }

    static func northbridgeRecord(id: String, design d: Design, media: [NorthbridgeItem.Media], _ r: inout SplitMix64) -> NorthbridgeItem {
        let a = d.attributes
        let cost = costCents(d, &r)
        let material: String
        switch d.metal {
        case .silver: material = "sterling silver"
        case .twoTone: material = d.purity == .s925 ? "sterling silver, two tone" : "gold, two tone"
        default: material = d.metal.label
        }
        let finish: String
        switch d.plating {
        case .none: finish = "polished"
        case .rhodium: finish = "rhodium plated"
        case .goldVermeil: finish = "gold vermeil"
        case .roseGoldPlated: finish = "rose gold plated"
        }
        let details = NorthbridgeItem.Details(
            material: material, fineness: d.purity.rawValue, finish: finish,
            stones: a.gemstones.map { .init(stone: $0.type.label, hue: $0.color, shape: $0.cut.rawValue, qty: $0.count) },
            look: d.style.rawValue, technique: d.craftsmanship.rawValue,
            motif: d.pattern == .none ? "plain" : d.pattern.rawValue,
            mount: d.setting == .none ? "none" : d.setting.rawValue + " set",
            silhouette: d.formName.replacingOccurrences(of: "_", with: " "))
        var options: [(String, String)] = []
        if let sizes = d.ringSizes { options = sizes.map { ("size", $0) } }
        else if let lengths = d.chainLengthsCm { options = lengths.map { ("length", "\($0) cm") } }
        else { options = [("size", "one size")] }
        let minOrder = r.pick([6, 12, 12, 24])
        let lead = NorthbridgeItem.LeadTime(inStockDays: r.int(1...5), madeToOrderDays: r.int(10...30))
        let withTiers = r.chance(0.5)
        var variants: [NorthbridgeItem.Variant] = []
        for (i, (key, value)) in options.enumerated() {
            let c = cost + (key == "length" ? i * cost / 20 : 0)
            let tiers: [NorthbridgeItem.Tier] = withTiers
                ? [.init(fromQty: 50, price: decimal(c * 94 / 100)), .init(fromQty: 200, price: decimal(c * 88 / 100))] : []
            let suffix = value.replacingOccurrences(of: " cm", with: "").replacingOccurrences(of: "one size", with: "OS")
            variants.append(.init(variantId: "\(id)-\(suffix)", option: [key: value], price: decimal(c), currency: "USD",
                                  onHand: r.chance(0.15) ? 0 : r.int(3...250), minOrder: minOrder, tiers: tiers,
                                  leadTime: lead))
        }
        let handle = title(d).lowercased().replacingOccurrences(of: " ", with: "-") + "-" + id.lowercased()
        return NorthbridgeItem(itemId: id, handle: handle, title: title(d), productType: d.category.rawValue.capitalized,
                               details: details, variants: variants, media: media, active: !r.chance(0.03),
                               lastModified: timestamp(&r))
    }

    static func makeSuppliers(_ n: Int, _ r: inout SplitMix64) -> [MarketplaceListing.Supplier] {
        let cn = ["Yiwu", "Guangzhou", "Shenzhen", "Dongguan", "Qingdao", "Wuzhou", "Xiamen", "Haifeng", "Putian", "Hangzhou"]
        let others = [("Jaipur", "IN"), ("Mumbai", "IN"), ("Bangkok", "TH"), ("Istanbul", "TR"), ("Surat", "IN"), ("Chanthaburi", "TH")]
        let words = ["Shine", "Jinyu", "Starry", "Golden Leaf", "Aurora", "Huayi", "Lucky Star", "Zhenxi", "Meiya", "Baoli",
                     "Crystal Rain", "Fortune", "Silver Moon", "Jewel Land", "Oriental", "Kingdom", "Elegant", "Bling",
                     "Rising Sun", "Sparkle", "Lotus", "Everbright", "Treasure", "Fine Art"]
        let kinds = ["Jewelry Co., Ltd.", "Jewellery Factory", "Ornaments Co., Ltd.", "Trading Co., Ltd.",
                     "Jewelry Manufacturer", "Crafts Co., Ltd.", "Gems & Jewelry Co."]
        var out: [MarketplaceListing.Supplier] = []
        var names = Set<String>()
        while out.count < n {
            let foreign = r.chance(0.18)
            let (city, country) = foreign ? r.pick(others) : (r.pick(cn), "CN")
            let name = "\(city) \(r.pick(words)) \(r.pick(kinds))"
            if names.contains(name) { continue }
            names.insert(name)
            out.append(.init(name: name, country: country, yearsOnPlatform: r.int(1...16),
                             rating: rounded(r.double(4.0, 5.0), 1), reviewCount: r.int(3...2400),
                             responseRate: "\(r.int(78...100))%",
                             responseTime: r.pick(["≤1h", "≤2h", "≤3h", "≤5h", "≤12h", "≤24h"]),
                             verified: r.chance(0.55)))
        }
        return out
    }

    static func listingTitle(_ d: Design, _ r: inout SplitMix64) -> String {
        var w: [String] = []
        w.append(r.pick(["2024 New", "2025 Hot Sale", "Wholesale", "Factory Direct", "Trendy", "Fashion", "Luxury",
                         "Custom Logo", "Dropshipping", "High Quality", "New Arrival"]))
        switch (d.metal, d.plating) {
        case (.silver, .goldVermeil): w.append(r.pick(["18K Gold Plated 925 Sterling Silver", "Gold Vermeil S925"]))
        case (.silver, .roseGoldPlated): w.append("Rose Gold Plated 925 Silver")
        case (.silver, _): w.append(r.pick(["925 Sterling Silver", "S925 Silver", "Sterling Silver 925"]))
        case (.platinum, _): w.append("PT950 Platinum")
        case (.twoTone, _): w.append(r.pick(["Two Tone", "Dual Color Gold"]))
        default: w.append("\(d.purity.rawValue.uppercased()) \(r.pick(["Solid", "Real", "Au750"].filter { $0 != "Au750" || d.purity == .k18 })) \(d.metal.label.capitalized)")
        }
        if let g = d.attributes.gemstones.first {
            switch g.type {
            case .cubicZirconia: w.append(r.pick(["CZ Zircon", "Cubic Zirconia", "AAA Zircon Diamond"]))
            case .diamond: w.append(r.pick(["Natural Diamond", "VVS Diamond", "Real Diamond"]))
            case .pearl: w.append(r.pick(["Freshwater Pearl", "Baroque Pearl", "Natural Pearl"]))
            default: w.append(r.pick(["Natural", "Lab Created", "Gemstone"]) + " " + g.type.label.capitalized)
            }
        }
        let form = d.formName.replacingOccurrences(of: "_", with: " ").capitalized
        let noun: [String]
        switch d.category {
        case .ring: noun = ["Ring", "Rings for Women", "Engagement Ring", "Wedding Band", "Finger Ring"]
        case .necklace: noun = ["Necklace", "Choker Necklace", "Chain Necklace", "Collar"]
        case .earring: noun = ["Earrings", "Stud Earrings", "Earring for Women", "Ear Jewelry"]
        case .bracelet: noun = ["Bracelet", "Chain Bracelet", "Wrist Jewelry", "Bracelets for Women"]
        case .pendant: noun = ["Pendant", "Charm Pendant", "Pendant Necklace", "Necklace Pendant"]
        case .bangle: noun = ["Bangle", "Cuff Bangle", "Bangles Bracelet", "Kada"]
        case .other: noun = d.formName == "anklet" ? ["Anklet", "Foot Chain", "Ankle Bracelet"]
            : (d.formName == "brooch" ? ["Brooch", "Brooch Pin", "Corsage"] : ["Cufflinks", "Shirt Cufflinks", "Men Cuff Links"])
        }
        w.append(form)
        w.append(r.pick(noun))
        let extras = ["Women", "Men", "Girls", "Ladies", "Wedding", "Engagement", "Party", "Gift", "Fine Jewelry",
                      "Jewellery", "Bridal", "Anniversary", "Vintage", "Minimalist", "Statement", "Bohemian", "Dainty",
                      "Hypoallergenic", "Tarnish Free", "OEM ODM", "Wholesale Bulk", "Hip Hop", "Elegant", "Luxury Gift"]
        w += r.subset(extras, count: 4...8)
        if d.pattern != .none { w.append(d.pattern.rawValue.capitalized) }
        if d.craftsmanship != .plain { w.append(d.craftsmanship.rawValue.capitalized) }
        w.append(r.pick(noun))
        return w.joined(separator: " ")
    }

    static func listingRecord(id: String, design d: Design, supplier s: MarketplaceListing.Supplier, images: [String],
                              truth: MarketplaceListing.GroundTruth, _ r: inout SplitMix64) -> MarketplaceListing {
        let cost = Double(costCents(d, &r))
        let factor = d.purity == .s925 ? r.double(0.35, 0.6) : r.double(0.45, 0.7)
        let low = max(45, Int(cost * factor))
        let high = Int(Double(low) * r.double(1.25, 1.9))
        let unit = (d.category == .earring || d.formName == "cufflinks") ? "pairs" : "pieces"
        let moq = r.pick(d.purity == .s925 || d.plating != .none ? [2, 5, 10, 12, 20, 30, 50, 100, 200, 300, 500] : [1, 2, 3, 5, 10, 20])
        let lo = r.int(3...15)
        return MarketplaceListing(
            id: id, url: "/product-detail/\(id).html", title: listingTitle(d, &r), category: d.category.rawValue,
            priceText: "US $\(decimal(low))-\(decimal(high))", moqText: "\(moq) \(moq == 1 ? String(unit.dropLast()) : unit)",
            leadTimeText: "\(lo)-\(lo + r.int(5...25)) days",
            shippingText: r.pick(["Shipping per piece: US $1.20", "Free shipping", "Shipping fee to be negotiated", "Shipping per piece: US $0.85"]),
            soldText: "\(r.int(0...4000)) sold", supplier: s, mainImage: images[0], extraImages: Array(images.dropFirst()),
            groundTruth: truth)
    }
}

func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// Cents → "42.50".
func decimal(_ cents: Int) -> String {
    "\(cents / 100).\(pad(cents % 100, 2))"
}

/// A fixed-format timestamp in 2026 drawn from the generator (never the clock).
func timestamp(_ r: inout SplitMix64) -> String {
    let month = r.int(1...10), day = r.int(1...28), h = r.int(0...23), m = r.int(0...59), s = r.int(0...59)
    return "2026-\(pad(month, 2))-\(pad(day, 2))T\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2))Z"
}
