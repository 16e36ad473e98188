/// Markups in basis points (1 % = 100 bp), resolved per category, else global; one table for
/// our brands' stock and one for marketplace-sourced items. Every buyer price in Facet comes
/// from here, so buyers and staff always see the same number for the same item.
///
/// Rounding rules (stated once, used everywhere):
/// - an exact price is `base × (10 000 + bp) / 10 000`, rounded half up to the minor unit;
/// - an approximate range is widened outwards to whole major units (minimum down, maximum up),
///   because a range that pretends to cent precision reads as a quote.
public struct MarkupTable: Codable, Sendable, Equatable {
    public var global: Int
    public var perCategory: [Category: Int]
    /// Marketplace items: listed price × (1 + this), an estimate until the supplier quotes.
    public var marketplaceGlobal: Int
    public var marketplacePerCategory: [Category: Int]

    public static let maximumBasisPoints = 100_000
    public static let standard = MarkupTable(global: 3_000, perCategory: [:], marketplaceGlobal: 3_000, marketplacePerCategory: [:])

    public init(global: Int, perCategory: [Category: Int], marketplaceGlobal: Int = 3_000, marketplacePerCategory: [Category: Int] = [:]) {
        self.global = global
        self.perCategory = perCategory
        self.marketplaceGlobal = marketplaceGlobal
        self.marketplacePerCategory = marketplacePerCategory
    }

    public func basisPoints(for category: Category) -> Int { perCategory[category] ?? global }
    public func marketplaceBasisPoints(for category: Category) -> Int { marketplacePerCategory[category] ?? marketplaceGlobal }

    /// What a buyer pays for one unit of our stock.
    public func price(base: Money, category: Category) throws -> Money {
        Money(amount: try Pricing.apply(basisPoints(for: category), to: base.amount), currency: base.currency)
    }

    /// What a buyer would roughly pay for a marketplace item listed at `listed`.
    public func approximate(_ listed: MoneyRange, category: Category) throws -> MoneyRange {
        try Pricing.approximate(listed, basisPoints: marketplaceBasisPoints(for: category))
    }

    /// The highest listed price a supplier may ask for an item to stay within a buyer's limit.
    public func listedCeiling(forBuyerPrice limit: Int64, category: Category) -> Int64 {
        Pricing.base(within: limit, basisPoints: marketplaceBasisPoints(for: category))
    }

    /// The highest base cost of our stock that stays within a buyer's limit.
    public func costCeiling(forBuyerPrice limit: Int64, category: Category) -> Int64 {
        Pricing.base(within: limit, basisPoints: basisPoints(for: category))
    }
}

/// An amount outside what Facet can represent after a markup: refused, never wrapped or trapped.
public struct MoneyOverflow: Error, Sendable, Equatable {}

public enum Pricing {
    /// `amount × (1 + bp/10 000)`, half up (away from zero), exact over the whole Int64 range:
    /// the product is taken at 128 bits, and a result that does not fit is an error.
    public static func apply(_ basisPoints: Int, to amount: Int64) throws -> Int64 {
        guard basisPoints >= -10_000, basisPoints <= Int(UInt32.max) else { throw MoneyOverflow() }
        let (high, low) = amount.magnitude.multipliedFullWidth(by: UInt64(10_000 + basisPoints))
        let (rounded, carry) = low.addingReportingOverflow(5_000)
        let top = high + (carry ? 1 : 0)
        // A quotient that needs more than 64 bits is far beyond any price.
        guard top < 10_000 else { throw MoneyOverflow() }
        let (quotient, _) = UInt64(10_000).dividingFullWidth((top, rounded))
        guard quotient <= UInt64(Int64.max) else { throw MoneyOverflow() }
        return amount >= 0 ? Int64(quotient) : -Int64(quotient)
    }

    /// The largest base amount whose marked-up price stays within `limit`: how a buyer's
    /// maximum price is converted back before asking a supplier. A binary search over
    /// `apply` itself, so the two can never disagree about rounding.
    public static func base(within limit: Int64, basisPoints: Int) -> Int64 {
        guard limit > 0 else { return 0 }
        func fits(_ b: Int64) -> Bool { (try? apply(basisPoints, to: b)).map { $0 <= limit } ?? false }
        var low: Int64 = 0, high = limit
        while low < high {
            let middle = high - (high - low) / 2
            if fits(middle) { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// A listed range marked up and widened outwards to whole major units.
    public static func approximate(_ range: MoneyRange, basisPoints: Int) throws -> MoneyRange {
        let unit = Money.minorUnits(of: range.currency)
        let low = try apply(basisPoints, to: range.min), high = try apply(basisPoints, to: range.max)
        let floorLow = low / unit * unit
        let (padded, overflow) = high.addingReportingOverflow(unit - 1)
        guard !overflow else { throw MoneyOverflow() }
        let ceilHigh = padded / unit * unit
        return MoneyRange(min: floorLow, max: Swift.max(ceilHigh, floorLow + unit), currency: range.currency)
    }
}
