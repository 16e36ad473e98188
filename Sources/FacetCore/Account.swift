/// Who an account belongs to decides what it may see: buyers their own data,
/// ops and admins everything, admins also staff management.
public enum Role: String, CaseIterable, Codable, Sendable {
    case buyer, ops, admin

    public var isStaff: Bool { self != .buyer }
}

public enum BusinessType: String, CaseIterable, Codable, Sendable {
    case retailer, wholesaler, other
}

/// Order volume bands a buyer declares at sign-up, in US dollars per month.
public enum OrderVolume: String, CaseIterable, Codable, Sendable {
    case under1k = "under-1k"
    case from1kTo10k = "1k-10k"
    case from10kTo50k = "10k-50k"
    case over50k = "50k+"
}
