import FacetCore
import FacetMatching
import FacetSourcing
import FacetStore
import Foundation

/// What one search knows about the items its candidates point at: catalog products and
/// marketplace listings, their buyer prices, and how to turn them into offers.
final class OfferCatalog {
    let features: FeatureStore
    let marketplace: MarketplaceService?
    let searches: SearchStore
    let builder: OfferBuilder
    let currency: String
    let maxPrice: Int64?
    private(set) var products: [String: (product: CatalogProduct, files: [String])] = [:]
    private(set) var listings: [String: MarketplaceListing] = [:]

    init(features: FeatureStore, marketplace: MarketplaceService?, searches: SearchStore, markups: MarkupTable, currency: String, maxPrice: Int64?) {
        self.features = features
        self.marketplace = marketplace
        self.searches = searches
        self.builder = OfferBuilder(markups: markups)
        self.currency = currency
        self.maxPrice = maxPrice
    }

    static func sku(_ item: IndexedItem) -> String { String(item.ref.dropFirst(4)) }
    static func listingId(_ item: IndexedItem) -> String { String(item.ref.dropFirst(3)) }

    func load(_ candidates: [Candidate]) throws {
        let skus = candidates.filter { $0.item.source == .inventory }.map { Self.sku($0.item) }.filter { products[$0] == nil }
        for (sku, p) in try features.products(skus: skus) { products[sku] = p }
        for c in candidates where c.item.source == .marketplace {
            let id = Self.listingId(c.item)
            if listings[id] == nil, let l = try marketplace?.listing(id: id) { listings[id] = l }
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
            return p.baseCost.currency == currency
                && builder.markups.price(base: Money(amount: p.baseCost.amount, currency: p.baseCost.currency), category: p.category).amount <= maxPrice
        case .marketplace:
            guard let l = listings[Self.listingId(item)], l.price.currency == currency, let marketplace else { return false }
            return Pricing.approximate(MoneyRange(min: l.price.min, max: l.price.max, currency: l.price.currency),
                                       basisPoints: marketplace.estimatedMarkupBasisPoints).min <= maxPrice
        }
    }

    func offer(_ c: Candidate, attributes: QueryAttributes, live: LiveCheck? = nil) throws -> Offer? {
        let matches = AttributeComparison.matches(attributes, c.item.labels)
        switch c.item.source {
        case .inventory:
            guard let p = products[Self.sku(c.item)] else { return nil }
            return builder.inventory(id: try searches.offerId(source: "inventory", ref: c.item.ref), product: p.product, files: p.files,
                                     similarity: c.similarity, matches: matches, live: live)
        case .marketplace:
            guard let l = listings[Self.listingId(c.item)], let marketplace else { return nil }
            return builder.marketplace(id: try searches.offerId(source: "marketplace", ref: c.item.ref), listing: l,
                                       markupBasisPoints: marketplace.estimatedMarkupBasisPoints, similarity: c.similarity, matches: matches)
        }
    }
}
