/// An amount in integer minor units (cents) of an ISO 4217 currency. Never a Double.
public struct Money: Codable, Sendable, Equatable, Hashable {
    public var amount: Int64
    public var currency: String

    public init(amount: Int64, currency: String) {
        self.amount = amount
        self.currency = currency
    }

    /// Minor units per major unit; every currency Facet handles today has two decimals.
    public static func minorUnits(of currency: String) -> Int64 { currency == "JPY" || currency == "KRW" ? 1 : 100 }

    /// The largest price a buyer may state or staff may set (in minor units): 10 billion in
    /// major units, far above any jewelry order and far below where a markup could overflow.
    public static let maximumPrice: Int64 = 1_000_000_000_000

    /// "250", "249.9", "1,250.00" → minor units; nil for anything else (signs, exponents,
    /// letters, more than twelve whole digits).
    public static func parseMinorUnits(_ text: String, currency: String) -> Int64? {
        let cleaned = text.replacingOccurrences(of: ",", with: "")
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.count <= 12,
              whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber), let units = Int64(whole) else { return nil }
        let scale = minorUnits(of: currency)
        var fraction: Int64 = 0
        if parts.count == 2 {
            let f = parts[1]
            guard scale == 100, (1...2).contains(f.count), f.allSatisfy(\.isASCII), f.allSatisfy(\.isNumber),
                  let value = Int64(f.count == 1 ? f + "0" : String(f)) else { return nil }
            fraction = value
        }
        // Twelve digits times 100 stays far inside Int64.
        return units * scale + fraction
    }
}

/// An approximate price: what a marketplace-sourced item is likely to cost the buyer.
public struct MoneyRange: Codable, Sendable, Equatable, Hashable {
    public var min: Int64
    public var max: Int64
    public var currency: String

    public init(min: Int64, max: Int64, currency: String) {
        self.min = Swift.min(min, max)
        self.max = Swift.max(min, max)
        self.currency = currency
    }
}
