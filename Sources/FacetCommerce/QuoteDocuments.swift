import FacetCore
import Foundation

// The JSON kept in the quote and order rows. Stored with JSONCoding's encoder and read with
// JSONCoding.stored, like every other JSON column.

/// What the buyer asked for; never changed after submission.
struct QuoteRequest: Codable, Sendable {
    var lines: [RequestLine]
    var preferredDeliveryDate: String?
    var customisation: String?
    var useCase: String?
    var country: String
}

struct RequestLine: Codable, Sendable {
    var id: String
    var offerId: String
    var quantity: Int
    var note: String?
    var snapshot: OfferSnapshot
}

/// The staff's working copy: saved many times, frozen into a version on send.
struct QuoteDraft: Codable, Sendable {
    var currency: String
    var lines: [DraftLine]
    var paymentTerms: PaymentTerms
    var validUntil: Date
    var notes: String?
    var updatedAt: Date
    var updatedBy: String?
}

struct DraftLine: Codable, Sendable {
    var lineId: String
    var quantity: Int
    var unitPrice: Int64
    var moq: Int
    var deliveryDays: Int
    var supplierQuote: SupplierQuote?
}

/// What a marketplace supplier quoted staff outside Facet (staff only).
public struct SupplierQuote: Codable, Sendable, Equatable {
    public var unitPrice: Money
    public var moq: Int
    public var leadTimeDays: Int
    public var validUntil: String?
    public var note: String?
}

/// A frozen version, exactly as the buyer was sent it.
struct VersionBody: Codable, Sendable {
    var currency: String
    var lines: [QuotedLine]
    var total: Money
    var paymentTerms: PaymentTerms
    var validUntil: Date
    var notes: String?
    var changes: [VersionChange]
}

/// A buyer's change request on a version (kept in the activity's detail).
struct ChangeRequest: Codable, Sendable {
    var version: Int?
    var message: String?
    var lines: [ChangeRequestLine]
}

public struct ChangeRequestLine: Codable, Sendable, Equatable {
    public var lineId: String
    public var targetUnitPrice: Int64?
    public var quantity: Int?
    public var deliveryDate: String?
}

/// One order line: the accepted version's line, plus what has shipped.
struct OrderLine: Codable, Sendable {
    var id: String
    var quoteLineId: String
    var offerId: String
    var title: String
    var image: String?
    var category: Category
    var source: OfferSource
    var quantity: Int
    var unitPrice: Money
    var lineTotal: Money
    var deliveryDays: Int
    var shippedQuantity: Int
    var rating: Int?
}

struct OrderFeedback: Codable, Sendable {
    var rating: Int
    var comment: String?
    var lines: [LineRating]
    var at: Date
}

public struct LineRating: Codable, Sendable, Equatable {
    public var lineId: String
    public var rating: Int
}

struct ShipmentDetail: Codable, Sendable {
    var carrier: String?
    var trackingNumber: String?
    var trackingUrl: String?
    var lines: [ShippedLine]?
}

public struct ShippedLine: Codable, Sendable, Equatable {
    public var lineId: String
    public var quantity: Int
}

struct IssueNote: Codable, Sendable {
    var at: Date
    var actor: String
    var note: String
}

enum Stored {
    static func encode<T: Encodable>(_ value: T) throws -> String { String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self) }
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try JSONCoding.stored.decode(type, from: Data(text.utf8)) }
}
