import Crypto
import Foundation

/// Webhook signatures of the brand API: `v1=` + hex HMAC-SHA256(secret, timestamp + "." + body),
/// with the timestamp (Unix seconds) in its own header and a replay window.
public enum WebhookSignature {
    public static let idHeader = "x-facet-webhook-id"
    public static let timestampHeader = "x-facet-webhook-timestamp"
    public static let signatureHeader = "x-facet-webhook-signature"
    public static let defaultWindow: TimeInterval = 300

    public static func sign(secret: String, timestamp: Int, body: [UInt8]) -> String {
        var message = Array(String(timestamp).utf8)
        message.append(UInt8(ascii: "."))
        message.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))
        return "v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    public enum Rejection: Error, Equatable, Sendable, CustomStringConvertible {
        case missingHeaders
        case badTimestamp
        case outsideWindow(skewSeconds: Int)
        case badSignature

        public var description: String {
            switch self {
            case .missingHeaders: "the webhook id, timestamp and signature headers are required"
            case .badTimestamp: "the timestamp is not a number of seconds"
            case let .outsideWindow(skew): "the timestamp is \(skew) s from now, outside the replay window"
            case .badSignature: "the signature does not match"
            }
        }
    }

    /// Checks the timestamp window first (cheap), then the signature in constant time.
    /// Several `v1=` values separated by commas are accepted (secret rotation).
    public static func verify(secrets: [String], timestamp: String?, signature: String?, body: [UInt8],
                              now: Date = Date(), window: TimeInterval = defaultWindow) throws {
        guard let timestamp, let signature else { throw Rejection.missingHeaders }
        guard let seconds = Int(timestamp.trimmingCharacters(in: .whitespaces)) else { throw Rejection.badTimestamp }
        let skew = Int(now.timeIntervalSince1970) - seconds
        guard abs(skew) <= Int(window) else { throw Rejection.outsideWindow(skewSeconds: skew) }
        let offered = signature.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for secret in secrets where !secret.isEmpty {
            let expected = Array(sign(secret: secret, timestamp: seconds, body: body).utf8)
            for candidate in offered where constantTimeEqual(Array(candidate.utf8), expected) { return }
        }
        throw Rejection.badSignature
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
