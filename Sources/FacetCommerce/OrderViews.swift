import FacetCore
import Foundation

public struct NextStep: Encodable, Sendable {
    public let status: OrderStatus
    public let expectedAt: Date
}

public struct OrderSummaryView: Encodable, Sendable {
    public let id: String
    public let number: String
    public let quoteId: String
    public let quoteNumber: String
    public let status: OrderStatus
    public let total: Money
    public let paid: Money
    public let createdAt: Date
    public let updatedAt: Date
    public let lineCount: Int
    public let images: [String]
    public let nextStep: NextStep?
    public var buyer: BuyerBrief?

    enum Keys: String, CodingKey {
        case id, number, quoteId, quoteNumber, status, total, paid, createdAt, updatedAt, lineCount, images, nextStep, buyer
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id, forKey: .id)
        try c.encode(number, forKey: .number)
        try c.encode(quoteId, forKey: .quoteId)
        try c.encode(quoteNumber, forKey: .quoteNumber)
        try c.encode(status, forKey: .status)
        try c.encode(total, forKey: .total)
        try c.encode(paid, forKey: .paid)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(lineCount, forKey: .lineCount)
        try c.encode(images, forKey: .images)
        try c.encode(nextStep, forKey: .nextStep)
        try c.encodeIfPresent(buyer, forKey: .buyer)
    }
}

public struct OrderLineView: Encodable, Sendable {
    public let id: String
    public let title: String
    public let image: String?
    public let category: Category
    public let quantity: Int
    public let unitPrice: Money
    public let lineTotal: Money
    public let deliveryDays: Int
    public let shippedQuantity: Int
    public let rating: Int?
}

public struct PaymentView: Encodable, Sendable {
    public let id: String
    public let amount: Money
    public let reference: String
    public let receivedAt: Date
    public let recordedAt: Date
}

public struct TimelineEntry: Encodable, Sendable {
    public let at: Date
    public let status: String
    public let actor: String
    public let note: String?
    public let carrier: String?
    public let trackingNumber: String?
    public let trackingUrl: String?
    public let lines: [ShippedLine]?
}

public struct ShipmentView: Encodable, Sendable {
    public let at: Date
    public let carrier: String
    public let trackingNumber: String
    public let trackingUrl: String?
    public let lines: [ShippedLine]
}

public struct IssueView: Encodable, Sendable {
    public struct Note: Encodable, Sendable {
        public let at: Date
        public let actor: String
        public let note: String
    }
    public let id: String
    public let kind: String
    public let status: IssueStatus
    public let description: String
    public let lineIds: [String]
    public let attachments: [AttachmentView]
    public let outcome: String?
    public let reference: String?
    public let notes: [Note]
    public let createdAt: Date
    public let updatedAt: Date
}

public struct FeedbackView: Encodable, Sendable {
    public let rating: Int
    public let comment: String?
    public let lines: [LineRating]
    public let at: Date
}

public struct PaymentState: Encodable, Sendable {
    public let reference: String
    public let instructions: String
    public let depositDue: Money
    public let balanceDue: Money
    public let outstanding: Money
}

public struct OrderView: Encodable, Sendable {
    public let summary: OrderSummaryView
    public let quoteVersion: Int
    public let currency: String
    public let lines: [OrderLineView]
    public let paymentTerms: PaymentTerms
    public let payment: PaymentState
    public let payments: [PaymentView]
    public let timeline: [TimelineEntry]
    public let shipments: [ShipmentView]
    public let receivedAt: Date?
    public let feedback: FeedbackView?
    public let issues: [IssueView]
    public var staff: StaffPart?

    public struct StaffPart: Sendable {
        public let buyer: BuyerBrief
        public let origins: [String: OfferOrigin]
        public let fulfilment: Fulfilment
    }

    public struct Fulfilment: Encodable, Sendable {
        public struct BrandOrder: Encodable, Sendable {
            public let brand: String
            public let idempotencyKey: String
            public let status: String
            public let brandOrderId: String?
            public let error: String?
        }
        public struct PurchaseOrder: Encodable, Sendable {
            public let lineId: String
            public let supplier: String
            public let reference: String
            public let promisedDate: String
            public let at: Date
        }
        public let brandOrders: [BrandOrder]
        public let purchaseOrders: [PurchaseOrder]
    }

    enum Keys: String, CodingKey {
        case quoteVersion, currency, lines, paymentTerms, payment, payments, timeline, shipments, receivedAt, feedback, issues
        case buyer, origins, fulfilment
    }

    public func encode(to encoder: Encoder) throws {
        try summary.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(quoteVersion, forKey: .quoteVersion)
        try c.encode(currency, forKey: .currency)
        try c.encode(lines, forKey: .lines)
        try c.encode(paymentTerms, forKey: .paymentTerms)
        try c.encode(payment, forKey: .payment)
        try c.encode(payments, forKey: .payments)
        try c.encode(timeline, forKey: .timeline)
        try c.encode(shipments, forKey: .shipments)
        try c.encode(receivedAt, forKey: .receivedAt)
        try c.encode(feedback, forKey: .feedback)
        try c.encode(issues, forKey: .issues)
        if let staff {
            try c.encode(staff.buyer, forKey: .buyer)
            try c.encode(staff.origins, forKey: .origins)
            try c.encode(staff.fulfilment, forKey: .fulfilment)
        }
    }
}

public struct OrderChanged: Encodable, Sendable {
    public let order: OrderSummaryView
    public let reason: String
}
