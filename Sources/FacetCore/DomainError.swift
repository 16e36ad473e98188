/// A rule of the domain that a request broke, or a state it cannot be served in. Domain
/// modules throw this (or `ValidationFailure`); the server maps each kind to one HTTP status
/// in one place, so no domain module knows about HTTP.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The input is well-formed but breaks a rule (422).
        case invalid
        /// The input cannot be read at all: not JSON, a broken multipart body (400).
        case malformed
        case notFound
        case forbidden
        /// The resource changed under the caller, or the move is not allowed in its state (409).
        case conflict
        case tooLarge
        case unsupportedMedia
        /// Too many requests from this caller; try again after `retryAfter` seconds (429).
        case rateLimited
        /// The server is at capacity or a part of it is off; try again later (503).
        case unavailable
    }

    public let kind: Kind
    public let code: String
    public let message: String
    /// The request field at fault, as the client named it (`maxPrice`, `perCategory.ring`).
    public let field: String?
    public let retryAfter: Int?

    public init(_ kind: Kind, code: String, _ message: String, field: String? = nil, retryAfter: Int? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.field = field
        self.retryAfter = retryAfter
    }

    public var description: String { "\(code): \(message)" }

    public static func invalid(_ field: String, _ message: String) -> DomainError {
        DomainError(.invalid, code: "validation_failed", message, field: field)
    }

    public static func notFound(_ message: String) -> DomainError { DomainError(.notFound, code: "not_found", message) }

    public static func conflict(_ code: String = "conflict", _ message: String) -> DomainError {
        DomainError(.conflict, code: code, message)
    }
}
