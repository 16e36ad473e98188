import FacetCore
import Foundation

/// A cart line as the buyer sees it: the live offer, what the line costs now, and what changed
/// since it was added.
public struct CartLineView: Encodable, Sendable {
    public struct Stock: Encodable, Sendable {
        public let availability: String
        public let availableQuantity: Int?
        public let aboveStock: Bool
    }

    public let id: String
    public let offerId: String
    public let quantity: Int
    public let note: String?
    public let offer: Offer?
    public let snapshot: OfferSnapshot
    public let available: Bool
    public let unitPrice: Money?
    public let lineTotal: Money?
    public let lineRange: MoneyRange?
    public let moq: Int
    public let moqUnit: String?
    public let belowMoq: Bool
    public let stock: Stock
    public let changes: [OfferChange]
    public let addedAt: Date
    public let updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, offerId, quantity, note, offer, snapshot, available, unitPrice, lineTotal, lineRange, moq, moqUnit, belowMoq, stock,
             changes, addedAt, updatedAt
    }

    /// Absent values are explicit nulls: the page reads every key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(offerId, forKey: .offerId)
        try c.encode(quantity, forKey: .quantity)
        try c.encode(note, forKey: .note)
        try c.encode(offer, forKey: .offer)
        try c.encode(snapshot, forKey: .snapshot)
        try c.encode(available, forKey: .available)
        try c.encode(unitPrice, forKey: .unitPrice)
        try c.encode(lineTotal, forKey: .lineTotal)
        try c.encode(lineRange, forKey: .lineRange)
        try c.encode(moq, forKey: .moq)
        try c.encode(moqUnit, forKey: .moqUnit)
        try c.encode(belowMoq, forKey: .belowMoq)
        try c.encode(stock, forKey: .stock)
        try c.encode(changes, forKey: .changes)
        try c.encode(addedAt, forKey: .addedAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}

public struct CartSummary: Encodable, Sendable {
    public struct Group: Encodable, Sendable {
        public let category: Category
        public let source: OfferSource
        public let lineIds: [String]
        public let exactTotal: Money?
        public let approximateTotal: MoneyRange?
    }

    public let designs: Int
    public let lines: Int
    public let quantity: Int
    /// Our stock: the sum of exact line totals. Sourced items: the sum of ranges. Never added together.
    public let exactTotal: Money?
    public let approximateTotal: MoneyRange?
    public let groups: [Group]

    enum CodingKeys: String, CodingKey { case designs, lines, quantity, exactTotal, approximateTotal, groups }

    /// Totals that do not apply are explicit nulls.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(designs, forKey: .designs)
        try c.encode(lines, forKey: .lines)
        try c.encode(quantity, forKey: .quantity)
        try c.encode(exactTotal, forKey: .exactTotal)
        try c.encode(approximateTotal, forKey: .approximateTotal)
        try c.encode(groups, forKey: .groups)
    }
}

public struct CartView: Encodable, Sendable {
    public let lines: [CartLineView]
    public let summary: CartSummary
}

public struct WishlistItemView: Encodable, Sendable {
    public let id: String
    public let offerId: String
    public let offer: Offer?
    public let snapshot: OfferSnapshot
    public let available: Bool
    public let changes: [OfferChange]
    public let addedAt: Date
}

/// `cart.changed` on `buyer:<id>`: what the nav and a second tab need to stay in step.
public struct CartChanged: Encodable, Sendable {
    public struct Cart: Encodable, Sendable { public let lines: Int; public let quantity: Int }
    public struct Wishlist: Encodable, Sendable { public let items: Int }
    public let cart: Cart
    public let wishlist: Wishlist
    public let reason: String
}
