import CLibWebSockets
import Foundation

/// What the transport refuses before a request reaches the application. Ambiguity in
/// framing is how requests get smuggled, so anything but one plain length is a 400.
enum EdgeStrictness {
    /// The declared body length, or nil when the header is unusable: not digits,
    /// signed, too long to be a size, or repeated (lws joins repeats with a separator).
    static func contentLength(_ raw: String) -> Int? {
        let trimmed = raw.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        let digits = trimmed.utf8
        guard (1...15).contains(digits.count), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(trimmed)
    }

    /// A header lws saw more than once: its fragments are chained.
    static func isRepeated(_ wsi: OpaquePointer, _ token: lws_token_indexes) -> Bool {
        lws_hdr_fragment_length(wsi, token, 1) > 0
    }

    static let badContentLength = APIError(400, "bad_request", "Content-Length must be one non-negative decimal number.")
    static let badPath = APIError(400, "bad_request", "The request line is incomplete or its path holds a control character.")
    static let badQuery = APIError(400, "bad_request", "The query string contains a NUL or an argument that cannot be read.")
}
