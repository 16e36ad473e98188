import FacetCore
import FacetStore
import FacetHTTP
import Foundation

/// Staff (ops/admin) operations that exist so far: buyers and notices.
enum AdminRoutes {
    static func register(_ routes: Routes) {
        routes.staff.get("/api/admin/buyers", buyers)
        routes.staff.post("/api/admin/buyers", createBuyer)
        routes.staff.post("/api/admin/notices", notice)
    }

    @Sendable static func buyers(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let limit = try QueryValues.integer(context, "limit", in: 1...1000) ?? 200
        let list = try await context.services.accounts.buyers(limit: limit)
        return .json(["buyers": list.map(UserView.init)])
    }

    /// Ops onboarding a buyer they already know (by phone, at a fair): the account is
    /// verified, has no password, and the buyer gets a link to set one.
    @Sendable static func createBuyer(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(AccountInput.self)
        let user = try await AuthRoutes.createBuyer(input.profile, email: input.email, password: nil, verified: true, context: context)
        if input.sendInvite ?? true {
            let token = try await context.services.accounts.issueToken(userId: user.id, purpose: .reset, lifetime: 7 * 24 * 3600)
            let link = "\(context.services.configuration.resolvedPublicURL)/reset.html?token=\(token)"
            try context.services.mailer.send(MailMessage(to: user.email, subject: "Your Facet account is ready", text: """
                Hello \(user.contactName),

                Our team has opened a Facet account for \(user.companyName). Choose your password here:

                \(link)

                The link expires in 7 days.

                -- Facet
                """))
        }
        return .json(201, UserEnvelope(user))
    }

    struct NoticeInput: Decodable { let topic: String; let title: String; let body: String }

    @Sendable static func notice(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(NoticeInput.self)
        let title = try AccountRules.requiredText(input.title, field: "title", maxLength: 140)
        let body = try AccountRules.requiredText(input.body, field: "body", maxLength: 4000)
        guard let topic = Topic(input.topic) else {
            throw ValidationFailure(field: "topic", message: "topic must be buyer:<id> or buyers.")
        }
        switch topic.name {
        case .buyers:
            break
        case let .owned(.buyer, id):
            guard let buyer = try await context.services.accounts.user(id: id), buyer.role == .buyer else {
                throw APIError.notFound("No buyer \(id).")
            }
        default:
            throw ValidationFailure(field: "topic", message: "topic must be buyer:<id> or buyers.")
        }
        // The notice and its audit line on the admin feed commit together.
        let notice = try PendingEvent(topic: topic.description, event: "notice", data: MeRoutes.NoticeData(title: title, body: body))
        let audit = try PendingEvent(topic: "admin", event: "notice.sent",
                                     data: ["topic": topic.description, "title": title, "by": staff.email])
        let event = try context.services.publisher.transaction { _, pending in pending = [notice, audit] }[0]
        return .json(202, NoticeReceipt(topic: event.topic, seq: event.seq))
    }

    struct NoticeReceipt: Encodable { let topic: String; let seq: Int64 }
}
