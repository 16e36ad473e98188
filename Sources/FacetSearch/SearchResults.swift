import FacetCore
import FacetStore
import Foundation

/// "Show more" for one search: up to 48 ranked designs with filters applied on the server, so
/// the counts a buyer reads ("30 from our inventory · 7 sourced to order") follow the filters.
public enum SearchResults {
    public static let maximum = 48

    public enum Sort: String, Sendable, CaseIterable { case relevance, price, delivery }

    public struct Filter: Sendable {
        public var maxPrice: Int64?
        public var deliveryWithin: Int?
        public var maxMoq: Int?
        public var source: OfferSource?
        public var sort: Sort = .relevance
        public init() {}
    }

    public struct Page: Encodable, Sendable {
        public let total: Int
        public let offset: Int
        public let limit: Int
        /// Per source, after every filter but `source` itself.
        public let counts: [String: Int]
        public let results: [Offer]
    }

    public static func page(_ ranked: [Offer], filter: Filter, offset: Int, limit: Int) -> Page {
        let kept = ranked.filter { offer in
            if let max = filter.maxPrice, (offer.lowestUnitPrice ?? .max) > max { return false }
            if let days = filter.deliveryWithin, offer.deliveryDays.max > days { return false }
            if let moq = filter.maxMoq, offer.moq > moq { return false }
            return true
        }
        var counts = [OfferSource.inventory.rawValue: 0, OfferSource.marketplace.rawValue: 0]
        for offer in kept { counts[offer.source.rawValue, default: 0] += 1 }
        var shown = kept.filter { filter.source == nil || $0.source == filter.source }
        switch filter.sort {
        case .relevance: break
        case .price: shown = shown.enumerated().sorted { a, b in
            ((a.element.lowestUnitPrice ?? .max), a.offset) < ((b.element.lowestUnitPrice ?? .max), b.offset) }.map(\.element)
        case .delivery: shown = shown.enumerated().sorted { a, b in
            (a.element.deliveryDays.max, a.offset) < (b.element.deliveryDays.max, b.offset) }.map(\.element)
        }
        let slice = offset < shown.count ? Array(shown[offset..<min(shown.count, offset + limit)]) : []
        return Page(total: shown.count, offset: offset, limit: limit, counts: counts, results: slice)
    }
}

extension SearchService {
    /// The ranked designs of a stored search, filtered and paged.
    public func results(_ record: SearchRecord, filter: SearchResults.Filter, offset: Int, limit: Int) -> SearchResults.Page {
        SearchResults.page(record.rankedOffers, filter: filter, offset: offset, limit: limit)
    }
}

extension SearchService {
    /// Every offer id a stored search showed (exact, alternatives and the ranked list); nil without one.
    func previousOfferIds(_ id: String?) -> Set<String>? {
        guard let id, let previous = try? searches.find(id: id) else { return nil }
        let view = SearchView(previous)
        return Set(([view.exactMatch].compactMap { $0 } + view.alternatives + previous.rankedOffers).map(\.id))
    }
}
