import FacetCore
import FacetMatching
import FacetStore
import Foundation

/// What the search module answers besides running searches: stored state, history, the
/// detail of one offer, and the index's state. Ownership is checked by the caller.
extension SearchService {
    public func record(id: String) throws -> SearchRecord? { try searches.find(id: id) }

    public func view(_ record: SearchRecord) -> SearchView { SearchView(record) }

    public struct HistoryItem: Encodable, Sendable {
        public let id: String, status: String, category: Category, image: String, createdAt: Date
        public let maxPrice: Money?, exactMatch: Bool, alternatives: Int
    }

    public func history(buyerId: String, limit: Int, before: Date?, category: Category? = nil, from: Date? = nil,
                        to: Date? = nil) throws -> [HistoryItem] {
        try searches.list(buyerId: buyerId, limit: limit, before: before, category: category, from: from, to: to).map { r in
            let view = SearchView(r)
            return HistoryItem(id: r.id, status: r.status, category: r.category, image: view.image, createdAt: r.createdAt,
                               maxPrice: view.maxPrice, exactMatch: view.exactMatch != nil, alternatives: view.alternatives.count)
        }
    }

    public struct OfferDetail: Encodable, Sendable {
        public let offer: Offer
        /// The upload's attributes next to the offer's, when opened from a search.
        public let comparison: [String: AttributeMatch]?
        /// Staff only: where the offer really comes from.
        public var origin: Origin?
    }

    public struct Origin: Encodable, Sendable {
        public let kind: String
        public let brand: String?
        public let sku: String?
        public let source: String?
        public let offerId: String?
        public let url: String?
        public let supplier: String?
        /// Staff see the buyer's price beside the source's: one pricing rule, two views.
        public let listedPrice: MoneyRange?
        public let buyerPrice: MoneyRange?
    }

    /// One offer as a buyer sees it; `search` (already checked as visible to the caller) adds
    /// the comparison with the upload, and `withOrigin` the true source for staff.
    public func offerDetail(id: String, search: SearchRecord?, withOrigin: Bool) throws -> OfferDetail {
        guard let (_, ref) = try searches.offerRef(id: id) else { throw DomainError.notFound("No offer \(id).") }
        var attributes: QueryAttributes?
        var similarity = 0.0
        if let search {
            let view = SearchView(search)
            attributes = view.attributes.isEmpty ? nil : QueryAttributes(values: view.attributes)
            similarity = ([view.exactMatch].compactMap { $0 } + view.alternatives).first { $0.id == id }?.similarity ?? 0
        }
        let markups = try self.markups.table()
        let catalog = OfferCatalog(features: features, readings: readings, marketplace: marketplace, searches: searches, markups: markups,
                                   currency: options.currency, maxPrice: nil)
        try catalog.load(refs: [ref])
        guard let offer = try catalog.offer(ref: ref, id: id, similarity: similarity, attributes: attributes) else {
            throw DomainError.notFound("This item is no longer available.")
        }
        var origin: Origin?
        if withOrigin {
            if ref.hasPrefix("inv:"), let p = catalog.products[String(ref.dropFirst(4))]?.product {
                origin = Origin(kind: "brand", brand: p.brand, sku: p.sku, source: nil, offerId: nil, url: nil, supplier: nil,
                                listedPrice: nil, buyerPrice: nil)
            } else if let l = catalog.listings[String(ref.dropFirst(3))] {
                origin = Origin(kind: "marketplace", brand: nil, sku: nil, source: l.source, offerId: l.offerId, url: l.url,
                                supplier: l.supplier.name, listedPrice: l.price, buyerPrice: offer.priceRange)
            }
        }
        return OfferDetail(offer: offer, comparison: attributes == nil ? nil : offer.matches, origin: origin)
    }

    /// Which embedder turns photos into vectors (the dashboard shows it).
    public var embedderIdentifier: String { options.embedder?.identifier ?? "handcrafted" }
    public var embedderWarning: String? { options.embedderWarning }

    public struct IndexStatus: Encodable, Sendable {
        public let loaded: Bool, images: Int, items: Int, bytesPerImage: Int, perCategory: [String: Int], queuedJobs: Int
        public let readiness: SearchIndexer.Readiness
        public let exactThreshold: Double
    }

    public var indexStatus: IndexStatus {
        let stats = indexer.index.stats
        return IndexStatus(loaded: indexer.loaded, images: stats.images, items: stats.items, bytesPerImage: stats.bytesPerImage,
                           perCategory: Dictionary(uniqueKeysWithValues: stats.perCategory.map { ($0.key.rawValue, $0.value) }),
                           queuedJobs: pool.queued, readiness: indexer.readiness(), exactThreshold: options.matcher.exactThreshold)
    }
}
