import FacetCore
import FacetStore
import Foundation
import GRDB

/// Quote requests, staff drafts, frozen versions and the thread between buyer and sales. Every
/// state change commits with its events (`quote.changed`, `quote.message`) in one transaction.
public final class Quotes: Sendable {
    let database: FacetDatabase
    let publisher: Publisher
    let offers: any OfferResolver
    let workspace: Workspace
    let presence: Presence
    let mail: (any CommerceMail)?
    public let settings: CommerceSettings
    let attachments: Attachments

    public init(database: FacetDatabase, publisher: Publisher, offers: any OfferResolver, workspace: Workspace, presence: Presence,
                mail: (any CommerceMail)?, attachments: Attachments, settings: CommerceSettings = .init()) {
        self.database = database
        self.publisher = publisher
        self.offers = offers
        self.workspace = workspace
        self.presence = presence
        self.mail = mail
        self.attachments = attachments
        self.settings = settings
    }

    // MARK: the request

    public struct Submission: Decodable, Sendable {
        public struct Line: Decodable, Sendable {
            public let offerId: String
            public let quantity: Int
            public let note: String?
        }
        public let lines: [Line]
        public let preferredDeliveryDate: String?
        public let customisation: String?
        public let urgency: Urgency?
        public let useCase: String?
        public let country: String?
    }

    /// A new request, or (same buyer, same idempotency key) the one already made.
    public func submit(buyerId: String, _ input: Submission, idempotencyKey: String?, now: Date = Date()) throws -> (QuoteView, created: Bool) {
        let key = try QuoteRules.text(idempotencyKey, field: "Idempotency-Key", limit: 200)
        if let key, let existing = try database.read({ db in
            try QuoteRecord.filter(Column("buyerId") == buyerId && Column("idempotencyKey") == key).fetchOne(db)
        }) {
            return (try view(existing, viewer: Viewer(userId: buyerId, role: .buyer, verified: true)), false)
        }
        guard !input.lines.isEmpty else { throw DomainError.invalid("lines", "Choose at least one design to quote.") }
        guard input.lines.count <= QuoteRules.maximumLines else {
            throw DomainError.invalid("lines", "A request holds at most \(QuoteRules.maximumLines) lines.")
        }
        guard Set(input.lines.map(\.offerId)).count == input.lines.count else {
            throw DomainError.invalid("lines", "Each design appears once; set its quantity instead.")
        }
        let live = try offers.offers(ids: input.lines.map(\.offerId))
        var lines: [RequestLine] = []
        for (i, line) in input.lines.enumerated() {
            guard let offer = live[line.offerId] else {
                throw DomainError(.invalid, code: "offer_unavailable", "The design on line \(i + 1) is no longer available.", field: "lines[\(i)].offerId")
            }
            lines.append(RequestLine(id: Identifier.make("ql"), offerId: line.offerId,
                                     quantity: try QuoteRules.quantity(line.quantity, field: "lines[\(i)].quantity"),
                                     note: try QuoteRules.text(line.note, field: "lines[\(i)].note", limit: CartRules.maximumNoteLength),
                                     snapshot: OfferSnapshot(offer)))
        }
        let request = QuoteRequest(lines: lines,
                                   preferredDeliveryDate: try QuoteRules.futureDate(input.preferredDeliveryDate, field: "preferredDeliveryDate", today: now),
                                   customisation: try QuoteRules.text(input.customisation, field: "customisation"),
                                   useCase: try QuoteRules.text(input.useCase, field: "useCase"),
                                   country: try QuoteRules.country(input.country))
        let urgency = input.urgency ?? .standard
        let draft = try initialDraft(request, live: live, now: now)
        let requested = Set(lines.map(\.offerId))
        var created: QuoteRecord?
        var inserted = false
        try publisher.transaction { db, events in
            // The same key racing itself: the loser finds the winner's quote.
            if let key, let existing = try QuoteRecord.filter(Column("buyerId") == buyerId && Column("idempotencyKey") == key).fetchOne(db) {
                created = existing
                return
            }
            let record = QuoteRecord(
                id: Identifier.make("q"), number: try CommerceIds.nextNumber(db, table: "quote"), buyerId: buyerId,
                status: QuoteStatus.submitted.rawValue, urgency: urgency.rawValue, request: try Stored.encode(request),
                draft: try Stored.encode(draft), draftRevision: 0, currentVersion: nil, validUntil: nil, assigneeId: nil,
                dueAt: QuoteRules.dueAt(from: now, businessHours: settings.responseTimes.hours(urgency)),
                isRepeat: try Self.orderedBefore(db, buyerId: buyerId, offerIds: requested), idempotencyKey: key, orderId: nil,
                buyerReadAt: now, staffReadAt: nil, createdAt: now, updatedAt: now)
            try record.insert(db)
            inserted = true
            try Self.activity(db, record, actor: .buyer, actorId: buyerId, kind: "submitted", note: nil, at: now)
            // What was asked for leaves the cart: it now lives on the quote.
            let removed = try Self.removeFromCart(db, buyerId: buyerId, offerIds: requested)
            if removed > 0 { events.append(try workspace.cartChanged(db, buyerId: buyerId, reason: "quoted")) }
            events += try self.changed(db, record, reason: "submitted")
            created = record
        }
        guard let record = created else { throw DomainError(.unavailable, code: "internal", "The request was not stored.") }
        guard inserted else { return (try view(record, viewer: Viewer(userId: buyerId, role: .buyer, verified: true)), false) }
        mailStaff(record, subject: "New quote request \(CommerceIds.quoteNumber(record.number))",
                  text: "A buyer asked for a quote (\(urgency == .urgent ? "urgent" : "standard")). It is due \(record.dueAt.formatted(.iso8601)).")
        return (try view(record, viewer: Viewer(userId: buyerId, role: .buyer, verified: true)), true)
    }

    /// Staff start from today's prices: our price for stock, the top of the range for sourced items.
    func initialDraft(_ request: QuoteRequest, live: [String: Offer], now: Date) throws -> QuoteDraft {
        let lines = request.lines.map { line -> DraftLine in
            let offer = live[line.offerId]
            let unit = offer.flatMap { CartRules.unitPrice($0, quantity: line.quantity)?.amount } ?? offer?.priceRange?.max ?? 0
            return DraftLine(lineId: line.id, quantity: line.quantity, unitPrice: unit, moq: offer?.moq ?? 1,
                             deliveryDays: offer?.deliveryDays.max ?? 30, supplierQuote: nil)
        }
        let currency = live.values.first.flatMap { $0.price?.currency ?? $0.priceRange?.currency } ?? settings.currency
        return QuoteDraft(currency: currency, lines: lines, paymentTerms: .standard,
                          validUntil: now.addingTimeInterval(TimeInterval(settings.defaultValidityDays) * 86_400), notes: nil,
                          updatedAt: now, updatedBy: nil)
    }

    static func orderedBefore(_ db: Database, buyerId: String, offerIds: Set<String>) throws -> Bool {
        for text in try String.fetchAll(db, sql: "SELECT lines FROM salesOrder WHERE buyerId = ?", arguments: [buyerId]) {
            let lines = try Stored.decode([OrderLine].self, text)
            if lines.contains(where: { offerIds.contains($0.offerId) }) { return true }
        }
        return false
    }

    static func removeFromCart(_ db: Database, buyerId: String, offerIds: Set<String>) throws -> Int {
        var removed = 0
        for id in offerIds {
            try db.execute(sql: "DELETE FROM cartLine WHERE buyerId = ? AND offerId = ?", arguments: [buyerId, id])
            removed += db.changesCount
        }
        return removed
    }

    // MARK: reading

    /// A quote the viewer may see; anyone else is told it does not exist.
    func record(_ db: Database, id: String, viewer: Viewer) throws -> QuoteRecord {
        guard let record = try QuoteRecord.fetchOne(db, key: id), viewer.role.isStaff || record.buyerId == viewer.userId else {
            throw DomainError.notFound("No quote \(id).")
        }
        return record
    }

    public func list(buyerId: String) throws -> (quotes: [QuoteSummaryView], unread: Int) {
        try database.read { db in
            let records = try QuoteRecord.filter(Column("buyerId") == buyerId).order(Column("createdAt").desc).fetchAll(db)
            let summaries = try records.map { try self.summary(db, $0, side: .buyer) }
            return (summaries, summaries.reduce(0) { $0 + $1.unread })
        }
    }

    public func view(id: String, viewer: Viewer, staffView: Bool) throws -> QuoteView {
        let record = try database.read { db in try self.record(db, id: id, viewer: viewer) }
        return try view(record, viewer: viewer, staffView: staffView && viewer.role.isStaff)
    }

    func view(_ record: QuoteRecord, viewer: Viewer, staffView: Bool = false) throws -> QuoteView {
        let request = try Stored.decode(QuoteRequest.self, record.request)
        var view = try database.read { db -> QuoteView in
            let versions = try QuoteVersionRecord.filter(Column("quoteId") == record.id).order(Column("version")).fetchAll(db)
            let activity = try QuoteActivityRecord.filter(Column("quoteId") == record.id).order(Column("id")).fetchAll(db)
            let side: Actor = viewer.role.isStaff ? .staff : .buyer
            return QuoteView(summary: try summary(db, record, side: side), request: Self.requestView(request),
                             versions: try versions.map { try Self.versionView($0, current: record) },
                             changeRequests: try activity.filter { $0.kind == "changes_requested" }.map {
                                 try Self.changeRequestView($0, currency: try Stored.decode(QuoteDraft.self, record.draft).currency)
                             },
                             history: activity.map { HistoryEntry(at: $0.at, status: $0.status, actor: $0.actor, note: $0.note) },
                             staff: nil)
        }
        if staffView { view.staff = try staffPart(record, request: request) }
        return view
    }

    func summary(_ db: Database, _ r: QuoteRecord, side: Actor) throws -> QuoteSummaryView {
        let request = try Stored.decode(QuoteRequest.self, r.request)
        let status = QuoteStatus(rawValue: r.status) ?? .submitted
        var total: Money?
        if let current = r.currentVersion,
           let body = try String.fetchOne(db, sql: "SELECT body FROM quoteVersion WHERE quoteId = ? AND version = ?", arguments: [r.id, current]) {
            total = try Stored.decode(VersionBody.self, body).total
        }
        let awaiting: Awaiting? = switch status {
        case .submitted, .inReview, .changesRequested: .staff
        case .quoted: .buyer
        default: nil
        }
        let (readAt, other) = side == .buyer ? (r.buyerReadAt, "staff") : (r.staffReadAt, "buyer")
        let unread = try Int.fetchOne(db, sql: "SELECT count(*) FROM quoteMessage WHERE quoteId = ? AND author = ? AND at > ?",
                                      arguments: [r.id, other, readAt ?? .distantPast]) ?? 0
        return QuoteSummaryView(id: r.id, number: CommerceIds.quoteNumber(r.number), status: status, awaiting: awaiting,
                                urgency: Urgency(rawValue: r.urgency) ?? .standard, dueAt: r.dueAt,
                                overdue: awaiting == .staff && r.dueAt < Date(), createdAt: r.createdAt, updatedAt: r.updatedAt,
                                lineCount: request.lines.count, images: Array(request.lines.compactMap(\.snapshot.image).prefix(4)),
                                currentVersion: r.currentVersion, total: total, validUntil: r.validUntil, unread: unread,
                                orderId: r.orderId, repeat: r.isRepeat)
    }

    static func requestView(_ request: QuoteRequest) -> RequestView {
        RequestView(lines: request.lines.map {
            .init(id: $0.id, offerId: $0.offerId, title: $0.snapshot.title, image: $0.snapshot.image, category: $0.snapshot.category,
                  source: $0.snapshot.source, quantity: $0.quantity, note: $0.note, snapshot: $0.snapshot)
        }, preferredDeliveryDate: request.preferredDeliveryDate, customisation: request.customisation, useCase: request.useCase,
           country: request.country)
    }

    static func versionView(_ v: QuoteVersionRecord, current: QuoteRecord) throws -> VersionView {
        let body = try Stored.decode(VersionBody.self, v.body)
        let deposit = try body.paymentTerms.deposit(of: body.total.amount)
        let expired = body.validUntil < Date() || (current.currentVersion == v.version && current.status == QuoteStatus.expired.rawValue)
        return VersionView(version: v.version, sentAt: v.sentAt, validUntil: body.validUntil, expired: expired, currency: body.currency,
                           lines: body.lines, total: body.total,
                           paymentTerms: .init(depositPercent: body.paymentTerms.depositPercent, balanceDue: body.paymentTerms.balanceDue,
                                               deposit: Money(amount: deposit, currency: body.currency)),
                           notes: body.notes, changes: body.changes)
    }

    static func changeRequestView(_ a: QuoteActivityRecord, currency: String) throws -> ChangeRequestView {
        let request = try a.detail.map { try Stored.decode(ChangeRequest.self, $0) } ?? ChangeRequest(version: nil, message: a.note, lines: [])
        return ChangeRequestView(version: request.version, message: request.message, lines: request.lines.map {
            .init(lineId: $0.lineId, targetUnitPrice: $0.targetUnitPrice.map { Money(amount: $0, currency: currency) }, quantity: $0.quantity,
                  deliveryDate: $0.deliveryDate)
        }, at: a.at)
    }

    // MARK: events and mail

    /// `quote.changed` for the quote's topic, its buyer and the admin room; a draft save only
    /// concerns staff.
    func changed(_ db: Database, _ record: QuoteRecord, reason: String, staffOnly: Bool = false) throws -> [PendingEvent] {
        let payload = QuoteChanged(quote: try summary(db, record, side: .buyer), reason: reason)
        let topics = staffOnly ? ["admin"] : ["quote:\(record.id)", Topic.buyer(record.buyerId).description, "admin"]
        return try topics.map { try PendingEvent(topic: $0, event: "quote.changed", data: payload) }
    }

    static func activity(_ db: Database, _ record: QuoteRecord, actor: Actor, actorId: String?, kind: String, note: String?,
                         detail: String? = nil, at: Date) throws {
        var entry = QuoteActivityRecord(quoteId: record.id, at: at, actor: actor.rawValue, actorId: actorId, status: record.status,
                                        kind: kind, note: note, detail: detail)
        try entry.insert(db)
    }

    func mailBuyer(_ record: QuoteRecord, subject: String, text: String) {
        guard let mail, !presence.isConnected(record.buyerId) else { return }
        guard (try? database.writer.write({ db in
            try MailThrottle.claim(db, key: "quote:\(record.id):\(record.buyerId)", now: Date(), window: settings.mailWindow)
        })) == true else { return }
        mail.send(toUserId: record.buyerId, subject: subject, text: text, path: "/quote.html?id=\(record.id)")
    }

    func mailStaff(_ record: QuoteRecord, subject: String, text: String) {
        guard let mail else { return }
        let recipients = record.assigneeId.map { [$0] } ?? mail.staffIds()
        for id in recipients where !presence.isConnected(id) {
            guard (try? database.writer.write({ db in
                try MailThrottle.claim(db, key: "quote:\(record.id):\(id)", now: Date(), window: settings.mailWindow)
            })) == true else { continue }
            mail.send(toUserId: id, subject: subject, text: text, path: "/admin-quote.html?id=\(record.id)")
        }
    }

    /// Moves a quote through the state machine and records who did it.
    func move(_ db: Database, _ record: inout QuoteRecord, to next: QuoteStatus, by actor: Actor, actorId: String?, kind: String,
              note: String?, detail: String? = nil, now: Date) throws {
        let current = QuoteStatus(rawValue: record.status) ?? .submitted
        record.status = try current.move(to: next, by: actor).rawValue
        record.updatedAt = now
        try record.update(db)
        try Self.activity(db, record, actor: actor, actorId: actorId, kind: kind, note: note, detail: detail, at: now)
    }
}
