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
        let catalog = OfferCatalog(features: features, marketplace: marketplace, searches: searches, markups: try markups.table(),
                                   currency: options.currency, maxPrice: nil)
        try catalog.load(refs: Array(refs.values))
        var result: [String: Offer] = [:]
        for (id, ref) in refs {
            if let offer = try catalog.offer(ref: ref, id: id, similarity: 0, attributes: nil) { result[id] = offer }
        }
        return result
    }

    public func isKnown(offerId: String) throws -> Bool { try searches.offerRef(id: offerId) != nil }

    /// The offer ids issued for these products (what carts and wishlists hold).
    public func offerIds(skus: [String]) throws -> [String] { try searches.offerIds(refs: skus.map(SearchIndexer.ref(sku:))) }
}
