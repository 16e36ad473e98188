/// What one cart line costs and whether it can be ordered as it stands: the rules the cart,
/// the compare page and (later) a quote request share.
public enum CartRules {
    public static let maximumQuantity = 1_000_000
    public static let maximumNoteLength = 500

    /// The price of one piece at this quantity: the highest MOQ tier reached, else the base price.
    public static func unitPrice(_ offer: Offer, quantity: Int) -> Money? {
        guard let base = offer.price else { return nil }
        let tier = offer.priceTiers.filter { $0.minQuantity <= quantity }.max { $0.minQuantity < $1.minQuantity }
        return tier?.unitPrice ?? base
    }

    public struct LineQuote: Sendable, Equatable {
        public var unitPrice: Money?
        public var lineTotal: Money?
        public var lineRange: MoneyRange?
        public var belowMoq: Bool
        public var aboveStock: Bool
    }

    /// Exact for our stock (unit price × quantity), an approximate range for sourced items.
    public static func quote(_ offer: Offer, quantity: Int) throws -> LineQuote {
        let q = Int64(quantity)
        var result = LineQuote(unitPrice: nil, lineTotal: nil, lineRange: nil, belowMoq: quantity < offer.moq, aboveStock: false)
        if let unit = unitPrice(offer, quantity: quantity) {
            result.unitPrice = unit
            result.lineTotal = Money(amount: try multiply(unit.amount, q), currency: unit.currency)
        } else if let range = offer.priceRange {
            result.lineRange = MoneyRange(min: try multiply(range.min, q), max: try multiply(range.max, q), currency: range.currency)
        }
        if offer.source == .inventory, let available = offer.availableQuantity, offer.availability == "ready_stock" {
            result.aboveStock = quantity > available
        }
        return result
    }

    /// Sums kept apart by kind: exact amounts with exact amounts, ranges with ranges, never one
    /// false number. nil when there is nothing of that kind; a mixed currency is refused.
    public static func totals(exact: [Money], approximate: [MoneyRange]) throws -> (exact: Money?, approximate: MoneyRange?) {
        var total: Money?
        for m in exact {
            guard let t = total else { total = m; continue }
            guard t.currency == m.currency else { throw MoneyOverflow() }
            total = Money(amount: try add(t.amount, m.amount), currency: t.currency)
        }
        var range: MoneyRange?
        for r in approximate {
            guard let t = range else { range = r; continue }
            guard t.currency == r.currency else { throw MoneyOverflow() }
            range = MoneyRange(min: try add(t.min, r.min), max: try add(t.max, r.max), currency: t.currency)
        }
        return (total, range)
    }

    static func multiply(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        guard !overflow else { throw MoneyOverflow() }
        return result
    }

    static func add(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (result, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw MoneyOverflow() }
        return result
    }
}

/// What changed about an offer since the buyer saved it: shown on the line, never applied silently.
/// `from` and `to` are a Money, a MoneyRange or an availability, by kind.
public struct OfferChange: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case price, range, availability, discontinued }

    public enum Value: Codable, Sendable, Equatable {
        case money(Money), range(MoneyRange), text(String)

        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case let .money(m): try c.encode(m)
            case let .range(r): try c.encode(r)
            case let .text(t): try c.encode(t)
            }
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let t = try? c.decode(String.self) { self = .text(t) }
            else if let r = try? c.decode(MoneyRange.self) { self = .range(r) }
            else { self = .money(try c.decode(Money.self)) }
        }
    }

    public var kind: Kind
    public var from: Value
    public var to: Value

    public init(kind: Kind, from: Value, to: Value) {
        self.kind = kind
        self.from = from
        self.to = to
    }
}

/// The offer as it was when the buyer added it: enough to show the line after the product is gone,
/// and to say what changed since.
public struct OfferSnapshot: Codable, Sendable, Equatable {
    public var title: String
    public var image: String?
    public var category: Category
    public var source: OfferSource
    public var price: Money?
    public var priceRange: MoneyRange?
    public var availability: String

    public init(_ offer: Offer) {
        title = offer.title
        image = offer.images.first
        category = offer.category
        source = offer.source
        price = offer.price
        priceRange = offer.priceRange
        availability = offer.availability
    }

    /// Differences between then and now; a gone offer is one change, `discontinued`.
    public func changes(to now: Offer?) -> [OfferChange] {
        guard let now else { return [OfferChange(kind: .discontinued, from: .text(availability), to: .text("unavailable"))] }
        var changes: [OfferChange] = []
        if let a = price, let b = now.price, a != b { changes.append(OfferChange(kind: .price, from: .money(a), to: .money(b))) }
        if let a = priceRange, let b = now.priceRange, a != b {
            changes.append(OfferChange(kind: .range, from: .range(a), to: .range(b)))
        }
        if availability != now.availability {
            changes.append(OfferChange(kind: .availability, from: .text(availability), to: .text(now.availability)))
        }
        return changes
    }
}
