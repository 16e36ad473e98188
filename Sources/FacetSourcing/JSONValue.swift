import Foundation

/// A parsed JSON document, for reading brands' native shapes through mapping paths.
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .number(n):
            if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }

    /// Parses with JSONSerialization (much faster than a Codable enum that tries each case).
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try convert(JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]))
    }

    static func convert(_ value: Any) throws -> JSONValue {
        switch value {
        case let string as String: return .string(string)
        case let number as NSNumber:
            // JSON true/false come back as boolean NSNumbers ("c"); JSON never yields a char otherwise.
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            return .number(number.doubleValue)
        case let array as [Any]: return .array(try array.map(convert))
        case let object as [String: Any]:
            var result: [String: JSONValue] = [:]
            result.reserveCapacity(object.count)
            for (key, item) in object { result[key] = try convert(item) }
            return .object(result)
        case is NSNull: return .null
        default: throw MappingError(description: "unsupported JSON value \(type(of: value))")
        }
    }

    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(self))) ?? Array("null".utf8)
    }

    public subscript(key: String) -> JSONValue? {
        if case let .object(o) = self { return o[key] }
        return nil
    }

    public var string: String? {
        switch self {
        case let .string(s): s
        case let .number(n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case let .bool(b): b ? "true" : "false"
        default: nil
        }
    }

    public var array: [JSONValue]? {
        if case let .array(a) = self { return a }
        return nil
    }

    /// Values at a dotted path. `name[]` walks every element of an array, `name[2]` one
    /// element; an empty path is the value itself.
    public func values(at path: String) -> [JSONValue] {
        var current: [JSONValue] = [self]
        for segment in path.split(separator: ".") where !segment.isEmpty {
            var name = Substring(segment)
            var index: String?
            if let open = segment.firstIndex(of: "["), segment.hasSuffix("]") {
                name = segment[..<open]
                index = String(segment[segment.index(after: open)..<segment.index(before: segment.endIndex)])
            }
            var next: [JSONValue] = []
            for value in current {
                guard let found = name.isEmpty ? value : value[String(name)] else { continue }
                switch index {
                case nil: next.append(found)
                case ""?: next.append(contentsOf: found.array ?? [])
                case let i?:
                    if let n = Int(i), let a = found.array, a.indices.contains(n) { next.append(a[n]) }
                }
            }
            current = next
        }
        return current.filter { $0 != .null }
    }
}
