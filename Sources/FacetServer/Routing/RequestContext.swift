import FacetCore
import FacetStore
import Foundation
import RoutingKit

/// What a handler gets: the request, its path parameters, the services, and the
/// signed-in account when there is one.
public struct RequestContext: Sendable {
    public let request: HTTPRequest
    public let parameters: [String: String]
    public let services: Services
    public let sessionToken: String?
    public let user: UserRecord?

    public func parameter(_ name: String) -> String { parameters[name] ?? "" }

    public func body<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONCoding.decode(type, from: request.body)
    }

    public func requireUser() throws -> UserRecord {
        guard let user else { throw APIError.unauthorized }
        return user
    }

    /// Buyer features need a verified address; staff are always verified.
    public func requireVerifiedBuyer() throws -> UserRecord {
        let user = try requireUser()
        guard user.role == .buyer else { throw APIError.forbidden("This feature is for buyer accounts.") }
        guard user.isVerified else { throw APIError.notVerified }
        return user
    }

    public func requireStaff() throws -> UserRecord {
        let user = try requireUser()
        guard user.role.isStaff else { throw APIError.forbidden("Only Facet staff may do this.") }
        return user
    }
}
