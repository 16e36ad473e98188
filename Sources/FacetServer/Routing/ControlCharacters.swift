import FacetCore
import Foundation

/// Text a client sends may not carry control characters: a NUL cuts a value short in C
/// code (mail headers, SQLite's C API) and C0/C1 controls are never typed by a person.
/// Tab, line feed and carriage return stay allowed in JSON bodies (multi-line notices);
/// single-line fields refuse them too (`AccountRules.requiredText`, the e-mail rule).
enum ControlCharacters {
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool { TextRules.isForbiddenInMultiline(scalar) }

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

    /// The dotted path of the first string the decoded request holds (a member value or a
    /// dictionary key) with a forbidden control character. The walk is over what was decoded,
    /// not the raw JSON: members the request type does not read are ignored, as the API
    /// promises for unknown members, whatever they contain.
    static func offendingField(in value: Any, body: [UInt8]) -> String? {
        guard mayContain(body) else { return nil }
        return find(value, path: "", depth: 0)
    }

    private static func forbidden(_ text: String) -> Bool { text.unicodeScalars.contains(where: isForbidden) }

    private static func join(_ path: String, _ member: String) -> String { path.isEmpty ? member : "\(path).\(member)" }

    private static func find(_ value: Any, path: String, depth: Int) -> String? {
        guard depth < 32 else { return nil }
        if let text = value as? String { return forbidden(text) ? (path.isEmpty ? "body" : path) : nil }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { find($0.value, path: path, depth: depth + 1) }
        case .collection, .set:
            for (index, child) in mirror.children.enumerated() {
                if let found = find(child.value, path: "\(path)[\(index)]", depth: depth + 1) { return found }
            }
            return nil
        case .dictionary:
            for child in mirror.children {
                let pair = Array(Mirror(reflecting: child.value).children)
                guard pair.count == 2 else { continue }
                let key = pair[0].value as? String ?? "\(pair[0].value)"
                let childPath = join(path, key)
                if forbidden(key) { return childPath }
                if let found = find(pair[1].value, path: childPath, depth: depth + 1) { return found }
            }
            return nil
        case .struct, .class, .enum, .tuple:
            for child in mirror.children {
                let member = child.value is InlineMembers ? "" : child.label.map { $0.hasPrefix("_") ? String($0.dropFirst()) : $0 } ?? ""
                if let found = find(child.value, path: member.isEmpty ? path : join(path, member), depth: depth + 1) { return found }
            }
            return nil
        default:
            return nil
        }
    }

    static func check(_ value: Any, body: [UInt8]) throws {
        if let field = offendingField(in: value, body: body) {
            throw ValidationFailure(field: field, message: "\(field) contains control characters.")
        }
    }
}

/// A request part decoded from its parent's own JSON object (its members sit beside the
/// parent's), so its fields are named without the Swift property that holds it.
protocol InlineMembers {}
