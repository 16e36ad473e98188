import Foundation

public struct Quantity: Codable, Sendable, Equatable, Hashable {
    public var amount: Int
    public var unit: String

    public init(amount: Int, unit: String) {
        self.amount = amount
        self.unit = unit
    }
}

public struct Supplier: Codable, Sendable, Equatable, Hashable {
    public var name: String
    public var yearsOnPlatform: Int?
    public var rating: Double?
    /// Percent, 0–100.
    public var responseRate: Int?

    public init(name: String, yearsOnPlatform: Int? = nil, rating: Double? = nil, responseRate: Int? = nil) {
        self.name = name
        self.yearsOnPlatform = yearsOnPlatform
        self.rating = rating
        self.responseRate = responseRate
    }
}

/// A marketplace offer as Facet holds it. Staff see all of it; buyers never see the
/// supplier, URL, source or offer id.
public struct MarketplaceListing: Codable, Sendable, Equatable {
    public var id: String
    public var source: String
    public var offerId: String
    public var title: String
    public var category: Category
    public var price: MoneyRange
    public var moq: Quantity
    public var leadTimeDays: DayRange?
    public var supplier: Supplier
    public var url: String
    public var imageURLs: [String]
    public var imageFiles: [String]
    public var attributes: [String: String]
    public var fetchedAt: Date

    public init(id: String, source: String, offerId: String, title: String, category: Category, price: MoneyRange, moq: Quantity,
                leadTimeDays: DayRange?, supplier: Supplier, url: String, imageURLs: [String], imageFiles: [String] = [],
                attributes: [String: String], fetchedAt: Date) {
        self.id = id
        self.source = source
        self.offerId = offerId
        self.title = title
        self.category = category
        self.price = price
        self.moq = moq
        self.leadTimeDays = leadTimeDays
        self.supplier = supplier
        self.url = url
        self.imageURLs = imageURLs
        self.imageFiles = imageFiles
        self.attributes = attributes
        self.fetchedAt = fetchedAt
    }
}
