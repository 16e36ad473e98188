import FacetCore
import FacetHTTP
import FacetStore
import Foundation
import Logging

/// The request pipeline above the transport: Origin check, routing, session lookup, the
/// route's guard and handler, and one error shape for every failure.
public final class Application: HTTPResponder {
    public let services: Services
    let router: Router<Route>

    /// Builds the services' routes; `extraRoutes` lets the server add what needs the transport.
    public init(services: Services, extraRoutes: (Routes) -> Void = { _ in }) {
        self.services = services
        let router = Router<Route>()
        let routes = Routes(router: router)
        for module in Self.modules { module(routes) }
        extraRoutes(routes)
        router.freeze()
        self.router = router
    }

    /// Every route module, in one list: a new module is one line here.
    static let modules: [@Sendable (Routes) -> Void] = [
        AuthRoutes.register, MeRoutes.register, AdminRoutes.register, SourcingRoutes.register, SearchRoutes.register,
        MarkupRoutes.register, MarketplaceRoutes.register, HealthRoutes.register, CatalogInfoRoutes.register, WorkspaceRoutes.register,
        SavedSearchRoutes.register, MetricsRoutes.register, QuoteRoutes.register, OrderRoutes.register, OperationsRoutes.register,
    ]

    /// Method and path of every route, with its guard: the API documents are checked against this.
    public var routes: [(method: HTTPMethod, path: String, access: Access)] {
        router.routes.map { ($0.method, $0.path, $0.route.access) }
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        let started = ContinuousClock.now
        var pattern = "unmatched"
        let response = await answer(request, pattern: &pattern)
        FacetMetrics.recordRequest(method: request.method.rawValue, route: pattern, status: response.status, since: started)
        return response
    }

    private func answer(_ request: HTTPRequest, pattern: inout String) async -> HTTPResponse {
        do {
            if request.method.isUnsafe, !originAllowed(request) { throw APIError.badOrigin }
            switch router.match(request.method, path: request.path) {
            case .notFound:
                throw APIError.notFound("No route for \(request.path).")
            case let .methodNotAllowed(allowed):
                throw APIError.methodNotAllowed(allowed: allowed)
            case let .route(route, parameters):
                pattern = route.pattern
                let token = request.cookies[SessionCookie.name]
                let user = token.flatMap { services.sessions.user(token: $0) }
                let context = RequestContext(request: request, parameters: parameters, services: services,
                                             sessionToken: user == nil ? nil : token, user: user)
                try context.requireObjectIfJSON()
                var response = try await route.handler(context)
                if !response.headers.contains(where: { $0.0 == "cache-control" }) {
                    response.headers.append(("cache-control", "no-store"))
                }
                return response
            }
        } catch {
            if let mapped = ErrorMapping.apiError(error) { return .error(mapped) }
            services.logger.error("handler failed", metadata: ["request": "\(request.method.rawValue) \(request.path)", "error": "\(error)"])
            return .error(.internal())
        }
    }

    /// A browser always sends Origin on cross-site writes; when present it must name
    /// this site. Requests without it (curl, server-to-server) rely on SameSite cookies.
    func originAllowed(_ request: HTTPRequest) -> Bool {
        guard let origin = request.header("origin") else { return true }
        if origin == services.configuration.resolvedPublicURL { return true }
        guard let host = request.header("host") else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }
}

enum SessionCookie {
    static let name = "facet_session"

    static func set(_ token: String, secure: Bool) -> (String, String) {
        let maxAge = Int(AccountStore.sessionLifetime)
        return ("set-cookie", "\(name)=\(token); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax\(secure ? "; Secure" : "")")
    }

    static func clear(secure: Bool) -> (String, String) {
        ("set-cookie", "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax\(secure ? "; Secure" : "")")
    }
}
