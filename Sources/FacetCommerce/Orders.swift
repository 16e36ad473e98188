import FacetCore
import FacetStore
import Foundation
import GRDB

/// Orders made from accepted quotes: payment, fulfilment, shipping, receipt, feedback and
/// issues. Each change commits with its `order.changed` events and a timeline entry.
public final class Orders: Sendable {
    let database: FacetDatabase
    let publisher: Publisher
    let offers: any OfferResolver
    let workspace: Workspace
    let presence: Presence
    let mail: (any CommerceMail)?
    let brands: (any BrandOrdering)?
    let attachments: Attachments
    let settings: CommerceSettings

    public init(database: FacetDatabase, publisher: Publisher, offers: any OfferResolver, workspace: Workspace, presence: Presence,
                mail: (any CommerceMail)?, brands: (any BrandOrdering)?, attachments: Attachments, settings: CommerceSettings = .init()) {
        self.database = database
        self.publisher = publisher
        self.offers = offers
        self.workspace = workspace
        self.presence = presence
        self.mail = mail
        self.brands = brands
        self.attachments = attachments
        self.settings = settings
    }

    // MARK: creation (inside the acceptance's transaction)

    static func create(_ db: Database, quote: QuoteRecord, version: Int, body: VersionBody, request: QuoteRequest, now: Date) throws -> OrderRecord {
        let byLine = Dictionary(uniqueKeysWithValues: request.lines.map { ($0.id, $0) })
        let lines = body.lines.map { line in
            OrderLine(id: Identifier.make("ol"), quoteLineId: line.lineId, offerId: byLine[line.lineId]?.offerId ?? "", title: line.title,
                      image: line.image, category: byLine[line.lineId]?.snapshot.category ?? .other,
                      source: byLine[line.lineId]?.snapshot.source ?? .inventory, quantity: line.quantity, unitPrice: line.unitPrice,
                      lineTotal: line.lineTotal, deliveryDays: line.deliveryDays, shippedQuantity: 0, rating: nil)
        }
        let order = OrderRecord(id: Identifier.make("o"), number: try CommerceIds.nextNumber(db, table: "salesOrder"), quoteId: quote.id,
                                quoteVersion: version, buyerId: quote.buyerId, status: OrderStatus.confirmed.rawValue, currency: body.currency,
                                lines: try Stored.encode(lines), total: body.total.amount, paymentTerms: try Stored.encode(body.paymentTerms),
                                paid: 0, receivedAt: nil, feedback: nil, createdAt: now, updatedAt: now)
        try order.insert(db)
        var entry = OrderActivityRecord(orderId: order.id, at: now, actor: Actor.buyer.rawValue, actorId: quote.buyerId,
                                        status: order.status, note: "Quote \(CommerceIds.quoteNumber(quote.number)) version \(version) accepted.", detail: nil)
        try entry.insert(db)
        return order
    }

    static func changed(_ db: Database, _ order: OrderRecord, reason: String) throws -> [PendingEvent] {
        let payload = OrderChanged(order: try summary(db, order), reason: reason)
        return try ["order:\(order.id)", Topic.buyer(order.buyerId).description, "admin"].map {
            try PendingEvent(topic: $0, event: "order.changed", data: payload)
        }
    }

    // MARK: reading

    func record(_ db: Database, id: String, viewer: Viewer) throws -> OrderRecord {
        guard let r = try OrderRecord.fetchOne(db, key: id), viewer.role.isStaff || r.buyerId == viewer.userId else {
            throw DomainError.notFound("No order \(id).")
        }
        return r
    }

    public func list(buyerId: String?, status: OrderStatus? = nil, limit: Int = 200) throws -> [OrderSummaryView] {
        try database.read { db in
            var request = OrderRecord.order(Column("createdAt").desc).limit(limit)
            if let buyerId { request = request.filter(Column("buyerId") == buyerId) }
            if let status { request = request.filter(Column("status") == status.rawValue) }
            return try request.fetchAll(db).map { r in
                var s = try Self.summary(db, r)
                if buyerId == nil { s.buyer = try Quotes.buyerBrief(db, r.buyerId, full: false) }
                return s
            }
        }
    }

    public func view(id: String, viewer: Viewer, staffView: Bool = false) throws -> OrderView {
        let record = try database.read { db in try self.record(db, id: id, viewer: viewer) }
        return try view(record, staffView: staffView && viewer.role.isStaff)
    }

    func view(_ r: OrderRecord, staffView: Bool) throws -> OrderView {
        let lines = try Stored.decode([OrderLine].self, r.lines)
        var view = try database.read { db -> OrderView in
            let terms = try Stored.decode(PaymentTerms.self, r.paymentTerms)
            let activity = try OrderActivityRecord.filter(Column("orderId") == r.id).order(Column("id")).fetchAll(db)
            let payments = try OrderPaymentRecord.filter(Column("orderId") == r.id).order(Column("recordedAt")).fetchAll(db)
            let issues = try OrderIssueRecord.filter(Column("orderId") == r.id).order(Column("createdAt")).fetchAll(db)
            let deposit = try terms.deposit(of: r.total)
            let money = { (amount: Int64) in Money(amount: amount, currency: r.currency) }
            let timeline = try activity.map { a -> TimelineEntry in
                let detail = try a.detail.map { try Stored.decode(ShipmentDetail.self, $0) }
                return TimelineEntry(at: a.at, status: a.status, actor: a.actor, note: a.note, carrier: detail?.carrier,
                                     trackingNumber: detail?.trackingNumber, trackingUrl: detail?.trackingUrl, lines: detail?.lines)
            }
            let shipments = timeline.compactMap { t -> ShipmentView? in
                guard let carrier = t.carrier, let number = t.trackingNumber else { return nil }
                return ShipmentView(at: t.at, carrier: carrier, trackingNumber: number, trackingUrl: t.trackingUrl, lines: t.lines ?? [])
            }
            let feedback = try r.feedback.map { try Stored.decode(OrderFeedback.self, $0) }
            return OrderView(
                summary: try Self.summary(db, r), quoteVersion: r.quoteVersion, currency: r.currency,
                lines: lines.map { .init(id: $0.id, title: $0.title, image: $0.image, category: $0.category, quantity: $0.quantity,
                                         unitPrice: $0.unitPrice, lineTotal: $0.lineTotal, deliveryDays: $0.deliveryDays,
                                         shippedQuantity: $0.shippedQuantity, rating: $0.rating) },
                paymentTerms: terms,
                payment: PaymentState(reference: CommerceIds.orderNumber(r.number), instructions: settings.paymentInstructions,
                                      depositDue: money(max(0, deposit - r.paid)), balanceDue: money(r.total - deposit),
                                      outstanding: money(max(0, r.total - r.paid))),
                payments: payments.map { PaymentView(id: $0.id, amount: money($0.amount), reference: $0.reference, receivedAt: $0.receivedAt,
                                                     recordedAt: $0.recordedAt) },
                timeline: timeline, shipments: shipments, receivedAt: r.receivedAt,
                feedback: feedback.map { FeedbackView(rating: $0.rating, comment: $0.comment, lines: $0.lines, at: $0.at) },
                issues: try issues.map { try Self.issueView(db, $0) }, staff: nil)
        }
        if staffView {
            let origins = try offers.origins(ids: lines.map(\.offerId))
            view.staff = try database.read { db in
                let brandOrders = try OrderFulfilment.brandOrders(db, facetOrderId: r.id).map { row in
                    OrderView.Fulfilment.BrandOrder(brand: row["brand"], idempotencyKey: row["idempotencyKey"], status: row["status"],
                                                    brandOrderId: row["brandOrderId"], error: row["lastError"])
                }
                let pos = try SupplierOrderRecord.filter(Column("orderId") == r.id).order(Column("at")).fetchAll(db).map {
                    OrderView.Fulfilment.PurchaseOrder(lineId: $0.lineId, supplier: $0.supplier, reference: $0.reference,
                                                       promisedDate: $0.promisedDate, at: $0.at)
                }
                return OrderView.StaffPart(buyer: try Quotes.buyerBrief(db, r.buyerId, full: true),
                                           origins: Dictionary(uniqueKeysWithValues: lines.compactMap { l in origins[l.offerId].map { (l.id, $0) } }),
                                           fulfilment: .init(brandOrders: brandOrders, purchaseOrders: pos))
            }
        }
        return view
    }

    static func summary(_ db: Database, _ r: OrderRecord) throws -> OrderSummaryView {
        let lines = try Stored.decode([OrderLine].self, r.lines)
        let quoteNumber = try Int.fetchOne(db, sql: "SELECT number FROM quote WHERE id = ?", arguments: [r.quoteId]) ?? 0
        let since = try Date.fetchOne(db, sql: "SELECT max(at) FROM orderActivity WHERE orderId = ?", arguments: [r.id]) ?? r.createdAt
        return OrderSummaryView(id: r.id, number: CommerceIds.orderNumber(r.number), quoteId: r.quoteId,
                                quoteNumber: CommerceIds.quoteNumber(quoteNumber), status: OrderStatus(rawValue: r.status) ?? .confirmed,
                                total: Money(amount: r.total, currency: r.currency), paid: Money(amount: r.paid, currency: r.currency),
                                createdAt: r.createdAt, updatedAt: r.updatedAt, lineCount: lines.count,
                                images: Array(lines.compactMap(\.image).prefix(4)),
                                nextStep: OrderSchedule.next(after: OrderStatus(rawValue: r.status) ?? .confirmed, since: since,
                                                             deliveryDays: lines.map(\.deliveryDays).max() ?? 30),
                                buyer: nil)
    }

    static func issueView(_ db: Database, _ i: OrderIssueRecord) throws -> IssueView {
        IssueView(id: i.id, kind: i.kind, status: IssueStatus(rawValue: i.status) ?? .open, description: i.description,
                  lineIds: try Stored.decode([String].self, i.lineIds), attachments: try Attachments.views(db, idsJSON: i.attachments),
                  outcome: i.outcome, reference: i.reference,
                  notes: try Stored.decode([IssueNote].self, i.notes).map { .init(at: $0.at, actor: $0.actor, note: $0.note) },
                  createdAt: i.createdAt, updatedAt: i.updatedAt)
    }

    // MARK: changes

    /// One change to an order, its timeline entry and its events, in one transaction; then mail.
    func change(id: String, viewer: Viewer, reason: String, mailSubject: String?,
                _ body: (Database, inout OrderRecord) throws -> OrderActivityRecord?) throws -> OrderView {
        let record = try publisher.commit { db, events -> OrderRecord in
            var record = try self.record(db, id: id, viewer: viewer)
            if var entry = try body(db, &record) {
                record.updatedAt = entry.at
                try entry.insert(db)
            }
            try record.update(db)
            events += try Self.changed(db, record, reason: reason)
            return record
        }
        if let mailSubject, viewer.role.isStaff { mailBuyer(record, subject: mailSubject) }
        return try view(record, staffView: viewer.role.isStaff)
    }

    func mailBuyer(_ r: OrderRecord, subject: String) {
        guard let mail, !presence.isConnected(r.buyerId) else { return }
        guard (try? database.writer.write({ db in
            try MailThrottle.claim(db, key: "order:\(r.id):\(r.buyerId)", now: Date(), window: settings.mailWindow)
        })) == true else { return }
        mail.send(toUserId: r.buyerId, subject: "Order \(CommerceIds.orderNumber(r.number)): \(subject)",
                  text: "There is news on your order \(CommerceIds.orderNumber(r.number)): \(subject).", path: "/order.html?id=\(r.id)")
    }

    static func entry(_ r: OrderRecord, _ viewer: Viewer, note: String?, detail: String? = nil, at now: Date) -> OrderActivityRecord {
        OrderActivityRecord(orderId: r.id, at: now, actor: Actor(viewer).rawValue, actorId: viewer.userId, status: r.status, note: note, detail: detail)
    }

    static func move(_ r: inout OrderRecord, to next: OrderStatus, by actor: Actor) throws {
        r.status = try (OrderStatus(rawValue: r.status) ?? .confirmed).move(to: next, by: actor).rawValue
    }

    public struct PaymentInput: Decodable, Sendable {
        public let amount: Int64
        public let reference: String
        public let receivedAt: String
        public init(amount: Int64, reference: String, receivedAt: String) {
            self.amount = amount
            self.reference = reference
            self.receivedAt = receivedAt
        }
    }

    /// A payment staff saw arrive. The deposit (or the whole amount) received verifies the order.
    public func recordPayment(id: String, _ input: PaymentInput, by staff: Viewer, now: Date = Date()) throws -> (PaymentView, OrderView) {
        guard let reference = try QuoteRules.text(input.reference, field: "reference", limit: 200) else {
            throw DomainError.invalid("reference", "Give the payment's bank reference.")
        }
        let receivedAt = try QuoteRules.instant(input.receivedAt, field: "receivedAt")
        guard receivedAt <= now.addingTimeInterval(86_400) else { throw DomainError.invalid("receivedAt", "The payment cannot arrive in the future.") }
        var payment: OrderPaymentRecord?
        let view = try change(id: id, viewer: staff, reason: "payment", mailSubject: "payment received") { db, r in
            let amount = try QuoteRules.price(input.amount, field: "amount")
            guard r.status != OrderStatus.closed.rawValue else { throw DomainError.conflict("order_closed", "This order is closed.") }
            let outstanding = r.total - r.paid
            guard amount <= outstanding else {
                throw DomainError.invalid("amount", "Only \(outstanding) (minor units) is outstanding on this order.")
            }
            let p = OrderPaymentRecord(id: Identifier.make("pay"), orderId: r.id, amount: amount, reference: reference,
                                       receivedAt: receivedAt, recordedBy: staff.userId, recordedAt: now)
            try p.insert(db)
            payment = p
            r.paid += amount
            let deposit = try Stored.decode(PaymentTerms.self, r.paymentTerms).deposit(of: r.total)
            if r.status == OrderStatus.confirmed.rawValue, r.paid >= deposit {
                try Self.move(&r, to: .paymentVerified, by: .staff)
                return Self.entry(r, staff, note: r.paid >= r.total ? "Payment received in full." : "Deposit received.", at: now)
            }
            return Self.entry(r, staff, note: "Payment received.", at: now)
        }
        guard let payment else { throw DomainError.notFound("No order \(id).") }
        return (PaymentView(id: payment.id, amount: Money(amount: payment.amount, currency: view.currency), reference: payment.reference,
                            receivedAt: payment.receivedAt, recordedAt: payment.recordedAt), view)
    }

    public struct StatusInput: Decodable, Sendable {
        public let status: OrderStatus
        public let carrier: String?
        public let trackingNumber: String?
        public let trackingUrl: String?
        public let lines: [ShippedLine]?
        public let note: String?
        public init(status: OrderStatus, carrier: String?, trackingNumber: String?, trackingUrl: String?, lines: [ShippedLine]?, note: String?) {
            self.status = status
            self.carrier = carrier
            self.trackingNumber = trackingNumber
            self.trackingUrl = trackingUrl
            self.lines = lines
            self.note = note
        }
    }

    /// Staff move an order on. Shipping names the carrier and tracking; a shipment may carry part
    /// of the lines, and the order stays `shipped` until the last piece has left.
    public func setStatus(id: String, _ input: StatusInput, by staff: Viewer, now: Date = Date()) throws -> OrderView {
        let note = try QuoteRules.text(input.note, field: "note", limit: 1000)
        let label = input.status.rawValue.replacingOccurrences(of: "_", with: " ")
        return try change(id: id, viewer: staff, reason: input.status == .shipped ? "shipped" : input.status == .delivered ? "delivered" : "status",
                          mailSubject: label) { _, r in
            switch input.status {
            case .paymentVerified:
                throw DomainError.conflict("record_payment", "Record the payment; the order is verified when the deposit has arrived.")
            case .shipped:
                return try ship(&r, input, note: note, staff: staff, now: now)
            case .delivered:
                try Self.move(&r, to: .delivered, by: .staff)
                r.receivedAt = r.receivedAt ?? now
                return Self.entry(r, staff, note: note, at: now)
            default:
                try Self.move(&r, to: input.status, by: .staff)
                return Self.entry(r, staff, note: note, at: now)
            }
        }
    }

    func ship(_ r: inout OrderRecord, _ input: StatusInput, note: String?, staff: Viewer, now: Date) throws -> OrderActivityRecord {
        guard let carrier = try QuoteRules.text(input.carrier, field: "carrier", limit: 100) else {
            throw DomainError.invalid("carrier", "Name the carrier.")
        }
        guard let tracking = try QuoteRules.text(input.trackingNumber, field: "trackingNumber", limit: 100) else {
            throw DomainError.invalid("trackingNumber", "Give the tracking number.")
        }
        let url = try QuoteRules.text(input.trackingUrl, field: "trackingUrl", limit: 500)
        if let url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
            throw DomainError.invalid("trackingUrl", "The tracking link is an http(s) address.")
        }
        let terms = try Stored.decode(PaymentTerms.self, r.paymentTerms)
        let current = OrderStatus(rawValue: r.status) ?? .confirmed
        guard current.canMove(to: .shipped, by: .staff) else { throw illegalMove("order", from: r.status, to: "shipped") }
        if terms.balanceDue == .beforeShipment, r.paid < r.total {
            throw DomainError.conflict("balance_unpaid", "The balance is due before shipment: \(r.total - r.paid) (minor units) is still outstanding.")
        }
        var lines = try Stored.decode([OrderLine].self, r.lines)
        let shipped: [ShippedLine]
        if let requested = input.lines, !requested.isEmpty {
            for (i, s) in requested.enumerated() {
                guard let index = lines.firstIndex(where: { $0.id == s.lineId }) else {
                    throw DomainError.invalid("lines[\(i)].lineId", "No line \(s.lineId) on this order.")
                }
                let left = lines[index].quantity - lines[index].shippedQuantity
                guard s.quantity >= 1, s.quantity <= left else {
                    throw DomainError.invalid("lines[\(i)].quantity", "Ship 1 to \(left) pieces of this line.")
                }
                lines[index].shippedQuantity += s.quantity
            }
            shipped = requested
        } else {
            shipped = lines.filter { $0.quantity > $0.shippedQuantity }.map { ShippedLine(lineId: $0.id, quantity: $0.quantity - $0.shippedQuantity) }
            guard !shipped.isEmpty else { throw DomainError.conflict("nothing_to_ship", "Every piece of this order has shipped.") }
            for i in lines.indices { lines[i].shippedQuantity = lines[i].quantity }
        }
        r.lines = try Stored.encode(lines)
        r.status = OrderStatus.shipped.rawValue
        let complete = lines.allSatisfy { $0.shippedQuantity >= $0.quantity }
        let detail = ShipmentDetail(carrier: carrier, trackingNumber: tracking, trackingUrl: url, lines: shipped)
        return Self.entry(r, staff, note: note ?? (complete ? "Shipped." : "Part of the order shipped."), detail: try Stored.encode(detail), at: now)
    }

    /// The buyer confirms the goods arrived.
    public func confirmReceipt(id: String, by buyer: Viewer, now: Date = Date()) throws -> OrderView {
        try change(id: id, viewer: buyer, reason: "delivered", mailSubject: nil) { _, r in
            if r.status == OrderStatus.delivered.rawValue { return nil }
            let lines = try Stored.decode([OrderLine].self, r.lines)
            guard lines.allSatisfy({ $0.shippedQuantity >= $0.quantity }) || r.status != OrderStatus.shipped.rawValue else {
                throw DomainError.conflict("not_all_shipped", "Part of this order has not shipped yet.")
            }
            try Self.move(&r, to: .delivered, by: .buyer)
            r.receivedAt = now
            return Self.entry(r, buyer, note: "Receipt confirmed by the buyer.", at: now)
        }
    }

    public struct FeedbackInput: Decodable, Sendable {
        public let rating: Int
        public let comment: String?
        public let lines: [LineRating]?
    }

    public func feedback(id: String, _ input: FeedbackInput, by buyer: Viewer, now: Date = Date()) throws -> OrderView {
        guard (1...5).contains(input.rating) else { throw DomainError.invalid("rating", "Rate from 1 to 5.") }
        let comment = try QuoteRules.text(input.comment, field: "comment")
        return try change(id: id, viewer: buyer, reason: "feedback", mailSubject: nil) { _, r in
            guard r.feedback == nil else { throw DomainError.conflict("already_rated", "This order has been rated.") }
            guard r.status == OrderStatus.delivered.rawValue || r.status == OrderStatus.closed.rawValue else {
                throw DomainError.conflict("not_delivered", "Rate the order once it has been delivered.")
            }
            var lines = try Stored.decode([OrderLine].self, r.lines)
            for (i, rating) in (input.lines ?? []).enumerated() {
                guard let index = lines.firstIndex(where: { $0.id == rating.lineId }) else {
                    throw DomainError.invalid("lines[\(i)].lineId", "No line \(rating.lineId) on this order.")
                }
                guard (1...5).contains(rating.rating) else { throw DomainError.invalid("lines[\(i)].rating", "Rate from 1 to 5.") }
                lines[index].rating = rating.rating
            }
            r.lines = try Stored.encode(lines)
            r.feedback = try Stored.encode(OrderFeedback(rating: input.rating, comment: comment, lines: input.lines ?? [], at: now))
            if r.status == OrderStatus.delivered.rawValue { try Self.move(&r, to: .closed, by: .buyer) }
            return Self.entry(r, buyer, note: "Rated \(input.rating) of 5.", at: now)
        }
    }

    /// "Order again": the order's designs go back into the cart at today's prices.
    public func reorder(id: String, by buyer: Viewer) throws -> Int {
        let record = try database.read { db in try self.record(db, id: id, viewer: buyer) }
        let lines = try Stored.decode([OrderLine].self, record.lines)
        return try workspace.addAgain(buyerId: buyer.userId, lines: lines.map { ($0.offerId, $0.quantity) })
    }
}

/// When the next step of an order is expected, from the status and the quoted delivery time.
public enum OrderSchedule {
    public static func next(after status: OrderStatus, since: Date, deliveryDays: Int) -> NextStep? {
        let day: TimeInterval = 86_400
        switch status {
        case .confirmed: return NextStep(status: .paymentVerified, expectedAt: since.addingTimeInterval(3 * day))
        case .paymentVerified: return NextStep(status: .inProduction, expectedAt: since.addingTimeInterval(2 * day))
        case .inProduction: return NextStep(status: .qualityCheck, expectedAt: since.addingTimeInterval(Double(max(1, deliveryDays - 7)) * day))
        case .qualityCheck: return NextStep(status: .shipped, expectedAt: since.addingTimeInterval(2 * day))
        case .shipped: return NextStep(status: .delivered, expectedAt: since.addingTimeInterval(5 * day))
        case .delivered, .closed: return nil
        }
    }
}
