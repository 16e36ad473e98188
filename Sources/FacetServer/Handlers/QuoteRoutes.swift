import FacetCommerce
import FacetCore
import FacetHTTP
import FacetStore
import Foundation

/// Quote requests and negotiation (docs/quotes.md). A buyer reaches only their own quotes;
/// another buyer's id is not found. Staff work the same quotes under /api/admin/quotes.
enum QuoteRoutes {
    static func register(_ routes: Routes) {
        let buyer = routes.verifiedBuyer
        buyer.post("/api/quotes", submit)
        buyer.get("/api/quotes", list)
        buyer.get("/api/quotes/:id", show)
        routes.verifiedOrStaff.get("/api/quotes/:id/messages", messages)
        routes.verifiedOrStaff.post("/api/quotes/:id/messages", post)
        buyer.post("/api/quotes/:id/request-changes", requestChanges)
        buyer.post("/api/quotes/:id/withdraw", withdraw)
        buyer.post("/api/quotes/:id/decline", declineByBuyer)
        buyer.post("/api/quotes/:id/accept", accept)
        buyer.post("/api/quotes/:id/reorder", reorder)
        routes.verifiedOrStaff.post("/api/attachments", upload)
        routes.verifiedOrStaff.get("/api/attachments/:id", attachment)

        let staff = routes.staff
        staff.get("/api/admin/quotes", queue)
        staff.get("/api/admin/quotes/:id", staffShow)
        staff.post("/api/admin/quotes/:id/assign", assign)
        staff.put("/api/admin/quotes/:id/draft", saveDraft)
        staff.post("/api/admin/quotes/:id/send", send)
        staff.post("/api/admin/quotes/:id/decline", declineByStaff)
    }

    struct QuoteEnvelope: Encodable { let quote: QuoteView }

    @Sendable static func submit(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Quotes.Submission.self)
        let (quote, created) = try context.services.quotes.submit(buyerId: buyer.id, input, idempotencyKey: context.request.header("idempotency-key"))
        return .json(created ? 201 : 200, QuoteEnvelope(quote: quote))
    }

    struct List: Encodable { let quotes: [QuoteSummaryView]; let unread: Int }

    @Sendable static func list(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let (quotes, unread) = try context.services.quotes.list(buyerId: buyer.id)
        return .json(List(quotes: quotes, unread: unread))
    }

    @Sendable static func show(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        .json(QuoteEnvelope(quote: try context.services.quotes.view(id: context.parameter("id"), viewer: buyer.viewer, staffView: false)))
    }

    @Sendable static func messages(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        .json(["messages": try context.services.quotes.messages(id: context.parameter("id"), viewer: user.viewer)])
    }

    struct MessageInput: Decodable { let body: String?; let attachments: [String]? }

    @Sendable static func post(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(MessageInput.self)
        let message = try context.services.quotes.post(id: context.parameter("id"), body: input.body, attachmentIds: input.attachments ?? [],
                                                       by: user.viewer)
        return .json(201, ["message": message])
    }

    @Sendable static func requestChanges(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Quotes.ChangesInput.self)
        return .json(QuoteEnvelope(quote: try context.services.quotes.requestChanges(id: context.parameter("id"), input, by: buyer.viewer)))
    }

    @Sendable static func withdraw(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        .json(QuoteEnvelope(quote: try context.services.quotes.withdraw(id: context.parameter("id"), by: buyer.viewer)))
    }

    struct Reason: Decodable { let reason: String? }

    @Sendable static func declineByBuyer(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let input = try optionalBody(context, Reason.self) ?? Reason(reason: nil)
        return .json(QuoteEnvelope(quote: try context.services.quotes.decline(id: context.parameter("id"), reason: input.reason, by: buyer.viewer)))
    }

    struct AcceptInput: Decodable { let version: Int }
    struct Accepted: Encodable { let order: OrderView; let quote: QuoteView }

    @Sendable static func accept(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(AcceptInput.self)
        let services = context.services
        let (order, quote, created) = try services.quotes.accept(id: context.parameter("id"), version: input.version, by: buyer.viewer)
        return .json(created ? 201 : 200, Accepted(order: try services.orders.view(id: order.id, viewer: buyer.viewer), quote: quote))
    }

    @Sendable static func reorder(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        .json(["added": try context.services.quotes.reorder(id: context.parameter("id"), by: buyer.viewer)])
    }

    @Sendable static func upload(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        guard let boundary = MultipartForm.boundary(contentType: context.request.header("content-type")) else {
            throw APIError(415, "unsupported_media_type", "Send the file as multipart/form-data with the field file.")
        }
        guard let form = MultipartForm.parse(context.request.body, boundary: boundary) else {
            throw APIError(400, "bad_multipart", "The multipart body is malformed or truncated.")
        }
        guard let part = form.part("file") else {
            throw APIError.validation("file", "Attach the file in the field file.")
        }
        let stored = try context.services.attachments.store(part.data, name: part.fileName, ownerId: user.id)
        return .json(201, ["attachment": stored])
    }

    @Sendable static func attachment(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let (url, record) = try context.services.attachments.file(id: context.parameter("id"), viewer: user.viewer)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw DomainError.notFound("The file is missing.") }
        // Only an ASCII name goes into the header; anything else is named by its type.
        let name = record.name.unicodeScalars.allSatisfy({ $0.isASCII && $0 != "\"" && $0 != "\\" }) ? record.name : "attachment"
        return HTTPResponse(status: 200, contentType: record.contentType,
                            headers: [("content-disposition", "inline; filename=\"\(name)\""),
                                      ("x-content-type-options", "nosniff"), ("cache-control", "private, max-age=3600")],
                            body: Array(data))
    }

    // MARK: staff

    struct Queue: Encodable { let quotes: [QuoteSummaryView]; let unread: Int; let overdue: Int }

    @Sendable static func queue(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        var status: QuoteStatus?
        if let raw = context.query("status") {
            guard let s = QuoteStatus(rawValue: raw) else {
                throw DomainError.invalid("status", "status is one of \(QuoteStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            status = s
        }
        let limit = try QueryValues.integer(context, "limit", in: 1...1000) ?? 200
        let (quotes, unread, overdue) = try context.services.quotes.queue(status: status, assignee: context.query("assignee"), staffId: staff.id,
                                                                          limit: limit)
        return .json(Queue(quotes: quotes, unread: unread, overdue: overdue))
    }

    @Sendable static func staffShow(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        .json(QuoteEnvelope(quote: try context.services.quotes.staffView(id: context.parameter("id"), staff: staff.viewer)))
    }

    struct AssignInput: Decodable {
        let staffId: String?
    }

    @Sendable static func assign(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(AssignInput.self)
        return .json(QuoteEnvelope(quote: try context.services.quotes.assign(id: context.parameter("id"), to: input.staffId, by: staff.viewer)))
    }

    @Sendable static func saveDraft(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Quotes.DraftInput.self)
        return .json(["draft": try context.services.quotes.saveDraft(id: context.parameter("id"), input, by: staff.viewer)])
    }

    struct SendInput: Decodable { let revision: Int? }
    struct Sent: Encodable { let version: VersionView; let quote: QuoteView }

    @Sendable static func send(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let input = try optionalBody(context, SendInput.self)
        let (version, quote) = try context.services.quotes.send(id: context.parameter("id"), revision: input?.revision, by: staff.viewer)
        return .json(201, Sent(version: version, quote: quote))
    }

    @Sendable static func declineByStaff(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Reason.self)
        guard input.reason?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == false else {
            throw DomainError.invalid("reason", "Tell the buyer why the request is declined.")
        }
        return .json(QuoteEnvelope(quote: try context.services.quotes.decline(id: context.parameter("id"), reason: input.reason, by: staff.viewer)))
    }

    /// An empty body is allowed where every field is optional.
    static func optionalBody<T: Decodable>(_ context: RequestContext, _ type: T.Type) throws -> T? {
        context.request.body.isEmpty ? nil : try context.body(type)
    }
}
