import FacetCore
import FacetStore
import FacetHTTP
import Foundation

/// The signed-in account: profile, password, notifications.
enum MeRoutes {
    static func register(_ routes: Routes) {
        routes.signedIn.get("/api/me", me)
        routes.signedIn.patch("/api/me", update)
        routes.signedIn.post("/api/me/password", changePassword)
        routes.verifiedBuyer.get("/api/notifications", notifications)
    }

    @Sendable static func me(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        .json(UserEnvelope(user))
    }

    @Sendable static func update(_ context: RequestContext, _ account: UserRecord) async throws -> HTTPResponse {
        var user = account
        let input = try context.body(ProfileInput.self)
        if let value = input.companyName { user.companyName = try AccountRules.requiredText(value, field: "companyName") }
        if let value = input.businessLicense { user.businessLicense = try AccountRules.requiredText(value, field: "businessLicense", maxLength: 80) }
        if let value = input.contactName { user.contactName = try AccountRules.requiredText(value, field: "contactName") }
        if let value = input.country { user.country = try AccountRules.requiredText(value, field: "country", maxLength: 80) }
        if let value = try input.phoneValue() { user.phone = value }
        if let value = try input.businessTypeValue() { user.businessType = value }
        if let value = try input.orderVolumeValue() { user.typicalOrderVolume = value }
        if let value = try input.categoriesValue() { user.preferredCategories = value }
        user.updatedAt = Date()
        try await context.services.accounts.save(user)
        context.services.sessions.evict(userId: user.id)
        return .json(UserEnvelope(user))
    }

    struct PasswordChange: Decodable { let currentPassword: String; let newPassword: String }

    @Sendable static func changePassword(_ context: RequestContext, _ account: UserRecord) async throws -> HTTPResponse {
        var user = account
        let input = try context.body(PasswordChange.self)
        guard context.services.hasher.verify(input.currentPassword, against: user.passwordHash) else {
            throw APIError(401, "invalid_credentials", "The current password is incorrect.", field: "currentPassword")
        }
        if let failure = AccountRules.checkPassword(input.newPassword) { throw APIError(422, "weak_password", failure.message, field: "newPassword") }
        user.passwordHash = try context.services.hasher.hash(input.newPassword)
        user.updatedAt = Date()
        try await context.services.accounts.save(user)
        try await context.services.accounts.closeSessions(userId: user.id, except: context.sessionToken)
        context.services.sessions.evict(userId: user.id)
        return .noContent()
    }

    struct Notification: Encodable {
        let topic: String
        let seq: Int64
        let title: String
        let body: String
        let at: Date
    }

    struct NoticeData: Codable { let title: String; let body: String }

    @Sendable static func notifications(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let events = context.services.events
        let personal = try await events.recent(topic: Topic.buyer(user.id).description, event: "notice", limit: 50)
        let broadcast = try await events.recent(topic: "buyers", event: "notice", limit: 50)
        let notices = (personal + broadcast).compactMap { event -> Notification? in
            guard let data = try? JSONCoding.decoder.decode(NoticeData.self, from: Data(event.data.utf8)) else { return nil }
            return Notification(topic: event.topic, seq: event.seq, title: data.title, body: data.body, at: event.at)
        }.sorted { $0.at > $1.at }
        return .json(["notifications": Array(notices.prefix(50))])
    }
}
