import FacetCore
import FacetStore
import FacetHTTP
import Foundation
import Synchronization

/// Sign-up, e-mail verification, sign-in and out, password reset.
enum AuthRoutes {
    static let verifyLifetime: TimeInterval = 24 * 3600
    static let resetLifetime: TimeInterval = 3600

    static func register(_ routes: Routes) {
        routes.everyone.post("/api/auth/register", register)
        routes.everyone.post("/api/auth/verify", verify)
        routes.everyone.post("/api/auth/resend-verification", resend)
        routes.everyone.post("/api/auth/login", login)
        routes.everyone.post("/api/auth/logout", logout)
        routes.everyone.post("/api/auth/password-reset", requestReset)
        routes.everyone.post("/api/auth/password-reset/confirm", confirmReset)
    }

    @Sendable static func register(_ context: RequestContext) async throws -> HTTPResponse {
        let input = try context.body(AccountInput.self)
        guard let password = input.password else { throw ValidationFailure(field: "password", message: "password is required.") }
        let user = try await createBuyer(input.profile, email: input.email, password: password, verified: false, context: context)
        try await sendVerification(to: user, context: context)
        return .json(201, UserEnvelope(user))
    }

    /// Shared by self sign-up and staff onboarding (`password` nil: the buyer sets it from an e-mailed link).
    static func createBuyer(_ profile: ProfileInput, email rawEmail: String?, password: String?, verified: Bool,
                            context: RequestContext) async throws -> UserRecord {
        guard let email = AccountRules.normalisedEmail(rawEmail ?? "") else {
            throw ValidationFailure(field: "email", message: "email must be a valid e-mail address.")
        }
        if let password, let failure = AccountRules.checkPassword(password) { throw APIError(422, "weak_password", failure.message, field: "password") }
        let now = Date()
        var user = UserRecord(
            id: Identifier.make("u"), email: email, passwordHash: "!", role: .buyer,
            verifiedAt: verified ? now : nil,
            companyName: try AccountRules.requiredText(profile.companyName, field: "companyName"),
            businessLicense: try AccountRules.requiredText(profile.businessLicense, field: "businessLicense", maxLength: 80),
            contactName: try AccountRules.requiredText(profile.contactName, field: "contactName"),
            phone: try profile.phoneValue() ?? { throw ValidationFailure(field: "phone", message: "phone is required.") }(),
            country: try AccountRules.requiredText(profile.country, field: "country", maxLength: 80),
            businessType: try profile.businessTypeValue() ?? { throw ValidationFailure(field: "businessType", message: "businessType is required.") }(),
            typicalOrderVolume: try profile.orderVolumeValue() ?? { throw ValidationFailure(field: "typicalOrderVolume", message: "typicalOrderVolume is required.") }(),
            preferredCategories: try profile.categoriesValue() ?? { throw ValidationFailure(field: "preferredCategories", message: "preferredCategories is required: pick at least one category.") }(),
            createdAt: now, updatedAt: now)
        guard !user.preferredCategories.isEmpty else {
            throw ValidationFailure(field: "preferredCategories", message: "preferredCategories: pick at least one category.")
        }
        // Hash last: it is the expensive step, and "!" (no password yet) never verifies.
        if let password { user.passwordHash = try context.services.hasher.hash(password) }
        do {
            try await context.services.accounts.create(user)
        } catch AccountError.emailTaken {
            throw APIError(409, "email_taken", "An account with this e-mail address already exists. Sign in or reset your password.", field: "email")
        }
        try? context.services.publisher.publish(topic: "admin", event: "buyer.registered",
                                                data: ["id": user.id, "companyName": user.companyName, "country": user.country])
        return user
    }

    static func sendVerification(to user: UserRecord, context: RequestContext) async throws {
        let token = try await context.services.accounts.issueToken(userId: user.id, purpose: .verify, lifetime: verifyLifetime)
        let link = "\(context.services.configuration.resolvedPublicURL)/verify.html?token=\(token)"
        try context.services.mailer.send(MailMessage(to: user.email, subject: "Verify your Facet account", text: """
            Hello \(user.contactName),

            Welcome to Facet. Confirm your e-mail address to start sourcing:

            \(link)

            The link works once and expires in 24 hours. If you did not sign up, ignore this message.

            -- Facet
            """))
    }

    struct TokenInput: Decodable { let token: String }

    @Sendable static func verify(_ context: RequestContext) async throws -> HTTPResponse {
        let input = try context.body(TokenInput.self)
        do {
            let userId = try await context.services.accounts.redeemToken(input.token, purpose: .verify)
            let user = try await context.services.accounts.markVerified(userId: userId)
            context.services.sessions.evict(userId: userId)
            return .json(UserEnvelope(user))
        } catch AccountError.invalidToken {
            throw APIError(400, "invalid_token", "This verification link is invalid, used or expired. Request a new one.")
        }
    }

    struct EmailInput: Decodable { let email: String }

    @Sendable static func resend(_ context: RequestContext) async throws -> HTTPResponse {
        let input = try context.body(EmailInput.self)
        if let email = AccountRules.normalisedEmail(input.email),
           let user = try await context.services.accounts.user(email: email), !user.isVerified {
            try await sendVerification(to: user, context: context)
        }
        return .json(202, Empty())
    }

    struct Credentials: Decodable { let email: String; let password: String }

    @Sendable static func login(_ context: RequestContext) async throws -> HTTPResponse {
        let input = try context.body(Credentials.self)
        let email = AccountRules.normalisedEmail(input.email) ?? input.email.lowercased()
        let address = context.request.remoteAddress
        let limiter = context.services.loginLimiter
        if let wait = limiter.retryAfter(account: email, address: address) { throw signInThrottled(wait) }
        let user = try await context.services.accounts.user(email: email)
        // Hash even for unknown accounts so timing does not reveal which e-mails exist.
        let valid = context.services.hasher.verify(input.password, against: user?.passwordHash ?? dummyHash(context))
        guard let user, valid else {
            limiter.recordFailure(account: email, address: address)
            throw APIError(401, "invalid_credentials", "E-mail or password is incorrect.")
        }
        limiter.recordSuccess(account: email, address: address)
        guard !context.services.operations.isSuspended(userId: user.id) else {
            throw APIError(403, "account_suspended", "This account is suspended. Contact Facet to restore it.")
        }
        let token = try await context.services.accounts.openSession(userId: user.id)
        var response = HTTPResponse.json(UserEnvelope(user))
        response.headers.append(SessionCookie.set(token, secure: context.services.configuration.tlsCertificate != nil))
        return response
    }

    /// Slowed, never locked: the owner can always get in through the e-mailed reset link.
    static func signInThrottled(_ wait: Int) -> APIError {
        var error = APIError(429, "rate_limited", "Too many failed sign-ins from here. Try again in \(wait) seconds, or reset your password by e-mail to sign in now.")
        error.headers = [("retry-after", String(wait))]
        return error
    }

    private static let dummy = Mutex<String?>(nil)
    static func dummyHash(_ context: RequestContext) -> String {
        dummy.withLock { cached in
            if let cached { return cached }
            let made = (try? context.services.hasher.hash("not-a-real-password-1")) ?? ""
            cached = made
            return made
        }
    }

    @Sendable static func logout(_ context: RequestContext) async throws -> HTTPResponse {
        if let token = context.request.cookies[SessionCookie.name] {
            try await context.services.accounts.closeSession(token: token)
            context.services.sessions.evict(token: token)
        }
        var response = HTTPResponse.noContent()
        response.headers.append(SessionCookie.clear(secure: context.services.configuration.tlsCertificate != nil))
        return response
    }

    @Sendable static func requestReset(_ context: RequestContext) async throws -> HTTPResponse {
        let input = try context.body(EmailInput.self)
        if let email = AccountRules.normalisedEmail(input.email),
           let user = try await context.services.accounts.user(email: email) {
            let token = try await context.services.accounts.issueToken(userId: user.id, purpose: .reset, lifetime: resetLifetime)
            let link = "\(context.services.configuration.resolvedPublicURL)/reset.html?token=\(token)"
            try context.services.mailer.send(MailMessage(to: user.email, subject: "Reset your Facet password", text: """
                Hello \(user.contactName),

                Someone asked to reset the password of your Facet account. To choose a new one, open:

                \(link)

                The link works once and expires in 1 hour. If it was not you, ignore this message; your password is unchanged.

                -- Facet
                """))
        }
        return .json(202, Empty())
    }

    struct ResetInput: Decodable { let token: String; let password: String }

    @Sendable static func confirmReset(_ context: RequestContext) async throws -> HTTPResponse {
        let input = try context.body(ResetInput.self)
        if let failure = AccountRules.checkPassword(input.password) { throw APIError(422, "weak_password", failure.message, field: "password") }
        let accounts = context.services.accounts
        let userId: String
        do {
            userId = try await accounts.redeemToken(input.token, purpose: .reset)
        } catch AccountError.invalidToken {
            throw APIError(400, "invalid_token", "This reset link is invalid, used or expired. Request a new one.")
        }
        guard var user = try await accounts.user(id: userId) else { throw APIError.notFound() }
        user.passwordHash = try context.services.hasher.hash(input.password)
        // The mailbox proved ownership, so a reset also verifies the address.
        if user.verifiedAt == nil { user.verifiedAt = Date() }
        user.updatedAt = Date()
        try await accounts.save(user)
        try await accounts.closeSessions(userId: userId)
        context.services.sessions.evict(userId: userId)
        context.services.loginLimiter.forgive(account: user.email)
        return .json(Empty())
    }
}
