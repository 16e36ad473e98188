/// The kind of piece a buyer is looking for. The buyer's choice is final: search
/// partitions by it and nothing inferred from a photo may change it.
public enum Category: String, CaseIterable, Codable, Sendable {
    case ring, necklace, earring, bracelet, pendant, bangle, other
}

extension Category {
    /// The name a buyer reads: "Ring", "Other".
    public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    public var plural: String {
        switch self {
        case .other: "Other pieces"
        default: label + "s"
        }
    }
}
