/// Markups in basis points (1 % = 100 bp), resolved per category, else global.
///
/// Rounding rules (stated once, used everywhere):
/// - an exact price is `base × (10 000 + bp) / 10 000`, rounded half up to the minor unit;
/// - an approximate range is widened outwards to whole major units (minimum down, maximum up),
///   because a range that pretends to cent precision reads as a quote.
public struct MarkupTable: Codable, Sendable, Equatable {
    public var global: Int
    public var perCategory: [Category: Int]

    public static let maximumBasisPoints = 100_000
    public static let standard = MarkupTable(global: 3_000, perCategory: [:])

    public init(global: Int, perCategory: [Category: Int]) {
        self.global = global
        self.perCategory = perCategory
    }

    public func basisPoints(for category: Category) -> Int { perCategory[category] ?? global }

    public func price(base: Money, category: Category) -> Money {
        Money(amount: Pricing.apply(basisPoints(for: category), to: base.amount), currency: base.currency)
    }
}

public enum Pricing {
    /// `amount × (1 + bp/10 000)`, half up, in integer arithmetic.
    public static func apply(_ basisPoints: Int, to amount: Int64) -> Int64 {
        let numerator = amount * Int64(10_000 + basisPoints)
        return numerator >= 0 ? (numerator + 5_000) / 10_000 : -((-numerator + 5_000) / 10_000)
    }

    /// The largest base amount whose marked-up price stays within `limit`: how a buyer's
    /// maximum price is converted back before asking a supplier.
    public static func base(within limit: Int64, basisPoints: Int) -> Int64 {
        var base = limit * 10_000 / Int64(10_000 + basisPoints)
        while base > 0, apply(basisPoints, to: base + 1) <= limit { base += 1 }
        while base > 0, apply(basisPoints, to: base) > limit { base -= 1 }
        return base
    }

    /// A listed range marked up and widened outwards to whole major units.
    public static func approximate(_ range: MoneyRange, basisPoints: Int) -> MoneyRange {
        let unit = Money.minorUnits(of: range.currency)
        let low = apply(basisPoints, to: range.min), high = apply(basisPoints, to: range.max)
        let floorLow = low / unit * unit
        let ceilHigh = (high + unit - 1) / unit * unit
        return MoneyRange(min: floorLow, max: Swift.max(ceilHigh, floorLow + unit), currency: range.currency)
    }
}
