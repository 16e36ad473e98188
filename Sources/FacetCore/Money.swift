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
