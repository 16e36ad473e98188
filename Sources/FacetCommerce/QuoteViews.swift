import FacetCore
import Foundation

/// Whose move it is on a quote.
public enum Awaiting: String, Encodable, Sendable { case staff, buyer }

public struct QuoteSummaryView: Encodable, Sendable {
    public let id: String
    public let number: String
    public let status: QuoteStatus
    public let awaiting: Awaiting?
    public let urgency: Urgency
    public let dueAt: Date
    public let overdue: Bool
    public let createdAt: Date
    public let updatedAt: Date
    public let lineCount: Int
    public let images: [String]
    public let currentVersion: Int?
    public let total: Money?
    public let validUntil: Date?
    public let unread: Int
    public let orderId: String?
    public let `repeat`: Bool
    /// Staff lists only.
    public var buyer: BuyerBrief?
    public var assignee: StaffBrief?
    var staffList = false

    enum Keys: String, CodingKey {
        case id, number, status, awaiting, urgency, dueAt, overdue, createdAt, updatedAt, lineCount, images, currentVersion, total
        case validUntil, unread, orderId, `repeat`, buyer, assignee
    }

    /// Absent values are written as null, so every client sees the same keys.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id, forKey: .id)
        try c.encode(number, forKey: .number)
        try c.encode(status, forKey: .status)
        try c.encode(awaiting, forKey: .awaiting)
        try c.encode(urgency, forKey: .urgency)
        try c.encode(dueAt, forKey: .dueAt)
        try c.encode(overdue, forKey: .overdue)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(lineCount, forKey: .lineCount)
        try c.encode(images, forKey: .images)
        try c.encode(currentVersion, forKey: .currentVersion)
        try c.encode(total, forKey: .total)
        try c.encode(validUntil, forKey: .validUntil)
        try c.encode(unread, forKey: .unread)
        try c.encode(orderId, forKey: .orderId)
        try c.encode(`repeat`, forKey: .repeat)
        if staffList {
            try c.encode(buyer, forKey: .buyer)
            try c.encode(assignee, forKey: .assignee)
        }
    }
}

public struct BuyerBrief: Encodable, Sendable {
    public let id: String
    public let companyName: String
    public var email: String?
    public var contactName: String?
    public var country: String?
    public var quotes: Int?
    public var orders: Int?
}

public struct StaffBrief: Encodable, Sendable {
    public let id: String
    public let email: String
    public let name: String
}

public struct RequestView: Encodable, Sendable {
    public struct Line: Encodable, Sendable {
        public let id: String
        public let offerId: String
        public let title: String
        public let image: String?
        public let category: Category
        public let source: OfferSource
        public let quantity: Int
        public let note: String?
        public let snapshot: OfferSnapshot
    }
    public let lines: [Line]
    public let preferredDeliveryDate: String?
    public let customisation: String?
    public let useCase: String?
    public let country: String
}

public struct VersionView: Encodable, Sendable {
    public struct Terms: Encodable, Sendable {
        public let depositPercent: Int
        public let balanceDue: BalanceDue
        public let deposit: Money
    }
    public let version: Int
    public let sentAt: Date
    public let validUntil: Date
    public let expired: Bool
    public let currency: String
    public let lines: [QuotedLine]
    public let total: Money
    public let paymentTerms: Terms
    public let notes: String?
    public let changes: [VersionChange]
}

public struct ChangeRequestView: Encodable, Sendable {
    public struct Line: Encodable, Sendable {
        public let lineId: String
        public let targetUnitPrice: Money?
        public let quantity: Int?
        public let deliveryDate: String?
    }
    public let version: Int?
    public let message: String?
    public let lines: [Line]
    public let at: Date
}

public struct HistoryEntry: Encodable, Sendable {
    public let at: Date
    public let status: String
    public let actor: String
    public let note: String?
}

public struct DraftView: Encodable, Sendable {
    public struct Margin: Encodable, Sendable {
        public let amount: Money
        public let basisPoints: Int
    }
    public struct Line: Encodable, Sendable {
        public let lineId: String
        public let quantity: Int
        public let unitPrice: Money
        public let moq: Int
        public let deliveryDays: Int
        public let proposedUnitPrice: Money?
        public let cost: Money?
        public let margin: Margin?
        public let supplierQuote: SupplierQuote?
        public let lineTotal: Money
    }
    public let revision: Int
    public let updatedAt: Date
    public let updatedBy: String?
    public let currency: String
    public let lines: [Line]
    public let total: Money
    public let paymentTerms: PaymentTerms
    public let validUntil: Date
    public let notes: String?
}

/// The quote as its buyer sees it; staff get the same with `staff` filled in.
public struct QuoteView: Encodable, Sendable {
    public let summary: QuoteSummaryView
    public let request: RequestView
    public let versions: [VersionView]
    public let changeRequests: [ChangeRequestView]
    public let history: [HistoryEntry]
    public var staff: StaffPart?

    public struct StaffPart: Sendable {
        public let buyer: BuyerBrief
        public let assignee: StaffBrief?
        public let draft: DraftView
        public let origins: [String: OfferOrigin]
        public let live: [String: Offer?]
    }

    enum Keys: String, CodingKey { case request, versions, changeRequests, history, buyer, assignee, draft, origins, live }

    public func encode(to encoder: Encoder) throws {
        try summary.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(request, forKey: .request)
        try c.encode(versions, forKey: .versions)
        try c.encode(changeRequests, forKey: .changeRequests)
        try c.encode(history, forKey: .history)
        if let staff {
            try c.encode(staff.buyer, forKey: .buyer)
            try c.encode(staff.assignee, forKey: .assignee)
            try c.encode(staff.draft, forKey: .draft)
            try c.encode(staff.origins, forKey: .origins)
            try c.encode(staff.live, forKey: .live)
        }
    }
}

public struct AttachmentView: Encodable, Sendable {
    public let id: String
    public let name: String
    public let contentType: String
    public let bytes: Int
    public let url: String
}

public struct MessageView: Encodable, Sendable {
    public let id: String
    public let quoteId: String
    public let author: String
    public let authorName: String
    public let body: String
    public let attachments: [AttachmentView]
    public let at: Date
}

/// Event payloads: summaries only, never a brand, SKU or supplier.
public struct QuoteChanged: Encodable, Sendable {
    public let quote: QuoteSummaryView
    public let reason: String
}

public struct QuoteMessagePosted: Encodable, Sendable {
    public let quoteId: String
    public let message: MessageView
}
