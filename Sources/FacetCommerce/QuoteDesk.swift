import FacetCore
import FacetStore
import Foundation
import GRDB

/// The sales team's side of a quote: the queue, claiming, the draft and sending a version.
extension Quotes {
    public func queue(status: QuoteStatus?, assignee: String?, staffId: String, limit: Int = 200) throws -> (quotes: [QuoteSummaryView], unread: Int, overdue: Int) {
        try database.read { db in
            // Waiting on us first, oldest due first; then the rest, newest first.
            var request = QuoteRecord.order(sql: """
                CASE WHEN status IN ('submitted', 'in_review', 'changes_requested') THEN 0 ELSE 1 END,
                CASE WHEN status IN ('submitted', 'in_review', 'changes_requested') THEN dueAt END, updatedAt DESC
                """).limit(limit)
            if let status { request = request.filter(Column("status") == status.rawValue) }
            switch assignee {
            case nil, "", "all": break
            case "none": request = request.filter(Column("assigneeId") == nil)
            case "me": request = request.filter(Column("assigneeId") == staffId)
            case let id?: request = request.filter(Column("assigneeId") == id)
            }
            let records = try request.fetchAll(db)
            var summaries = try records.map { r -> QuoteSummaryView in
                var s = try self.summary(db, r, side: .staff)
                s.staffList = true
                s.buyer = try Self.buyerBrief(db, r.buyerId, full: false)
                s.assignee = try r.assigneeId.flatMap { try Self.staffBrief(db, $0) }
                return s
            }
            let overdue = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM quote WHERE status IN ('submitted', 'in_review', 'changes_requested') AND dueAt < ?
                """, arguments: [Date()]) ?? 0
            return (summaries, summaries.reduce(0) { $0 + $1.unread }, overdue)
        }
    }

    static func buyerBrief(_ db: Database, _ id: String, full: Bool) throws -> BuyerBrief {
        let user = try UserRecord.fetchOne(db, key: id)
        var brief = BuyerBrief(id: id, companyName: user?.companyName ?? "(deleted account)")
        if full {
            brief.email = user?.email
            brief.contactName = user?.contactName
            brief.country = user?.country
            brief.quotes = try QuoteRecord.filter(Column("buyerId") == id).fetchCount(db)
            brief.orders = try OrderRecord.filter(Column("buyerId") == id).fetchCount(db)
        }
        return brief
    }

    static func staffBrief(_ db: Database, _ id: String) throws -> StaffBrief? {
        guard let user = try UserRecord.fetchOne(db, key: id) else { return nil }
        return StaffBrief(id: id, email: user.email, name: user.contactName)
    }

    func staffPart(_ record: QuoteRecord, request: QuoteRequest) throws -> QuoteView.StaffPart {
        let ids = request.lines.map(\.offerId)
        let origins = try offers.origins(ids: ids)
        let live = try offers.offers(ids: ids)
        let markups = try MarkupStore(database: database).table()
        let draft = try Stored.decode(QuoteDraft.self, record.draft)
        return try database.read { db in
            QuoteView.StaffPart(
                buyer: try Self.buyerBrief(db, record.buyerId, full: true),
                assignee: try record.assigneeId.flatMap { try Self.staffBrief(db, $0) },
                draft: try Self.draftView(draft, revision: record.draftRevision, request: request, origins: origins, live: live, markups: markups),
                origins: Dictionary(uniqueKeysWithValues: request.lines.compactMap { l in origins[l.offerId].map { (l.id, $0) } }),
                live: Dictionary(uniqueKeysWithValues: request.lines.map { ($0.id, live[$0.offerId]) }))
        }
    }

    /// The draft with what staff price against: today's cost, the price the markup proposes, the margin.
    static func draftView(_ draft: QuoteDraft, revision: Int, request: QuoteRequest, origins: [String: OfferOrigin], live: [String: Offer],
                          markups: MarkupTable) throws -> DraftView {
        let byLine = Dictionary(uniqueKeysWithValues: request.lines.map { ($0.id, $0) })
        var lines: [DraftView.Line] = []
        for line in draft.lines {
            let requested = byLine[line.lineId]
            let origin = requested.flatMap { origins[$0.offerId] }
            var cost = origin?.cost
            var proposed: Money?
            if let supplier = line.supplierQuote, let category = requested?.snapshot.category {
                cost = supplier.unitPrice
                proposed = Money(amount: try Pricing.apply(markups.marketplaceBasisPoints(for: category), to: supplier.unitPrice.amount),
                                 currency: supplier.unitPrice.currency)
            } else if let offer = requested.flatMap({ live[$0.offerId] }) {
                proposed = CartRules.unitPrice(offer, quantity: line.quantity) ?? offer.priceRange.map { Money(amount: $0.max, currency: $0.currency) }
            }
            let margin = cost.flatMap { c -> DraftView.Margin? in
                guard c.currency == draft.currency, let bp = QuoteRules.marginBasisPoints(price: line.unitPrice, cost: c.amount) else { return nil }
                return .init(amount: Money(amount: line.unitPrice - c.amount, currency: draft.currency), basisPoints: bp)
            }
            lines.append(.init(lineId: line.lineId, quantity: line.quantity, unitPrice: Money(amount: line.unitPrice, currency: draft.currency),
                               moq: line.moq, deliveryDays: line.deliveryDays, proposedUnitPrice: proposed, cost: cost, margin: margin,
                               supplierQuote: line.supplierQuote,
                               lineTotal: Money(amount: try QuoteRules.lineTotal(unitPrice: line.unitPrice, quantity: line.quantity),
                                                currency: draft.currency)))
        }
        let total = try QuoteRules.sum(lines.map(\.lineTotal.amount))
        return DraftView(revision: revision, updatedAt: draft.updatedAt, updatedBy: draft.updatedBy, currency: draft.currency, lines: lines,
                         total: Money(amount: total, currency: draft.currency), paymentTerms: draft.paymentTerms, validUntil: draft.validUntil,
                         notes: draft.notes)
    }

    static func days(_ value: Int, field: String) throws -> Int {
        guard (0...QuoteRules.maximumDeliveryDays).contains(value) else {
            throw DomainError.invalid(field, "\(field) is 0 to \(QuoteRules.maximumDeliveryDays) days.")
        }
        return value
    }

    public func staffView(id: String, staff: Viewer) throws -> QuoteView { try view(id: id, viewer: staff, staffView: true) }

    /// Claims a quote for a staff member (nil unassigns). The first claim opens the review.
    public func assign(id: String, to staffId: String?, by staff: Viewer, now: Date = Date()) throws -> QuoteView {
        try publisher.transaction { db, events in
            var record = try self.record(db, id: id, viewer: staff)
            if let staffId {
                guard let user = try UserRecord.fetchOne(db, key: staffId), user.role.isStaff else {
                    throw DomainError.invalid("staffId", "No staff member \(staffId).")
                }
            }
            record.assigneeId = staffId
            record.updatedAt = now
            if record.status == QuoteStatus.submitted.rawValue, staffId != nil {
                try move(db, &record, to: .inReview, by: .staff, actorId: staff.userId, kind: "assigned", note: nil, now: now)
            } else {
                try record.update(db)
                try Self.activity(db, record, actor: .staff, actorId: staff.userId, kind: "assigned", note: nil, at: now)
            }
            events += try changed(db, record, reason: "assigned")
        }
        return try staffView(id: id, staff: staff)
    }

    public struct DraftInput: Decodable, Sendable {
        public struct Line: Decodable, Sendable {
            public let lineId: String
            public let unitPrice: Int64
            public let quantity: Int?
            public let moq: Int
            public let deliveryDays: Int
            public let supplierQuote: SupplierQuoteInput?
        }
        public struct SupplierQuoteInput: Decodable, Sendable {
            public let unitPrice: Int64
            public let moq: Int
            public let leadTimeDays: Int
            public let validUntil: String?
            public let note: String?
        }
        public let revision: Int
        public let lines: [Line]
        public let paymentTerms: PaymentTerms?
        public let validUntil: String?
        public let notes: String?
    }

    /// Saves the working copy. Two staff editing one draft: the second save names a revision
    /// that is no longer current and is refused, so nothing is overwritten.
    public func saveDraft(id: String, _ input: DraftInput, by staff: Viewer, now: Date = Date()) throws -> DraftView {
        guard !input.lines.isEmpty else { throw DomainError.invalid("lines", "A draft prices every line of the request.") }
        try publisher.transaction { db, events in
            var record = try self.record(db, id: id, viewer: staff)
            guard let status = QuoteStatus(rawValue: record.status), !status.isFinal else {
                throw DomainError.conflict("quote_closed", "This quote is \(record.status); its draft can no longer change.")
            }
            guard input.revision == record.draftRevision else {
                throw DomainError(.conflict, code: "stale_draft",
                                  "Someone saved this draft after you opened it (revision \(record.draftRevision), yours \(input.revision)). Reload to see their changes.",
                                  field: "revision")
            }
            let request = try Stored.decode(QuoteRequest.self, record.request)
            var draft = try Stored.decode(QuoteDraft.self, record.draft)
            let known = Set(request.lines.map(\.id))
            guard Set(input.lines.map(\.lineId)) == known, input.lines.count == known.count else {
                throw DomainError.invalid("lines", "The draft names each line of the request exactly once.")
            }
            draft.lines = try input.lines.enumerated().map { i, line in
                let field = "lines[\(i)]"
                guard (1...CartRules.maximumQuantity).contains(line.moq) else { throw DomainError.invalid("\(field).moq", "The MOQ is a whole number from 1.") }
                _ = try Self.days(line.deliveryDays, field: "\(field).deliveryDays")
                let supplier = try line.supplierQuote.map { q in
                    SupplierQuote(unitPrice: Money(amount: try QuoteRules.price(q.unitPrice, field: "\(field).supplierQuote.unitPrice"), currency: draft.currency),
                                  moq: try QuoteRules.quantity(q.moq, field: "\(field).supplierQuote.moq"),
                                  leadTimeDays: try Self.days(q.leadTimeDays, field: "\(field).supplierQuote.leadTimeDays"),
                                  validUntil: try QuoteRules.futureDate(q.validUntil, field: "\(field).supplierQuote.validUntil", today: now.addingTimeInterval(-86_400 * 365)),
                                  note: try QuoteRules.text(q.note, field: "\(field).supplierQuote.note", limit: 500))
                }
                let quantity = try QuoteRules.quantity(line.quantity ?? draft.lines.first { $0.lineId == line.lineId }?.quantity ?? 1, field: "\(field).quantity")
                _ = try QuoteRules.lineTotal(unitPrice: try QuoteRules.price(line.unitPrice, field: "\(field).unitPrice"), quantity: quantity)
                return DraftLine(lineId: line.lineId, quantity: quantity, unitPrice: line.unitPrice, moq: line.moq, deliveryDays: line.deliveryDays,
                                 supplierQuote: supplier)
            }
            _ = try QuoteRules.sum(try draft.lines.map { try QuoteRules.lineTotal(unitPrice: $0.unitPrice, quantity: $0.quantity) })
            if let terms = input.paymentTerms { draft.paymentTerms = try terms.validated() }
            if let text = input.validUntil {
                let until = try QuoteRules.instant(text, field: "validUntil", endOfDay: true)
                guard until > now else { throw DomainError.invalid("validUntil", "The quote must be valid until a moment in the future.") }
                guard until < now.addingTimeInterval(366 * 86_400) else { throw DomainError.invalid("validUntil", "A quote holds for at most a year.") }
                draft.validUntil = until
            }
            draft.notes = try QuoteRules.text(input.notes, field: "notes")
            draft.updatedAt = now
            draft.updatedBy = staff.userId
            record.draft = try Stored.encode(draft)
            record.draftRevision += 1
            record.updatedAt = now
            try record.update(db)
            events += try changed(db, record, reason: "draft_saved", staffOnly: true)
        }
        guard let part = try staffView(id: id, staff: staff).staff else { throw DomainError.notFound("No quote \(id).") }
        return part.draft
    }

    /// Freezes the draft as the next version and sends it to the buyer.
    public func send(id: String, revision: Int?, by staff: Viewer, now: Date = Date()) throws -> (VersionView, QuoteView) {
        var sent: QuoteRecord?
        var number = 0
        try publisher.transaction { db, events in
            var record = try self.record(db, id: id, viewer: staff)
            if let revision, revision != record.draftRevision {
                throw DomainError(.conflict, code: "stale_draft", "The draft changed since you looked (revision \(record.draftRevision)). Reload before sending.",
                                  field: "revision")
            }
            let request = try Stored.decode(QuoteRequest.self, record.request)
            let draft = try Stored.decode(QuoteDraft.self, record.draft)
            guard draft.validUntil > now else {
                throw DomainError.invalid("validUntil", "The draft's validity has passed; set a new date before sending.")
            }
            let byLine = Dictionary(uniqueKeysWithValues: request.lines.map { ($0.id, $0) })
            let lines = try draft.lines.enumerated().map { i, line -> QuotedLine in
                guard line.unitPrice > 0 else { throw DomainError.invalid("lines[\(i)].unitPrice", "Price every line before sending.") }
                let total = try QuoteRules.lineTotal(unitPrice: line.unitPrice, quantity: line.quantity)
                return QuotedLine(lineId: line.lineId, title: byLine[line.lineId]?.snapshot.title ?? "", image: byLine[line.lineId]?.snapshot.image,
                                  quantity: line.quantity, unitPrice: Money(amount: line.unitPrice, currency: draft.currency),
                                  lineTotal: Money(amount: total, currency: draft.currency), moq: line.moq, deliveryDays: line.deliveryDays)
            }
            let total = Money(amount: try QuoteRules.sum(lines.map(\.lineTotal.amount)), currency: draft.currency)
            var changes: [VersionChange] = []
            if let current = record.currentVersion, let previous = try QuoteVersionRecord.fetchOne(db, key: ["quoteId": id, "version": current]) {
                let old = try Stored.decode(VersionBody.self, previous.body)
                changes = VersionChange.between(old.lines, lines, oldTerms: old.paymentTerms, newTerms: draft.paymentTerms,
                                                oldValidUntil: old.validUntil, newValidUntil: draft.validUntil)
                if let a = old.notes, a != draft.notes { changes.append(.init(lineId: nil, field: "notes", from: a, to: draft.notes ?? "")) }
            }
            number = (record.currentVersion ?? 0) + 1
            let body = VersionBody(currency: draft.currency, lines: lines, total: total, paymentTerms: draft.paymentTerms,
                                   validUntil: draft.validUntil, notes: draft.notes, changes: changes)
            try QuoteVersionRecord(quoteId: id, version: number, body: try Stored.encode(body), sentAt: now, sentBy: staff.userId).insert(db)
            record.currentVersion = number
            record.validUntil = draft.validUntil
            if record.assigneeId == nil { record.assigneeId = staff.userId }
            try move(db, &record, to: .quoted, by: .staff, actorId: staff.userId, kind: "sent", note: "Version \(number) sent.", now: now)
            events += try changed(db, record, reason: "sent")
            sent = record
        }
        guard let record = sent else { throw DomainError.notFound("No quote \(id).") }
        mailBuyer(record, subject: "Your quote \(CommerceIds.quoteNumber(record.number)) is ready",
                  text: "Version \(number) of your quote is ready to review. It is valid until \(record.validUntil?.formatted(.iso8601) ?? "").")
        let view = try staffView(id: id, staff: staff)
        guard let version = view.versions.last else { throw DomainError.notFound("No quote \(id).") }
        return (version, view)
    }

    public func decline(id: String, reason: String?, by viewer: Viewer, now: Date = Date()) throws -> QuoteView {
        let note = try QuoteRules.text(reason, field: "reason", limit: 1000)
        let record = try publisher.commit { db, events -> QuoteRecord in
            var record = try self.record(db, id: id, viewer: viewer)
            try move(db, &record, to: .declined, by: Actor(viewer), actorId: viewer.userId, kind: "declined", note: note, now: now)
            events += try changed(db, record, reason: "declined")
            return record
        }
        if viewer.role.isStaff {
            mailBuyer(record, subject: "Your quote \(CommerceIds.quoteNumber(record.number)) was declined", text: note ?? "We cannot quote this request.")
        } else {
            mailStaff(record, subject: "Quote \(CommerceIds.quoteNumber(record.number)) declined by the buyer", text: note ?? "")
        }
        return try view(id: id, viewer: viewer, staffView: viewer.role.isStaff)
    }

    /// Expires every sent version past its validity; run on a timer and at start-up, so a restart misses nothing.
    @discardableResult
    public func expireDue(now: Date = Date()) throws -> Int {
        let due = try database.read { db in
            try QuoteRecord.filter(Column("status") == QuoteStatus.quoted.rawValue && Column("validUntil") < now).fetchAll(db)
        }
        var expired = 0
        for candidate in due {
            try publisher.transaction { db, events in
                guard var record = try QuoteRecord.fetchOne(db, key: candidate.id), record.status == QuoteStatus.quoted.rawValue,
                      let until = record.validUntil, until < now else { return }
                try move(db, &record, to: .expired, by: .system, actorId: nil, kind: "expired",
                         note: "Version \(record.currentVersion ?? 0) passed its validity.", now: now)
                events += try changed(db, record, reason: "expired")
                expired += 1
            }
        }
        return expired
    }
}
