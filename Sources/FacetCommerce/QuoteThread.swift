import FacetCore
import FacetStore
import Foundation
import GRDB

/// The buyer's moves on a quote and the message thread both sides write in.
extension Quotes {
    public func messages(id: String, viewer: Viewer, now: Date = Date()) throws -> [MessageView] {
        try database.writer.write { db in
            var record = try self.record(db, id: id, viewer: viewer)
            // Reading the thread is what clears its unread count for this side.
            if viewer.role.isStaff { record.staffReadAt = now } else { record.buyerReadAt = now }
            try record.update(db)
            let rows = try QuoteMessageRecord.filter(Column("quoteId") == id).order(Column("at"), Column("id")).fetchAll(db)
            return try rows.map { try Self.messageView(db, $0, forStaff: viewer.role.isStaff) }
        }
    }

    /// Buyers see our side as "Facet sales"; staff see who wrote.
    static func messageView(_ db: Database, _ m: QuoteMessageRecord, forStaff: Bool) throws -> MessageView {
        let user = try UserRecord.fetchOne(db, key: m.authorId)
        let name = m.author == "staff" && !forStaff ? "Facet sales" : (user?.contactName ?? "")
        return MessageView(id: m.id, quoteId: m.quoteId, author: m.author, authorName: name, body: m.body,
                           attachments: try Attachments.views(db, idsJSON: m.attachments), at: m.at)
    }

    public func post(id: String, body: String?, attachmentIds: [String], by viewer: Viewer, now: Date = Date()) throws -> MessageView {
        let text = try QuoteRules.text(body, field: "body", limit: QuoteRules.maximumMessageLength)
        guard text != nil || !attachmentIds.isEmpty else { throw DomainError.invalid("body", "Write a message or attach a file.") }
        let (record, message) = try publisher.commit { db, events -> (QuoteRecord, QuoteMessageRecord) in
            var record = try self.record(db, id: id, viewer: viewer)
            let files = try attachments.owned(db, ids: attachmentIds, by: viewer, field: "attachments")
            let message = QuoteMessageRecord(id: Identifier.make("qm"), quoteId: id, authorId: viewer.userId,
                                             author: viewer.role.isStaff ? "staff" : "buyer", body: text ?? "",
                                             attachments: try Stored.encode(files.map(\.id)), at: now)
            try message.insert(db)
            if viewer.role.isStaff { record.staffReadAt = now } else { record.buyerReadAt = now }
            record.updatedAt = now
            try record.update(db)
            let payload = QuoteMessagePosted(quoteId: id, message: try Self.messageView(db, message, forStaff: false))
            for topic in ["quote:\(id)", Topic.buyer(record.buyerId).description, "admin"] {
                events.append(try PendingEvent(topic: topic, event: "quote.message", data: payload))
            }
            return (record, message)
        }
        let number = CommerceIds.quoteNumber(record.number)
        if viewer.role.isStaff {
            mailBuyer(record, subject: "New message on your quote \(number)", text: text ?? "A file was attached.")
        } else {
            mailStaff(record, subject: "The buyer wrote on quote \(number)", text: text ?? "A file was attached.")
        }
        return try database.read { db in try Self.messageView(db, message, forStaff: viewer.role.isStaff) }
    }

    public struct ChangesInput: Decodable, Sendable {
        public let version: Int?
        public let message: String?
        public let lines: [ChangeRequestLine]?
    }

    /// The buyer asks for a revised version (or, on an expired quote, for it to be renewed).
    public func requestChanges(id: String, _ input: ChangesInput, by buyer: Viewer, now: Date = Date()) throws -> QuoteView {
        let message = try QuoteRules.text(input.message, field: "message")
        let lines = input.lines ?? []
        guard message != nil || !lines.isEmpty else { throw DomainError.invalid("message", "Say what should change.") }
        let record = try publisher.commit { db, events -> QuoteRecord in
            var record = try self.record(db, id: id, viewer: buyer)
            if let version = input.version, version != record.currentVersion {
                throw DomainError(.conflict, code: "superseded_version",
                                  "Version \(version) is not the current one (version \(record.currentVersion ?? 0)); read the latest first.",
                                  field: "version")
            }
            let request = try Stored.decode(QuoteRequest.self, record.request)
            let known = Set(request.lines.map(\.id))
            for (i, line) in lines.enumerated() {
                guard known.contains(line.lineId) else { throw DomainError.invalid("lines[\(i)].lineId", "No line \(line.lineId) on this quote.") }
                if let price = line.targetUnitPrice { _ = try QuoteRules.price(price, field: "lines[\(i)].targetUnitPrice") }
                if let quantity = line.quantity { _ = try QuoteRules.quantity(quantity, field: "lines[\(i)].quantity") }
                _ = try QuoteRules.futureDate(line.deliveryDate, field: "lines[\(i)].deliveryDate", today: now)
            }
            let detail = try Stored.encode(ChangeRequest(version: record.currentVersion, message: message, lines: lines))
            let renewing = record.status == QuoteStatus.expired.rawValue
            try move(db, &record, to: .changesRequested, by: .buyer, actorId: buyer.userId, kind: "changes_requested",
                     note: message ?? (renewing ? "Please renew this quote." : nil), detail: detail, now: now)
            record.dueAt = QuoteRules.dueAt(from: now, businessHours: settings.responseTimes.hours(Urgency(rawValue: record.urgency) ?? .standard))
            try record.update(db)
            events += try changed(db, record, reason: "changes_requested")
            return record
        }
        mailStaff(record, subject: "Changes requested on quote \(CommerceIds.quoteNumber(record.number))", text: message ?? "")
        return try view(record, viewer: buyer)
    }

    public func withdraw(id: String, by buyer: Viewer, now: Date = Date()) throws -> QuoteView {
        let record = try publisher.commit { db, events -> QuoteRecord in
            var record = try self.record(db, id: id, viewer: buyer)
            try move(db, &record, to: .withdrawn, by: .buyer, actorId: buyer.userId, kind: "withdrawn", note: nil, now: now)
            events += try changed(db, record, reason: "withdrawn")
            return record
        }
        return try view(record, viewer: buyer)
    }

    /// Accepts one exact, unexpired version; the order is made in the same transaction. The same
    /// acceptance again answers with that order.
    public func accept(id: String, version: Int, by buyer: Viewer, now: Date = Date()) throws -> (order: OrderRecord, quote: QuoteView, created: Bool) {
        var created = false
        let order = try publisher.commit { db, events -> OrderRecord in
            var record = try self.record(db, id: id, viewer: buyer)
            if record.status == QuoteStatus.accepted.rawValue, let orderId = record.orderId, let order = try OrderRecord.fetchOne(db, key: orderId) {
                guard order.quoteVersion == version else {
                    throw DomainError(.conflict, code: "already_accepted", "Version \(order.quoteVersion) of this quote was accepted already.", field: "version")
                }
                return order
            }
            guard let current = record.currentVersion, record.status == QuoteStatus.quoted.rawValue || record.status == QuoteStatus.expired.rawValue else {
                throw illegalMove("quote", from: record.status, to: QuoteStatus.accepted.rawValue)
            }
            guard version == current else {
                throw DomainError(.conflict, code: "superseded_version",
                                  "Version \(version) was replaced by version \(current); accept the current version.", field: "version")
            }
            guard record.status == QuoteStatus.quoted.rawValue, let until = record.validUntil, until > now else {
                throw DomainError(.conflict, code: "quote_expired", "This version expired; ask for it to be renewed.", field: "version")
            }
            guard let stored = try QuoteVersionRecord.fetchOne(db, key: ["quoteId": id, "version": version]) else {
                throw DomainError.notFound("No version \(version).")
            }
            let body = try Stored.decode(VersionBody.self, stored.body)
            let request = try Stored.decode(QuoteRequest.self, record.request)
            let order = try Orders.create(db, quote: record, version: version, body: body, request: request, now: now)
            record.orderId = order.id
            try move(db, &record, to: .accepted, by: .buyer, actorId: buyer.userId, kind: "accepted", note: "Version \(version) accepted.", now: now)
            events += try changed(db, record, reason: "accepted")
            events += try Orders.changed(db, order, reason: "created")
            created = true
            return order
        }
        let record = try database.read { db in try self.record(db, id: id, viewer: buyer) }
        if created {
            mailStaff(record, subject: "Quote \(CommerceIds.quoteNumber(record.number)) accepted: order \(CommerceIds.orderNumber(order.number))",
                      text: "The buyer accepted version \(version). Verify the payment when it arrives.")
        }
        return (order, try view(record, viewer: buyer), created)
    }

    /// The quote's designs go back into the cart at today's prices; gone ones are skipped.
    public func reorder(id: String, by buyer: Viewer) throws -> Int {
        let record = try database.read { db in try self.record(db, id: id, viewer: buyer) }
        let request = try Stored.decode(QuoteRequest.self, record.request)
        return try workspace.addAgain(buyerId: buyer.userId, lines: request.lines.map { ($0.offerId, $0.quantity) })
    }
}
