import FacetCore
import Foundation

/// Text a client sends may not carry control characters: a NUL cuts a value short in C
/// code (mail headers, SQLite's C API) and C0/C1 controls are never typed by a person.
/// Tab, line feed and carriage return stay allowed in JSON bodies (multi-line notices);
/// single-line fields refuse them too (`AccountRules.requiredText`, the e-mail rule).
enum ControlCharacters {
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }

    /// Raw controls are already invalid JSON; only escapes, DEL and C1 (two bytes in
    /// UTF-8, C2 80–9F) can smuggle one in, so most bodies skip the walk.
    static func mayContain(_ body: [UInt8]) -> Bool {
        var previous: UInt8 = 0
        for byte in body {
            if byte == 0x7F || (previous == 0x5C && byte == 0x75) || (previous == 0xC2 && (0x80...0x9F).contains(byte)) { return true }
            previous = (previous == 0x5C && byte == 0x5C) ? 0 : byte
        }
        return false
    }

    /// The dotted path of the first string (key or value) holding a forbidden control character.
    static func offendingField(in body: [UInt8]) -> String? {
        guard mayContain(body),
              let root = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else { return nil }
        return find(root, path: "")
    }

    private static func find(_ value: Any, path: String) -> String? {
        switch value {
        case let text as String:
            return text.unicodeScalars.contains(where: isForbidden) ? (path.isEmpty ? "body" : path) : nil
        case let object as [String: Any]:
            for (key, child) in object.sorted(by: { $0.key < $1.key }) {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if key.unicodeScalars.contains(where: isForbidden) { return childPath }
                if let found = find(child, path: childPath) { return found }
            }
            return nil
        case let array as [Any]:
            for (index, child) in array.enumerated() {
                if let found = find(child, path: "\(path)[\(index)]") { return found }
            }
            return nil
        default:
            return nil
        }
    }

    static func check(_ body: [UInt8]) throws {
        if let field = offendingField(in: body) {
            throw ValidationFailure(field: field, message: "\(field) contains control characters.")
        }
    }
}
