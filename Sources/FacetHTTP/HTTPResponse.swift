import FacetCore
import Foundation

public struct HTTPResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Close the connection after writing, e.g. when an oversized body was not read.
    public var closeConnection = false

    public init(status: Int, contentType: String = "application/json", headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    public static func json<T: Encodable>(_ value: T) -> HTTPResponse { json(200, value) }

    public static func json<T: Encodable>(_ status: Int, _ value: T) -> HTTPResponse {
        do {
            return HTTPResponse(status: status, body: Array(try JSONCoding.encoder.encode(value)))
        } catch {
            return .error(APIError.internal("Could not encode the response."))
        }
    }

    public static func noContent() -> HTTPResponse { HTTPResponse(status: 204) }

    public static func error(_ error: APIError) -> HTTPResponse {
        var response = json(error.status, ErrorEnvelope(error: .init(code: error.code, message: error.message, field: error.field)))
        response.headers.append(contentsOf: error.headers)
        return response
    }

    struct ErrorEnvelope: Encodable {
        struct Body: Encodable { let code: String; let message: String; let field: String? }
        let error: Body
    }
}

/// The single error shape of the API: `{"error":{"code","message","field"?}}` with its status.
public struct APIError: Error, Sendable, Equatable {
    public let status: Int
    public let code: String
    public let message: String
    /// The request field at fault, for validation errors; pages show the message beside it.
    public var field: String?
    public var headers: [(String, String)] = []

    public init(_ status: Int, _ code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public static func == (a: APIError, b: APIError) -> Bool {
        a.status == b.status && a.code == b.code && a.message == b.message && a.field == b.field
    }

    public static func badJSON(_ detail: String) -> APIError { APIError(400, "bad_json", "The request body is not valid JSON: \(detail)") }
    public static func validation(_ field: String, _ message: String) -> APIError { APIError(422, "validation_failed", message, field: field) }
    public static let unauthorized = APIError(401, "unauthorized", "Sign in to continue.")
    public static func forbidden(_ message: String = "You do not have access to this resource.") -> APIError { APIError(403, "forbidden", message) }
    public static let notVerified = APIError(403, "not_verified", "Verify your e-mail address to use this feature.")
    public static let badOrigin = APIError(403, "bad_origin", "The request's Origin does not match this site.")
    public static func notFound(_ what: String = "No such resource.") -> APIError { APIError(404, "not_found", what) }
    /// 405 with the methods the path does allow, as RFC 9110 asks.
    public static func methodNotAllowed(allowed: [HTTPMethod]) -> APIError {
        var error = APIError(405, "method_not_allowed", "This method is not allowed on this resource; use \(allowed.map(\.rawValue).joined(separator: ", ")).")
        error.headers = [("allow", allowed.map(\.rawValue).joined(separator: ", "))]
        return error
    }
    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(413, "payload_too_large", "The request body exceeds the limit of \(limit) bytes.")
    }
    public static func rateLimited(retryAfter: Int) -> APIError {
        var error = APIError(429, "rate_limited", "Too many attempts. Try again in \(retryAfter) seconds.")
        error.headers = [("retry-after", String(retryAfter))]
        return error
    }
    public static func `internal`(_ message: String = "Something went wrong on our side.") -> APIError { APIError(500, "internal", message) }
}
