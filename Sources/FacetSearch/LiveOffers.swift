import FacetCommerce
import FacetCore
import FacetStore
import Foundation

/// Offers by id at today's prices and availability, for the cart, the wishlist and compare:
/// the same `OfferCatalog` and pricing rule as search results, without a search.
extension SearchService: OfferResolver {
    public func offers(ids: [String]) throws -> [String: Offer] {
        let refs = try searches.offerRefs(ids: ids)
        guard !refs.isEmpty else { return [:] }
        let catalog = OfferCatalog(features: features, readings: readings, marketplace: marketplace, searches: searches, markups: try markups.table(),
                                   currency: options.currency, maxPrice: nil)
        try catalog.load(refs: Array(refs.values))
        var result: [String: Offer] = [:]
        for (id, ref) in refs {
            if let offer = try catalog.offer(ref: ref, id: id, similarity: 0, attributes: nil) { result[id] = offer }
        }
        return result
    }

    public func origins(ids: [String]) throws -> [String: OfferOrigin] {
        let refs = try searches.offerRefs(ids: ids)
        guard !refs.isEmpty else { return [:] }
        let catalog = OfferCatalog(features: features, readings: readings, marketplace: marketplace, searches: searches, markups: try markups.table(),
                                   currency: options.currency, maxPrice: nil)
        try catalog.load(refs: Array(refs.values))
        var result: [String: OfferOrigin] = [:]
        for (id, ref) in refs {
            if ref.hasPrefix("inv:"), let p = catalog.products[String(ref.dropFirst(4))]?.product {
                result[id] = OfferOrigin(kind: "brand", brand: p.brand, sku: p.sku,
                                         cost: Money(amount: p.baseCost.amount, currency: p.baseCost.currency))
            } else if ref.hasPrefix("mk:"), let l = catalog.listings[String(ref.dropFirst(3))] {
                result[id] = OfferOrigin(kind: "marketplace", source: l.source, offerId: l.offerId, url: l.url, supplier: l.supplier.name,
                                         cost: Money(amount: l.price.min, currency: l.price.currency))
            }
        }
        return result
    }

    public func isKnown(offerId: String) throws -> Bool { try searches.offerRef(id: offerId) != nil }

    /// The offer ids issued for these products (what carts and wishlists hold).
    public func offerIds(skus: [String]) throws -> [String] { try searches.offerIds(refs: skus.map(SearchIndexer.ref(sku:))) }
}
