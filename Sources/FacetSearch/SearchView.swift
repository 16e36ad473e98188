import FacetCore
import FacetMatching
import FacetStore
import Foundation

/// The stages a search goes through, in order; every one is published, skipped ones too.
public enum SearchStage: String, Codable, Sendable, CaseIterable {
    case received
    case extractingAttributes = "extracting_attributes"
    case searchingInventory = "searching_inventory"
    case checkingStock = "checking_stock"
    case searchingMarketplace = "searching_marketplace"
    case findingAlternatives = "finding_alternatives"
    case done
}

/// A search as the buyer sees it: `GET /api/searches/<id>` and every `search.stage` event
/// carry this shape. `exactMatch` is always present (null when none).
public struct SearchView: Encodable, Sendable {
    public var id: String
    public var status: String
    public var stage: String
    public var category: Category
    public var maxPrice: Money?
    public var image: String
    public var attributes: [String: QueryAttributes.Guess]
    public var exactMatch: Offer?
    public var alternatives: [Offer]
    public var notes: [String]
    public var error: String?
    public var createdAt: Date
    public var completedAt: Date?
    /// Only while running: what the current stage is doing, e.g. "No exact match in stock".
    public var detail: String?
    /// The search this one repeats; its offers carry `isNew`.
    public var previousSearchId: String?

    enum CodingKeys: String, CodingKey {
        case id, status, stage, category, maxPrice, image, attributes, exactMatch, alternatives, notes, error, createdAt, completedAt, detail
        case previousSearchId
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(status, forKey: .status)
        try c.encode(stage, forKey: .stage)
        try c.encode(category, forKey: .category)
        try c.encode(maxPrice, forKey: .maxPrice)
        try c.encode(image, forKey: .image)
        try c.encode(attributes, forKey: .attributes)
        try c.encode(exactMatch, forKey: .exactMatch)
        try c.encode(alternatives, forKey: .alternatives)
        try c.encode(notes, forKey: .notes)
        try c.encodeIfPresent(error, forKey: .error)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encodeIfPresent(completedAt, forKey: .completedAt)
        try c.encodeIfPresent(detail, forKey: .detail)
        try c.encodeIfPresent(previousSearchId, forKey: .previousSearchId)
    }

    /// A stored search, its JSON columns read back.
    init(_ r: SearchRecord) {
        self.init(r, attributes: r.attributes.flatMap { try? JSONCoding.stored.decode(QueryAttributes.self, from: Data($0.utf8)) },
                  exactMatch: r.exactMatch.flatMap { try? JSONCoding.stored.decode(Offer.self, from: Data($0.utf8)) },
                  alternatives: r.alternatives.flatMap { try? JSONCoding.stored.decode([Offer].self, from: Data($0.utf8)) } ?? [],
                  notes: r.notes.flatMap { try? JSONCoding.stored.decode([String].self, from: Data($0.utf8)) } ?? [])
    }

    /// A running search's state as the search holds it, without a round trip through JSON.
    init(_ r: SearchRecord, attributes: QueryAttributes?, exactMatch: Offer?, alternatives: [Offer], notes: [String]) {
        id = r.id
        status = r.status
        stage = r.stage
        category = r.category
        maxPrice = r.maxPriceAmount.map { Money(amount: $0, currency: r.currency) }
        image = ImageURL.path(r.imageFile)
        self.attributes = attributes?.values ?? [:]
        self.exactMatch = exactMatch
        self.alternatives = alternatives
        self.notes = notes
        error = r.error
        createdAt = r.createdAt
        completedAt = r.completedAt
        previousSearchId = r.previousSearchId
    }
}

/// Photos are served by Facet only, by content hash.
enum ImageURL {
    static func path(_ fileName: String) -> String { "/api/images/\(fileName)" }
}

extension SearchRecord {
    /// The ranked designs stored with the search ("show more"); empty for an older search.
    public var rankedOffers: [Offer] { ranked.flatMap { try? JSONCoding.stored.decode([Offer].self, from: Data($0.utf8)) } ?? [] }
}
