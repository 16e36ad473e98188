import Foundation

/// A rule a submitted field broke, phrased for the person who typed it.
public struct ValidationFailure: Error, Equatable, Sendable {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// What free text may hold, said once so the API document's patterns can say the same.
public enum TextRules {
    /// Multi-line text (notes, messages): no control characters but tab, line feed and carriage return.
    public static func isForbiddenInMultiline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }
}

public enum AccountRules {
    public static let minimumPasswordLength = 10
    public static let passwordRule =
        "Password must be at least \(minimumPasswordLength) characters and contain a letter and a digit."

    public static func checkPassword(_ password: String) -> ValidationFailure? {
        let hasLetter = password.contains { $0.isLetter }
        let hasDigit = password.contains { $0.isASCII && $0.isNumber }
        guard password.count >= minimumPasswordLength, hasLetter, hasDigit, password.count <= 256 else {
            return ValidationFailure(field: "password", message: passwordRule)
        }
        return nil
    }

    /// Deliberately loose: one "@", a dot in the domain, no spaces. The verification
    /// mail is the real test of an address.
    public static func normalisedEmail(_ raw: String) -> String? {
        let email = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty,
              parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" }),
              !email.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.value == 0 })
        else { return nil }
        return email
    }

    /// Required free-text fields: trimmed, non-empty, bounded, no control characters.
    public static func requiredText(_ value: String?, field: String, maxLength: Int = 200) throws -> String {
        let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ValidationFailure(field: field, message: "\(field) is required.") }
        // The limit counts what was sent, as the API document's maxLength does (code points, padding
        // included): trimming must not turn an over-long value into an accepted one.
        guard text.count <= maxLength, (value ?? "").unicodeScalars.count <= maxLength else {
            throw ValidationFailure(field: field, message: "\(field) must be at most \(maxLength) characters.")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ValidationFailure(field: field, message: "\(field) contains control characters.")
        }
        return text
    }
}
