import FacetCommerce
import FacetCore
import FacetHTTP
import FacetStore
import Foundation

/// Orders from accepted quotes (docs/quotes.md): the buyer's view and moves, staff fulfilment.
enum OrderRoutes {
    static func register(_ routes: Routes) {
        let buyer = routes.verifiedBuyer
        buyer.get("/api/orders", list)
        buyer.get("/api/orders/:id", show)
        buyer.post("/api/orders/:id/receipt", receipt)
        buyer.post("/api/orders/:id/feedback", feedback)
        buyer.post("/api/orders/:id/issues", raiseIssue)
        buyer.post("/api/orders/:id/reorder", reorder)

        let staff = routes.staff
        staff.get("/api/admin/orders", staffList)
        staff.get("/api/admin/orders/:id", staffShow)
        staff.post("/api/admin/orders/:id/payments", payment)
        staff.post("/api/admin/orders/:id/status", status)
        staff.post("/api/admin/orders/:id/brand-orders", brandOrders)
        staff.post("/api/admin/orders/:id/purchase-orders", purchaseOrder)
        staff.post("/api/admin/orders/:id/issues/:issueId", updateIssue)
    }

    struct OrderEnvelope: Encodable { let order: OrderView }

    @Sendable static func list(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        .json(["orders": try context.services.orders.list(buyerId: buyer.id)])
    }

    @Sendable static func show(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        .json(OrderEnvelope(order: try context.services.orders.view(id: context.parameter("id"), viewer: buyer.viewer)))
    }

    @Sendable static func receipt(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        .json(OrderEnvelope(order: try context.services.orders.confirmReceipt(id: context.parameter("id"), by: buyer.viewer)))
    }

    @Sendable static func feedback(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Orders.FeedbackInput.self)
        return .json(OrderEnvelope(order: try context.services.orders.feedback(id: context.parameter("id"), input, by: buyer.viewer)))
    }

    struct IssueCreated: Encodable { let issue: IssueView; let order: OrderView }

    @Sendable static func raiseIssue(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Orders.IssueInput.self)
        let (issue, order) = try context.services.orders.raiseIssue(id: context.parameter("id"), input, by: buyer.viewer)
        return .json(201, IssueCreated(issue: issue, order: order))
    }

    @Sendable static func reorder(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        .json(["added": try context.services.orders.reorder(id: context.parameter("id"), by: buyer.viewer)])
    }

    // MARK: staff

    @Sendable static func staffList(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        var status: OrderStatus?
        if let raw = context.query("status") {
            guard let s = OrderStatus(rawValue: raw) else {
                throw DomainError.invalid("status", "status is one of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            status = s
        }
        let limit = try QueryValues.integer(context, "limit", in: 1...1000) ?? 200
        return .json(["orders": try context.services.orders.list(buyerId: nil, status: status, limit: limit)])
    }

    @Sendable static func staffShow(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        .json(OrderEnvelope(order: try context.services.orders.view(id: context.parameter("id"), viewer: staff.viewer, staffView: true)))
    }

    struct PaymentRecorded: Encodable { let payment: PaymentView; let order: OrderView }

    @Sendable static func payment(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Orders.PaymentInput.self)
        let (payment, order) = try context.services.orders.recordPayment(id: context.parameter("id"), input, by: staff.viewer)
        return .json(201, PaymentRecorded(payment: payment, order: order))
    }

    @Sendable static func status(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Orders.StatusInput.self)
        return .json(OrderEnvelope(order: try context.services.orders.setStatus(id: context.parameter("id"), input, by: staff.viewer)))
    }

    @Sendable static func brandOrders(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        .json(OrderEnvelope(order: try await context.services.orders.placeBrandOrders(id: context.parameter("id"), by: staff.viewer)))
    }

    @Sendable static func purchaseOrder(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Orders.PurchaseOrderInput.self)
        return .json(201, OrderEnvelope(order: try context.services.orders.recordPurchaseOrder(id: context.parameter("id"), input, by: staff.viewer)))
    }

    @Sendable static func updateIssue(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Orders.IssueUpdate.self)
        return .json(OrderEnvelope(order: try context.services.orders.updateIssue(id: context.parameter("id"), issueId: context.parameter("issueId"),
                                                                                  input, by: staff.viewer)))
    }
}
