import FacetCore
import FacetHTTP
import FacetStore
import Foundation

/// What a handler gets: the request, its path parameters, the services, and the
/// signed-in account when there is one.
public struct RequestContext: Sendable {
    public let request: HTTPRequest
    public let parameters: [String: String]
    public let services: Services
    public let sessionToken: String?
    public let user: UserRecord?

    public func parameter(_ name: String) -> String { parameters[name] ?? "" }

    public func query(_ name: String) -> String? { request.query[name] }

    public func body<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try JSONCoding.decode(type, from: request.body)
        try ControlCharacters.check(request.body)
        return value
    }
}
