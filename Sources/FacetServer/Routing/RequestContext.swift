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
        // A JSON body says so: text/plain or a form is refused rather than parsed anyway.
        if let declared = request.header("content-type"), !Self.isJSON(declared) {
            throw APIError(415, "unsupported_media_type", "Send the body as application/json.")
        }
        let value = try JSONCoding.decode(type, from: request.body)
        try ControlCharacters.check(value, body: request.body)
        return value
    }

    /// Every JSON body the API takes is an object, including the optional ones that routes
    /// without members ignore: `[null]` to such a route is refused, not taken as empty.
    func requireObjectIfJSON() throws {
        guard request.method.isUnsafe, !request.body.isEmpty,
              let declared = request.header("content-type"), Self.isJSON(declared) else { return }
        guard (try? JSONSerialization.jsonObject(with: Data(request.body))) is [String: Any] else {
            throw JSONCoding.malformed("send a JSON object")
        }
    }

    static func isJSON(_ contentType: String) -> Bool {
        let media = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json"))
    }
}
