import Foundation
import GRDB

/// A quote as stored: the request and the draft are JSON owned by FacetCommerce; the columns
/// beside them are what the queues filter and sort on.
public struct QuoteRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "quote"
    public var id: String
    public var number: Int
    public var buyerId: String
    public var status: String
    public var urgency: String
    public var request: String
    public var draft: String
    public var draftRevision: Int
    public var currentVersion: Int?
    public var validUntil: Date?
    public var assigneeId: String?
    public var dueAt: Date
    public var isRepeat: Bool
    public var idempotencyKey: String?
    public var orderId: String?
    public var buyerReadAt: Date?
    public var staffReadAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, number: Int, buyerId: String, status: String, urgency: String, request: String, draft: String,
                draftRevision: Int, currentVersion: Int?, validUntil: Date?, assigneeId: String?, dueAt: Date, isRepeat: Bool,
                idempotencyKey: String?, orderId: String?, buyerReadAt: Date?, staffReadAt: Date?, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.number = number
        self.buyerId = buyerId
        self.status = status
        self.urgency = urgency
        self.request = request
        self.draft = draft
        self.draftRevision = draftRevision
        self.currentVersion = currentVersion
        self.validUntil = validUntil
        self.assigneeId = assigneeId
        self.dueAt = dueAt
        self.isRepeat = isRepeat
        self.idempotencyKey = idempotencyKey
        self.orderId = orderId
        self.buyerReadAt = buyerReadAt
        self.staffReadAt = staffReadAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public struct QuoteVersionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "quoteVersion"
    public var quoteId: String
    public var version: Int
    public var body: String
    public var sentAt: Date
    public var sentBy: String

    public init(quoteId: String, version: Int, body: String, sentAt: Date, sentBy: String) {
        self.quoteId = quoteId
        self.version = version
        self.body = body
        self.sentAt = sentAt
        self.sentBy = sentBy
    }
}

public struct QuoteMessageRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "quoteMessage"
    public var id: String
    public var quoteId: String
    public var authorId: String
    /// "buyer" or "staff".
    public var author: String
    public var body: String
    /// Attachment ids as a JSON array.
    public var attachments: String
    public var at: Date

    public init(id: String, quoteId: String, authorId: String, author: String, body: String, attachments: String, at: Date) {
        self.id = id
        self.quoteId = quoteId
        self.authorId = authorId
        self.author = author
        self.body = body
        self.attachments = attachments
        self.at = at
    }
}

public struct QuoteActivityRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "quoteActivity"
    public var id: Int64?
    public var quoteId: String
    public var at: Date
    public var actor: String
    public var actorId: String?
    public var status: String
    /// What happened: submitted, assigned, sent, changes_requested, …
    public var kind: String
    public var note: String?
    public var detail: String?

    public init(quoteId: String, at: Date, actor: String, actorId: String?, status: String, kind: String, note: String?, detail: String?) {
        self.quoteId = quoteId
        self.at = at
        self.actor = actor
        self.actorId = actorId
        self.status = status
        self.kind = kind
        self.note = note
        self.detail = detail
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct AttachmentRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "attachment"
    public var id: String
    public var ownerId: String
    public var name: String
    public var contentType: String
    public var bytes: Int
    public var fileName: String
    public var createdAt: Date

    public init(id: String, ownerId: String, name: String, contentType: String, bytes: Int, fileName: String, createdAt: Date) {
        self.id = id
        self.ownerId = ownerId
        self.name = name
        self.contentType = contentType
        self.bytes = bytes
        self.fileName = fileName
        self.createdAt = createdAt
    }
}

/// Quote and order ownership, for REST handlers and topic subscriptions alike.
public enum CommerceOwnership {
    public static let quote = Ownership.Lookup { db, id in
        try String.fetchOne(db, sql: "SELECT buyerId FROM quote WHERE id = ?", arguments: [id])
    }
    public static let order = Ownership.Lookup { db, id in
        try String.fetchOne(db, sql: "SELECT buyerId FROM salesOrder WHERE id = ?", arguments: [id])
    }
}

/// At most one e-mail per thread and recipient per window.
public enum MailThrottle {
    /// True (and the time recorded) when nothing was sent for `key` within `window` seconds.
    public static func claim(_ db: Database, key: String, now: Date, window: TimeInterval) throws -> Bool {
        if let last = try Date.fetchOne(db, sql: "SELECT lastAt FROM mailThrottle WHERE key = ?", arguments: [key]),
           now.timeIntervalSince(last) < window { return false }
        try db.execute(sql: "INSERT INTO mailThrottle (key, lastAt) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET lastAt = excluded.lastAt",
                       arguments: [key, now])
        return true
    }
}
