import FacetCore
import FacetSourcing
import Foundation

/// Turns a catalog product into the buyer's offer: our own title and specifications (never
/// the brand's words or SKU), our photos, and prices with the markup applied.
struct OfferBuilder {
    let markups: MarkupTable

    func inventory(id: String, product: CatalogProduct, files: [String], similarity: Double,
                   matches: [String: AttributeMatch], live: LiveCheck?) throws -> Offer {
        let stock = live?.stock ?? product.stock
        let base = live.map { Money(amount: $0.baseCost.amount, currency: $0.baseCost.currency) }
            ?? Money(amount: product.baseCost.amount, currency: product.baseCost.currency)
        let price = try markups.price(base: base, category: product.category)
        let ready = stock >= max(1, product.moq)
        let days = ready ? (product.leadTimes.readyDays ?? 5) : (product.leadTimes.madeToOrderDays ?? 30)
        return Offer(id: id, title: Self.title(product), category: product.category, source: .inventory,
                     images: files.map(ImageURL.path), price: price, priceRange: nil,
                     priceTiers: try product.priceTiers.map {
                         OfferTier(minQuantity: $0.minQuantity,
                                   unitPrice: try markups.price(base: Money(amount: $0.unitCost, currency: base.currency), category: product.category))
                     },
                     moq: product.moq, moqUnit: product.category == .earring ? "pairs" : "pieces",
                     deliveryDays: DayRange(min: days, max: days + (ready ? 2 : 7)),
                     availability: ready ? "ready_stock" : "on_order", availableQuantity: stock,
                     stockAsOf: live?.asOf, stockLive: live?.live, similarity: similarity, matches: matches,
                     specifications: Self.specifications(product))
    }

    /// A marketplace listing as our own sourced-to-order offering: an approximate range (listed
    /// × (1 + marketplace markup), widened to whole units), delivery = lead time plus shipping,
    /// and nothing of the supplier, its title or its address.
    func marketplace(id: String, listing: MarketplaceListing, similarity: Double, matches: [String: AttributeMatch]) throws -> Offer {
        let range = try markups.approximate(listing.price, category: listing.category)
        let lead = listing.leadTimeDays ?? DayRange(min: 15, max: 30)
        var specs: [String: String] = [:]
        for key in ["metal", "purity", "plating", "metalColor", "setting", "craftsmanship", "pattern", "style", "cut"] {
            if let v = listing.attributes[key] { specs[key] = v }
        }
        if let gem = listing.attributes["gemstone"] {
            specs["gemstones"] = [listing.attributes["stoneColor"], gem.replacingOccurrences(of: "_", with: " ")].compactMap { $0 }.joined(separator: " ")
        } else if let stones = Self.stonesPhrase(listing.attributes) {
            specs["gemstones"] = stones
        }
        return Offer(id: id, title: Self.title(category: listing.category, attributes: listing.attributes), category: listing.category,
                     source: .marketplace, images: listing.imageFiles.map(ImageURL.path), price: nil, priceRange: range, priceTiers: [],
                     moq: max(1, listing.moq.amount), moqUnit: listing.moq.unit,
                     deliveryDays: DayRange(min: lead.min + Self.shippingDays.min, max: lead.max + Self.shippingDays.max),
                     availability: "sourced_to_order", availableQuantity: nil, stockAsOf: nil, stockLive: nil,
                     similarity: similarity, matches: matches, specifications: specs)
    }

    /// Sea-air consolidated freight from the workshop to the buyer, added to a sourced item's lead time.
    static let shippingDays = DayRange(min: 7, max: 12)

    static func title(category: Category, attributes a: [String: String]) -> String {
        var parts = [category.rawValue.prefix(1).uppercased() + category.rawValue.dropFirst()]
        let metal = [a["purity"], a["metal"]?.replacingOccurrences(of: "_", with: " ")].compactMap { $0 }.joined(separator: " ")
        if !metal.isEmpty {
            parts.append(metal)
            if let plating = a["plating"], plating != "none" { parts.append(plating == "gold_vermeil" ? "gold plated" : plating.replacingOccurrences(of: "_", with: " ")) }
        } else if let colour = a["metalColor"] {
            parts.append(colour.replacingOccurrences(of: "_", with: "-") + " metal")
        }
        if let gem = a["gemstone"] { parts.append(gem.replacingOccurrences(of: "_", with: " ")) } else if let stones = stonesPhrase(a) { parts.append(stones) }
        if let style = a["style"] { parts.append(style) }
        return parts.joined(separator: ", ")
    }

    /// What the photo showed of the stones when the title names none ("blue stones", "pearls").
    static func stonesPhrase(_ a: [String: String]) -> String? {
        switch a["stones"] {
        case "clear"?: "clear stones"
        case "coloured"?: a["stoneColor"].map { "\($0) stones" } ?? "coloured stones"
        case "pearl"?: "pearls"
        default: nil
        }
    }

    /// "Eternity ring, 14k yellow gold, diamond": built from attributes, not the brand's title.
    static func title(_ p: CatalogProduct) -> String {
        func text(_ key: String) -> String? {
            if case let .text(v)? = p.attributes[key], v != "none", !v.isEmpty { return v.replacingOccurrences(of: "_", with: " ") }
            return nil
        }
        var head = p.category.rawValue
        if let type = text("type"), !type.contains(p.category.rawValue) { head = "\(type) \(p.category.rawValue)" }
        var parts = [head.prefix(1).uppercased() + head.dropFirst()]
        let metal = [text("purity"), text("metal")].compactMap { $0 }.joined(separator: " ")
        if !metal.isEmpty { parts.append(metal) }
        if let gem = p.gemstones.first(where: { $0.role == "center" }) ?? p.gemstones.first {
            parts.append(gem.type.replacingOccurrences(of: "_", with: " "))
        }
        return parts.joined(separator: ", ")
    }

    static func specifications(_ p: CatalogProduct) -> [String: String] {
        var specs: [String: String] = [:]
        for key in ["type", "metal", "purity", "plating", "setting", "craftsmanship", "pattern", "style"] {
            if case let .text(v)? = p.attributes[key] { specs[key] = v }
        }
        if case let .list(sizes)? = p.attributes["ringSizes"] { specs["ringSizes"] = sizes.joined(separator: ", ") }
        if case let .list(lengths)? = p.attributes["chainLengthsCm"] { specs["chainLengthsCm"] = lengths.joined(separator: ", ") }
        if !p.gemstones.isEmpty {
            specs["gemstones"] = p.gemstones.map { g in
                [String(g.count), "×", g.cut, g.color, g.type.replacingOccurrences(of: "_", with: " "), "(\(g.role))"]
                    .compactMap { $0 }.joined(separator: " ")
            }.joined(separator: "; ")
        }
        return specs
    }
}
