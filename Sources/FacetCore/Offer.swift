import Foundation

/// Where an offer comes from, as the buyer may know it: our stock, or sourced to order.
/// Never the brand or the supplier.
public enum OfferSource: String, Codable, Sendable {
    case inventory, marketplace
}

/// How one attribute of an offer compares with the buyer's photo.
public struct AttributeMatch: Codable, Sendable, Equatable {
    public enum Verdict: String, Codable, Sendable { case match, differs, unknown }
    public var verdict: Verdict
    /// The photo's value and the offer's, in the vocabulary of protocol/attributes.md.
    public var query: String
    public var offer: String

    public init(verdict: Verdict, query: String, offer: String) {
        self.verdict = verdict
        self.query = query
        self.offer = offer
    }
}

/// A quantity break: from `minQuantity` pieces, this unit price.
public struct OfferTier: Codable, Sendable, Equatable {
    public var minQuantity: Int
    public var unitPrice: Money
    public init(minQuantity: Int, unitPrice: Money) {
        self.minQuantity = minQuantity
        self.unitPrice = unitPrice
    }
}

/// What the buyer sees of one result: our own offering, white-labelled. Exact prices for our
/// stock, an approximate range for marketplace-sourced items.
public struct Offer: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var category: Category
    public var source: OfferSource
    public var images: [String]
    public var price: Money?
    public var priceRange: MoneyRange?
    public var priceTiers: [OfferTier]
    public var moq: Int
    public var moqUnit: String
    public var deliveryDays: DayRange
    /// "ready_stock" or "on_order" for inventory; "sourced_to_order" for marketplace items.
    public var availability: String
    public var availableQuantity: Int?
    /// When the quantity was last confirmed with the brand, and whether that was just now.
    public var stockAsOf: Date?
    public var stockLive: Bool?
    public var similarity: Double
    /// Keyed by attribute: metal, stones, stoneColour, style, craftsmanship, pattern, setting.
    public var matches: [String: AttributeMatch]
    public var specifications: [String: String]
    /// Set on a repeated search ("Search again"): true when the last run did not show this design.
    public var isNew: Bool?

    public init(id: String, title: String, category: Category, source: OfferSource, images: [String], price: Money?,
                priceRange: MoneyRange?, priceTiers: [OfferTier], moq: Int, moqUnit: String, deliveryDays: DayRange,
                availability: String, availableQuantity: Int?, stockAsOf: Date?, stockLive: Bool?, similarity: Double,
                matches: [String: AttributeMatch], specifications: [String: String]) {
        self.id = id
        self.title = title
        self.category = category
        self.source = source
        self.images = images
        self.price = price
        self.priceRange = priceRange
        self.priceTiers = priceTiers
        self.moq = moq
        self.moqUnit = moqUnit
        self.deliveryDays = deliveryDays
        self.availability = availability
        self.availableQuantity = availableQuantity
        self.stockAsOf = stockAsOf
        self.stockLive = stockLive
        self.similarity = similarity
        self.matches = matches
        self.specifications = specifications
    }

    /// The lowest price the buyer could pay for one piece: the exact price or the range's floor.
    public var lowestUnitPrice: Int64? { price?.amount ?? priceRange?.min }
}

/// Days from order to delivery (or of lead time), inclusive.
public struct DayRange: Codable, Sendable, Equatable, Hashable {
    public var min: Int
    public var max: Int
    public init(min: Int, max: Int) {
        self.min = Swift.min(min, max)
        self.max = Swift.max(min, max)
    }
}

/// Where an offer really comes from: staff only, never in a buyer's payload. `cost` is what we
/// pay per piece (a brand's base cost, or the bottom of a supplier's listed price).
public struct OfferOrigin: Codable, Sendable, Equatable {
    public var kind: String
    public var brand: String?
    public var sku: String?
    public var source: String?
    public var offerId: String?
    public var url: String?
    public var supplier: String?
    public var cost: Money?

    public init(kind: String, brand: String? = nil, sku: String? = nil, source: String? = nil, offerId: String? = nil,
                url: String? = nil, supplier: String? = nil, cost: Money? = nil) {
        self.kind = kind
        self.brand = brand
        self.sku = sku
        self.source = source
        self.offerId = offerId
        self.url = url
        self.supplier = supplier
        self.cost = cost
    }
}
