import FacetCore
import FacetStore
import Foundation
import GRDB

/// Staff fulfil an order: brand orders for our stock, supplier purchase orders for sourced
/// lines; buyers raise issues on what arrived and staff work them to an outcome.
extension Orders {
    /// Orders every inventory line from its brand: one call per brand, each with a stored
    /// idempotency key, so a retried request (or the retry loop) creates the brand's order once.
    public func placeBrandOrders(id: String, by staff: Viewer, now: Date = Date()) async throws -> OrderView {
        guard let brands else { throw DomainError(.unavailable, code: "no_brands", "No brand is connected to this server.") }
        let record = try database.read { db in try self.record(db, id: id, viewer: staff) }
        let status = OrderStatus(rawValue: record.status) ?? .confirmed
        guard status != .confirmed else {
            throw DomainError.conflict("payment_not_verified", "Verify the payment before ordering from the brands.")
        }
        let lines = try Stored.decode([OrderLine].self, record.lines).filter { $0.source == .inventory }
        guard !lines.isEmpty else { throw DomainError.conflict("no_inventory_lines", "This order has no lines from our stock.") }
        let origins = try offers.origins(ids: lines.map(\.offerId))
        var byBrand: [String: [(sku: String, quantity: Int)]] = [:]
        for line in lines {
            guard let origin = origins[line.offerId], let brand = origin.brand, let sku = origin.sku else {
                throw DomainError.conflict("origin_unknown", "The product behind \(line.title) is no longer in the catalog.")
            }
            byBrand[brand, default: []].append((sku, line.quantity))
        }
        for (brand, items) in byBrand.sorted(by: { $0.key < $1.key }) {
            // A failed attempt stays pending and is retried in the background with the same key.
            try? await brands.placeOrder(brand: brand, facetOrderId: record.id, lines: items)
        }
        return try change(id: id, viewer: staff, reason: "brand_order", mailSubject: nil) { _, _ in nil }
    }

    public struct PurchaseOrderInput: Decodable, Sendable {
        public let lineId: String
        public let supplier: String
        public let reference: String
        public let promisedDate: String
    }

    public func recordPurchaseOrder(id: String, _ input: PurchaseOrderInput, by staff: Viewer, now: Date = Date()) throws -> OrderView {
        guard let supplier = try QuoteRules.text(input.supplier, field: "supplier", limit: 200) else {
            throw DomainError.invalid("supplier", "Name the supplier.")
        }
        guard let reference = try QuoteRules.text(input.reference, field: "reference", limit: 200) else {
            throw DomainError.invalid("reference", "Give the supplier's order reference.")
        }
        guard QuoteRules.day(input.promisedDate) != nil else { throw DomainError.invalid("promisedDate", "promisedDate is a date such as 2027-01-31.") }
        return try change(id: id, viewer: staff, reason: "purchase_order", mailSubject: nil) { db, r in
            let lines = try Stored.decode([OrderLine].self, r.lines)
            guard let line = lines.first(where: { $0.id == input.lineId }) else {
                throw DomainError.invalid("lineId", "No line \(input.lineId) on this order.")
            }
            guard line.source == .marketplace else {
                throw DomainError.invalid("lineId", "This line is from our stock; order it from the brand instead.")
            }
            try SupplierOrderRecord(id: Identifier.make("po"), orderId: r.id, lineId: line.id, supplier: supplier, reference: reference,
                                    promisedDate: input.promisedDate, recordedBy: staff.userId, at: now).insert(db)
            return nil
        }
    }

    public struct IssueInput: Decodable, Sendable {
        public let kind: String
        public let description: String?
        public let lineIds: [String]?
        public let attachments: [String]?
    }

    public static let issueKinds = ["quality", "wrong_item", "damaged", "missing"]

    public func raiseIssue(id: String, _ input: IssueInput, by buyer: Viewer, now: Date = Date()) throws -> (IssueView, OrderView) {
        guard Self.issueKinds.contains(input.kind) else {
            throw DomainError.invalid("kind", "kind is one of \(Self.issueKinds.joined(separator: ", ")).")
        }
        guard let description = try QuoteRules.text(input.description, field: "description") else {
            throw DomainError.invalid("description", "Describe the problem.")
        }
        var issueId = ""
        let view = try change(id: id, viewer: buyer, reason: "issue", mailSubject: nil) { db, r in
            guard [OrderStatus.shipped, .delivered, .closed].map(\.rawValue).contains(r.status) else {
                throw DomainError.conflict("not_delivered", "Report a problem once the order has arrived.")
            }
            let lines = Set(try Stored.decode([OrderLine].self, r.lines).map(\.id))
            for (i, lineId) in (input.lineIds ?? []).enumerated() where !lines.contains(lineId) {
                throw DomainError.invalid("lineIds[\(i)]", "No line \(lineId) on this order.")
            }
            let files = try attachments.owned(db, ids: input.attachments ?? [], by: buyer, field: "attachments")
            issueId = Identifier.make("iss")
            try OrderIssueRecord(id: issueId, orderId: r.id, kind: input.kind, status: IssueStatus.open.rawValue, description: description,
                                 lineIds: try Stored.encode(input.lineIds ?? []), attachments: try Stored.encode(files.map(\.id)),
                                 outcome: nil, reference: nil, notes: "[]", createdAt: now, updatedAt: now).insert(db)
            return Self.entry(r, buyer, note: "Issue reported: \(input.kind.replacingOccurrences(of: "_", with: " ")).", at: now)
        }
        if let mail { for staff in mail.staffIds() where !presence.isConnected(staff) {
            mail.send(toUserId: staff, subject: "Issue reported on order \(view.summary.number)", text: description, path: "/admin-order.html?id=\(id)")
        } }
        guard let issue = view.issues.first(where: { $0.id == issueId }) else { throw DomainError.notFound("No issue.") }
        return (issue, view)
    }

    public struct IssueUpdate: Decodable, Sendable {
        public let status: IssueStatus
        public let outcome: String?
        public let reference: String?
        public let note: String?
    }

    public static let outcomes = ["replacement", "credit", "return"]

    /// Staff work an issue: in progress, resolved with an outcome, closed. The order closes when
    /// it was delivered and its last open issue ends.
    public func updateIssue(id: String, issueId: String, _ input: IssueUpdate, by staff: Viewer, now: Date = Date()) throws -> OrderView {
        let note = try QuoteRules.text(input.note, field: "note", limit: 1000)
        let reference = try QuoteRules.text(input.reference, field: "reference", limit: 200)
        if let outcome = input.outcome, !Self.outcomes.contains(outcome) {
            throw DomainError.invalid("outcome", "outcome is one of \(Self.outcomes.joined(separator: ", ")).")
        }
        return try change(id: id, viewer: staff, reason: "issue", mailSubject: "issue \(input.status.rawValue.replacingOccurrences(of: "_", with: " "))") { db, r in
            guard var issue = try OrderIssueRecord.fetchOne(db, key: issueId), issue.orderId == r.id else {
                throw DomainError.notFound("No issue \(issueId) on this order.")
            }
            issue.status = try (IssueStatus(rawValue: issue.status) ?? .open).move(to: input.status, by: .staff).rawValue
            if input.status == .resolved {
                guard let outcome = input.outcome ?? issue.outcome else {
                    throw DomainError.invalid("outcome", "Resolve with an outcome: replacement, credit or return.")
                }
                issue.outcome = outcome
                issue.reference = reference ?? issue.reference
            }
            var notes = try Stored.decode([IssueNote].self, issue.notes)
            notes.append(IssueNote(at: now, actor: Actor.staff.rawValue, note: note ?? "Marked \(input.status.rawValue.replacingOccurrences(of: "_", with: " "))."))
            issue.notes = try Stored.encode(notes)
            issue.updatedAt = now
            try issue.update(db)
            let open = try OrderIssueRecord.filter(Column("orderId") == r.id && Column("status") != IssueStatus.closed.rawValue).fetchCount(db)
            if input.status == .closed, open == 0, r.status == OrderStatus.delivered.rawValue {
                try Self.move(&r, to: .closed, by: .staff)
                return Self.entry(r, staff, note: "Closed after the last issue ended.", at: now)
            }
            return Self.entry(r, staff, note: "Issue \(input.status.rawValue.replacingOccurrences(of: "_", with: " ")).", at: now)
        }
    }
}
