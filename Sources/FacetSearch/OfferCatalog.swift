import FacetCore
import FacetMatching
import FacetSourcing
import FacetStore
import Foundation

/// What one search knows about the items its candidates point at: catalog products and
/// marketplace listings, their buyer prices, and how to turn them into offers.
final class OfferCatalog {
    let features: FeatureStore
    let readings: PhotoReadings
    let marketplace: MarketplaceService?
    let searches: SearchStore
    let builder: OfferBuilder
    let currency: String
    let maxPrice: Int64?
    private(set) var products: [String: (product: CatalogProduct, files: [String])] = [:]
    private(set) var listings: [String: MarketplaceListing] = [:]
    /// Offer ids by ref, read with the candidates: one read per search rather than one per offer.
    private var offerIds: [String: String] = [:]

    init(features: FeatureStore, readings: PhotoReadings, marketplace: MarketplaceService?, searches: SearchStore, markups: MarkupTable, currency: String, maxPrice: Int64?) {
        self.features = features
        self.readings = readings
        self.marketplace = marketplace
        self.searches = searches
        self.builder = OfferBuilder(markups: markups)
        self.currency = currency
        self.maxPrice = maxPrice
    }

    static func sku(_ item: IndexedItem) -> String { String(item.ref.dropFirst(4)) }
    static func listingId(_ item: IndexedItem) -> String { String(item.ref.dropFirst(3)) }

    /// Reads the candidates' products and listings, and the offer ids of those that can be offered,
    /// issuing the missing ones together (one by one, a fresh server's first searches wrote a
    /// transaction per design shown).
    func load(_ candidates: [Candidate]) throws {
        try load(refs: candidates.map(\.item.ref))
        let unknown = candidates.map(\.item).filter { offerIds[$0.ref] == nil && available($0) }
        offerIds.merge(try searches.issueOfferIds(unknown.map { (source: $0.source.rawValue, ref: $0.ref) })) { kept, _ in kept }
    }

    /// Reads the products (`inv:` refs) and listings (`mk:` refs) not held yet.
    func load(refs: [String]) throws {
        let skus = refs.filter { $0.hasPrefix("inv:") }.map { String($0.dropFirst(4)) }.filter { products[$0] == nil }
        for (sku, p) in try features.products(skus: skus) { products[sku] = p }
        let missing = refs.filter { $0.hasPrefix("mk:") }.map { String($0.dropFirst(3)) }.filter { listings[$0] == nil }
        if let marketplace, !missing.isEmpty {
            for (id, l) in try marketplace.listings(ids: Array(Set(missing))) { listings[id] = l }
        }
    }

    func add(_ new: [MarketplaceListing]) { for l in new { listings[l.id] = l } }

    func available(_ item: IndexedItem) -> Bool {
        switch item.source {
        case .inventory: return products[Self.sku(item)]?.product.status == .active
        case .marketplace: return listings[Self.listingId(item)].map { !$0.imageFiles.isEmpty } ?? false
        }
    }

    /// The buyer's maximum applies to what the buyer would pay: our price after markup, or the
    /// bottom of a sourced item's approximate range.
    func withinBudget(_ item: IndexedItem) -> Bool {
        guard available(item) else { return false }
        guard let maxPrice else { return true }
        switch item.source {
        case .inventory:
            let p = products[Self.sku(item)]!.product
            // A price too large to compute is over any limit a buyer can set.
            guard p.baseCost.currency == currency,
                  let price = try? builder.markups.price(base: Money(amount: p.baseCost.amount, currency: p.baseCost.currency), category: p.category)
            else { return false }
            return price.amount <= maxPrice
        case .marketplace:
            guard let l = listings[Self.listingId(item)], l.price.currency == currency,
                  let range = try? builder.markups.approximate(l.price, category: l.category) else { return false }
            return range.min <= maxPrice
        }
    }

    func offer(_ c: Candidate, attributes: QueryAttributes, live: LiveCheck? = nil) throws -> Offer? {
        guard available(c.item) else { return nil }
        return try offer(ref: c.item.ref, id: try offerId(c.item), similarity: c.similarity, attributes: attributes, live: live)
    }

    private func offerId(_ item: IndexedItem) throws -> String {
        if let id = offerIds[item.ref] { return id }
        let id = try searches.offerId(source: item.source.rawValue, ref: item.ref)
        offerIds[item.ref] = id
        return id
    }

    /// The offer for a loaded product or listing; nil when it is unknown or no longer active.
    /// `matches` compares with the upload's attributes when there are any.
    func offer(ref: String, id: String, similarity: Double, attributes: QueryAttributes?, live: LiveCheck? = nil) throws -> Offer? {
        if ref.hasPrefix("inv:") {
            guard let p = products[String(ref.dropFirst(4))], p.product.status == .active else { return nil }
            let matches = attributes.map { AttributeComparison.matches($0, ProductLabels.labels(of: p.product)) } ?? [:]
            return try builder.inventory(id: id, product: p.product, files: p.files, similarity: similarity, matches: matches, live: live)
        }
        guard var l = listings[String(ref.dropFirst(3))] else { return nil }
        l.attributes = listingAttributes(l)
        let matches = attributes.map { AttributeComparison.matches($0, ProductLabels.labels(guessed: l.attributes)) } ?? [:]
        return try builder.marketplace(id: id, listing: l, similarity: similarity, matches: matches)
    }

    /// The listing's attributes with what its main photo showed folded in (`ListingDescription`);
    /// the title's alone until the photo has been analysed.
    func listingAttributes(_ l: MarketplaceListing) -> [String: String] {
        ListingDescription.describe(l.attributes, photo: l.imageFiles.first.flatMap(readings.reading(file:)))
    }
}
