import FacetCore
import FacetStore
import Foundation
import Logging

/// The request pipeline above the transport: Origin check, routing, session lookup,
/// the handler, and one error shape for every failure.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) async -> HTTPResponse
}

/// What the transport needs to serve /ws: who the peer is, and the log to replay from.
public struct RealtimeSupport: Sendable {
    public let events: EventLog
    public let accounts: AccountStore
    public let authenticate: @Sendable (HTTPRequest) -> Result<Viewer, APIError>
}

public final class Application: HTTPResponder {
    public let services: Services
    let router: Router

    init(services: Services, router: Router) {
        self.services = services
        self.router = router
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        do {
            if request.method.isUnsafe, !originAllowed(request) { throw APIError.badOrigin }
            switch router.match(request.method, path: request.path) {
            case .notFound:
                throw APIError.notFound("No route for \(request.path).")
            case .methodNotAllowed:
                throw APIError.methodNotAllowed
            case let .handler(handler, parameters):
                let token = request.cookies[SessionCookie.name]
                let user = token.flatMap { services.sessions.user(token: $0) }
                var values: [String: String] = [:]
                for name in parameters.allNames { values[name] = parameters.get(name) }
                let context = RequestContext(request: request, parameters: values, services: services,
                                             sessionToken: user == nil ? nil : token, user: user)
                var response = try await handler(context)
                if !response.headers.contains(where: { $0.0 == "cache-control" }) {
                    response.headers.append(("cache-control", "no-store"))
                }
                return response
            }
        } catch let error as APIError {
            return .error(error)
        } catch let failure as ValidationFailure {
            return .error(APIError.validation(failure.field, failure.message))
        } catch {
            services.logger.error("handler failed", metadata: ["path": "\(request.path)", "error": "\(error)"])
            return .error(.internal())
        }
    }

    var realtime: RealtimeSupport {
        RealtimeSupport(events: services.events, accounts: services.accounts) { [self] request in
            guard originAllowed(request) else { return .failure(.badOrigin) }
            guard let token = request.cookies[SessionCookie.name], let user = services.sessions.user(token: token) else {
                return .failure(.unauthorized)
            }
            return .success(user.viewer)
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
