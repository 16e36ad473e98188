/// A realtime channel name such as `buyer:u_123` or `admin`. Parsing lives in the
/// core so that the server, the store and the tests agree on one grammar.
public struct Topic: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case buyer, search, quote, order
    }

    public enum Name: Hashable, Sendable {
        case owned(Kind, String)
        case admin
        case buyers
    }

    public let name: Name

    public init(_ name: Name) { self.name = name }

    public init?(_ raw: String) {
        guard raw.utf8.count <= 128 else { return nil }
        switch raw {
        case "admin": name = .admin; return
        case "buyers": name = .buyers; return
        default: break
        }
        guard let colon = raw.firstIndex(of: ":"),
              let kind = Kind(rawValue: String(raw[..<colon])) else { return nil }
        let id = String(raw[raw.index(after: colon)...])
        guard !id.isEmpty, id.utf8.allSatisfy({ Topic.idBytes.contains($0) }) else { return nil }
        name = .owned(kind, id)
    }

    public var description: String {
        switch name {
        case .admin: "admin"
        case .buyers: "buyers"
        case let .owned(kind, id): "\(kind.rawValue):\(id)"
        }
    }

    public static func buyer(_ id: String) -> Topic { Topic(.owned(.buyer, id)) }

    private static let idBytes: Set<UInt8> = Set(
        Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-".utf8))
}
