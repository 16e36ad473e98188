import FacetCore
import FacetHTTP
import FacetStore

/// Who may call a route. Each group of routes declares it once; handlers behind a guard
/// receive the account it admitted and never check roles themselves.
public enum Access: String, Sendable, CaseIterable {
    case everyone
    case signedIn
    /// A buyer account with a verified e-mail address.
    case verifiedBuyer
    /// A buyer with a verified address, or staff: those who may see offers.
    case verifiedOrStaff
    /// ops or admin.
    case staff
    case admin

    /// The account admitted, or the error that refuses the request (401 before 403).
    func admit(_ user: UserRecord?) throws -> UserRecord? {
        if self == .everyone { return user }
        guard let user else { throw APIError.unauthorized }
        switch self {
        case .everyone, .signedIn:
            break
        case .verifiedBuyer:
            guard user.role == .buyer else { throw APIError.forbidden("This feature is for buyer accounts.") }
            guard user.isVerified else { throw APIError.notVerified }
        case .verifiedOrStaff:
            guard user.role.isStaff || user.isVerified else { throw APIError.notVerified }
        case .staff:
            guard user.role.isStaff else { throw APIError.forbidden("Only Facet staff may do this.") }
        case .admin:
            guard user.role == .admin else { throw APIError.forbidden("Only administrators may do this.") }
        }
        return user
    }
}

/// A registered route: its guard and its handler.
public struct Route: Sendable {
    public let access: Access
    let handler: @Sendable (RequestContext) async throws -> HTTPResponse
    /// The registered pattern (`/api/searches/:id`), which names the route in metrics.
    var pattern = ""
}

public typealias Handler = @Sendable (RequestContext) async throws -> HTTPResponse
public typealias AccountHandler = @Sendable (RequestContext, UserRecord) async throws -> HTTPResponse

/// Routes open to everyone: the handler sees the account if there is one.
public struct OpenRoutes {
    let router: Router<Route>

    public func get(_ path: String, _ handler: @escaping Handler) { on(.GET, path, handler) }
    public func post(_ path: String, _ handler: @escaping Handler) { on(.POST, path, handler) }

    public func on(_ method: HTTPMethod, _ path: String, _ handler: @escaping Handler) {
        router.on(method, path, Route(access: .everyone, handler: handler, pattern: path))
    }
}

/// Routes behind one guard: the handler receives the admitted account.
public struct GuardedRoutes {
    let router: Router<Route>
    public let access: Access

    public func get(_ path: String, _ handler: @escaping AccountHandler) { on(.GET, path, handler) }
    public func post(_ path: String, _ handler: @escaping AccountHandler) { on(.POST, path, handler) }
    public func put(_ path: String, _ handler: @escaping AccountHandler) { on(.PUT, path, handler) }
    public func patch(_ path: String, _ handler: @escaping AccountHandler) { on(.PATCH, path, handler) }
    public func delete(_ path: String, _ handler: @escaping AccountHandler) { on(.DELETE, path, handler) }

    public func on(_ method: HTTPMethod, _ path: String, _ handler: @escaping AccountHandler) {
        let access = access
        router.on(method, path, Route(access: access, handler: { context in
            // admit() returns an account for every guard but `everyone`, which OpenRoutes serves.
            guard let user = try access.admit(context.user) else { throw APIError.unauthorized }
            return try await handler(context, user)
        }, pattern: path))
    }
}

/// The groups a route module registers into: a new route is one line in its group.
public struct Routes {
    let router: Router<Route>

    public var everyone: OpenRoutes { OpenRoutes(router: router) }
    public var signedIn: GuardedRoutes { GuardedRoutes(router: router, access: .signedIn) }
    public var verifiedBuyer: GuardedRoutes { GuardedRoutes(router: router, access: .verifiedBuyer) }
    public var verifiedOrStaff: GuardedRoutes { GuardedRoutes(router: router, access: .verifiedOrStaff) }
    public var staff: GuardedRoutes { GuardedRoutes(router: router, access: .staff) }
    public var admin: GuardedRoutes { GuardedRoutes(router: router, access: .admin) }
}
