import Foundation

/// An offer as a page or API states it, before any interpretation.
public struct RawOffer: Sendable, Equatable {
    public var offerId: String
    public var title: String
    public var priceText: String
    public var moqText: String
    public var leadTimeText: String?
    public var supplierName: String
    public var supplierYears: String?
    public var supplierRating: String?
    public var supplierResponseRate: String?
    public var url: String
    public var imageURLs: [String]

    public init(offerId: String, title: String, priceText: String, moqText: String, leadTimeText: String? = nil,
                supplierName: String, supplierYears: String? = nil, supplierRating: String? = nil,
                supplierResponseRate: String? = nil, url: String, imageURLs: [String]) {
        self.offerId = offerId
        self.title = title
        self.priceText = priceText
        self.moqText = moqText
        self.leadTimeText = leadTimeText
        self.supplierName = supplierName
        self.supplierYears = supplierYears
        self.supplierRating = supplierRating
        self.supplierResponseRate = supplierResponseRate
        self.url = url
        self.imageURLs = imageURLs
    }
}
