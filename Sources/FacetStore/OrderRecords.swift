import Foundation
import GRDB

/// An order made from one accepted quote version. `lines` and `paymentTerms` are JSON owned by
/// FacetCommerce; `total` and `paid` are minor units in `currency`.
public struct OrderRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "salesOrder"
    public var id: String
    public var number: Int
    public var quoteId: String
    public var quoteVersion: Int
    public var buyerId: String
    public var status: String
    public var currency: String
    public var lines: String
    public var total: Int64
    public var paymentTerms: String
    public var paid: Int64
    public var receivedAt: Date?
    public var feedback: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, number: Int, quoteId: String, quoteVersion: Int, buyerId: String, status: String, currency: String,
                lines: String, total: Int64, paymentTerms: String, paid: Int64, receivedAt: Date?, feedback: String?,
                createdAt: Date, updatedAt: Date) {
        self.id = id
        self.number = number
        self.quoteId = quoteId
        self.quoteVersion = quoteVersion
        self.buyerId = buyerId
        self.status = status
        self.currency = currency
        self.lines = lines
        self.total = total
        self.paymentTerms = paymentTerms
        self.paid = paid
        self.receivedAt = receivedAt
        self.feedback = feedback
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public struct OrderActivityRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "orderActivity"
    public var id: Int64?
    public var orderId: String
    public var at: Date
    public var actor: String
    public var actorId: String?
    public var status: String
    public var note: String?
    /// Shipment details (carrier, tracking, lines) as JSON.
    public var detail: String?

    public init(orderId: String, at: Date, actor: String, actorId: String?, status: String, note: String?, detail: String?) {
        self.orderId = orderId
        self.at = at
        self.actor = actor
        self.actorId = actorId
        self.status = status
        self.note = note
        self.detail = detail
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct OrderPaymentRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "orderPayment"
    public var id: String
    public var orderId: String
    public var amount: Int64
    public var reference: String
    public var receivedAt: Date
    public var recordedBy: String
    public var recordedAt: Date

    public init(id: String, orderId: String, amount: Int64, reference: String, receivedAt: Date, recordedBy: String, recordedAt: Date) {
        self.id = id
        self.orderId = orderId
        self.amount = amount
        self.reference = reference
        self.receivedAt = receivedAt
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

/// A purchase order placed with a marketplace supplier outside Facet, recorded by staff.
public struct SupplierOrderRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "supplierOrder"
    public var id: String
    public var orderId: String
    public var lineId: String
    public var supplier: String
    public var reference: String
    public var promisedDate: String
    public var recordedBy: String
    public var at: Date

    public init(id: String, orderId: String, lineId: String, supplier: String, reference: String, promisedDate: String, recordedBy: String, at: Date) {
        self.id = id
        self.orderId = orderId
        self.lineId = lineId
        self.supplier = supplier
        self.reference = reference
        self.promisedDate = promisedDate
        self.recordedBy = recordedBy
        self.at = at
    }
}

public struct OrderIssueRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "orderIssue"
    public var id: String
    public var orderId: String
    public var kind: String
    public var status: String
    public var description: String
    public var lineIds: String
    public var attachments: String
    public var outcome: String?
    public var reference: String?
    /// `[{at, actor, note}]` as JSON.
    public var notes: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, orderId: String, kind: String, status: String, description: String, lineIds: String, attachments: String,
                outcome: String?, reference: String?, notes: String, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.orderId = orderId
        self.kind = kind
        self.status = status
        self.description = description
        self.lineIds = lineIds
        self.attachments = attachments
        self.outcome = outcome
        self.reference = reference
        self.notes = notes
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Brand orders placed for a Facet order (the records the sourcing module keeps).
public enum OrderFulfilment {
    public static func brandOrders(_ db: Database, facetOrderId: String) throws -> [Row] {
        try Row.fetchAll(db, sql: "SELECT * FROM brandOrder WHERE facetOrderId = ? ORDER BY createdAt", arguments: [facetOrderId])
    }
}
