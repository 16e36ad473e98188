import Foundation

/// How fast the buyer asked for an answer.
public enum Urgency: String, Codable, Sendable, CaseIterable {
    case standard, urgent
}

/// When the balance of an order is due: before it leaves us, or once it has arrived.
public enum BalanceDue: String, Codable, Sendable, CaseIterable {
    case beforeShipment = "before_shipment"
    case onDelivery = "on_delivery"
}

/// What the buyer pays up front and when the rest is due.
public struct PaymentTerms: Codable, Sendable, Equatable {
    public var depositPercent: Int
    public var balanceDue: BalanceDue

    public init(depositPercent: Int, balanceDue: BalanceDue) {
        self.depositPercent = depositPercent
        self.balanceDue = balanceDue
    }

    public static let standard = PaymentTerms(depositPercent: 30, balanceDue: .beforeShipment)

    public func validated() throws -> PaymentTerms {
        guard (0...100).contains(depositPercent) else {
            throw DomainError.invalid("paymentTerms.depositPercent", "The deposit is a whole percentage from 0 to 100.")
        }
        return self
    }

    /// The deposit on a total, rounded up to the minor unit so the deposit is never short.
    public func deposit(of total: Int64) throws -> Int64 {
        let (scaled, overflow) = total.multipliedReportingOverflow(by: Int64(depositPercent))
        guard !overflow else { throw MoneyOverflow() }
        return (scaled + 99) / 100
    }
}

/// The rules a quote request, a staff draft and a sent version follow. Pure: no clock, no store.
public enum QuoteRules {
    public static let maximumLines = 50
    public static let maximumTextLength = 2000
    public static let maximumMessageLength = 5000
    public static let maximumAttachments = 8
    public static let maximumDeliveryDays = 730

    /// Response time per urgency, in business hours (Monday to Friday, 09:00–18:00 UTC).
    public struct ResponseTimes: Sendable, Equatable {
        public var standardHours: Int
        public var urgentHours: Int
        public init(standardHours: Int = 9, urgentHours: Int = 4) {
            self.standardHours = standardHours
            self.urgentHours = urgentHours
        }
        public func hours(_ urgency: Urgency) -> Int { urgency == .urgent ? urgentHours : standardHours }
    }

    static let openHour = 9, closeHour = 18

    /// The moment `hours` business hours after `start`: time outside 09:00–18:00 on weekdays does not count.
    public static func dueAt(from start: Date, businessHours hours: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var remaining = TimeInterval(max(0, hours) * 3600)
        var cursor = start
        while true {
            let day = calendar.startOfDay(for: cursor)
            let weekday = calendar.component(.weekday, from: day)
            let open = day.addingTimeInterval(TimeInterval(openHour * 3600))
            let close = day.addingTimeInterval(TimeInterval(closeHour * 3600))
            if weekday != 1, weekday != 7, cursor < close {
                let from = max(cursor, open)
                let available = close.timeIntervalSince(from)
                if remaining <= available { return from.addingTimeInterval(remaining) }
                remaining -= available
            }
            cursor = day.addingTimeInterval(86_400)
        }
    }

    /// Trimmed free text; nil when empty. `field` names it in the error.
    public static func text(_ value: String?, field: String, limit: Int = maximumTextLength) throws -> String? {
        guard let value else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        guard trimmed.count <= limit else { throw DomainError.invalid(field, "\(field) must be at most \(limit) characters.") }
        guard !trimmed.unicodeScalars.contains(where: TextRules.isForbiddenInMultiline) else {
            throw DomainError.invalid(field, "\(field) contains control characters.")
        }
        return trimmed
    }

    /// An ISO 3166 alpha-2 country code, upper-cased.
    public static func country(_ value: String?) throws -> String {
        guard let raw = value?.trimmingCharacters(in: .whitespaces), raw.count == 2,
              raw.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("a"..."z").contains($0) }) else {
            throw DomainError.invalid("country", "country is the delivery country's two-letter code, such as DE or US.")
        }
        return raw.uppercased()
    }

    /// A calendar date `YYYY-MM-DD` that is not before `today` (both UTC).
    public static func futureDate(_ value: String?, field: String, today: Date) throws -> String? {
        guard let value, !value.isEmpty else { return nil }
        guard let date = day(value) else { throw DomainError.invalid(field, "\(field) is a date such as 2027-01-31.") }
        guard date >= Calendar.utc.startOfDay(for: today) else { throw DomainError.invalid(field, "\(field) is in the past.") }
        guard date < today.addingTimeInterval(3 * 365 * 86_400) else { throw DomainError.invalid(field, "\(field) is too far ahead.") }
        return value
    }

    /// An ISO 8601 instant, or a bare date (its start, or its last second with `endOfDay`).
    public static func instant(_ text: String, field: String, endOfDay: Bool = false) throws -> Date {
        if let date = day(text) { return endOfDay ? date.addingTimeInterval(86_399) : date }
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard text.count <= 40, let date = plain.date(from: text) ?? fractional.date(from: text) else {
            throw DomainError.invalid(field, "\(field) is a date (2027-01-31) or an ISO 8601 time (2027-01-31T12:00:00Z).")
        }
        return date
    }

    public static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-")
        guard text.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        let components = DateComponents(calendar: .utc, timeZone: TimeZone(identifier: "UTC"), year: y, month: m, day: d)
        guard components.isValidDate, let date = components.date else { return nil }
        return date
    }

    public static func quantity(_ value: Int, field: String) throws -> Int {
        guard (1...CartRules.maximumQuantity).contains(value) else {
            throw DomainError.invalid(field, "\(field) must be a whole number from 1 to \(CartRules.maximumQuantity).")
        }
        return value
    }

    /// A price staff set or a buyer targets, in minor units.
    public static func price(_ value: Int64, field: String) throws -> Int64 {
        guard (1...Money.maximumPrice).contains(value) else {
            throw DomainError.invalid(field, "\(field) is a price in minor units from 1 to \(Money.maximumPrice).")
        }
        return value
    }

    public static func lineTotal(unitPrice: Int64, quantity: Int) throws -> Int64 {
        let (total, overflow) = unitPrice.multipliedReportingOverflow(by: Int64(quantity))
        guard !overflow else { throw MoneyOverflow() }
        return total
    }

    public static func sum(_ amounts: [Int64]) throws -> Int64 {
        try amounts.reduce(0) { total, next in
            let (sum, overflow) = total.addingReportingOverflow(next)
            guard !overflow else { throw MoneyOverflow() }
            return sum
        }
    }

    /// Margin on a selling price in basis points of that price; nil without a cost.
    public static func marginBasisPoints(price: Int64, cost: Int64) -> Int? {
        guard price > 0 else { return nil }
        let margin = (Double(price) - Double(cost)) / Double(price)
        return Int((margin * 10_000).rounded())
    }
}

/// One line of a frozen quote version, as the buyer reads it.
public struct QuotedLine: Codable, Sendable, Equatable {
    public var lineId: String
    public var title: String
    public var image: String?
    public var quantity: Int
    public var unitPrice: Money
    public var lineTotal: Money
    public var moq: Int
    public var deliveryDays: Int

    public init(lineId: String, title: String, image: String?, quantity: Int, unitPrice: Money, lineTotal: Money, moq: Int, deliveryDays: Int) {
        self.lineId = lineId
        self.title = title
        self.image = image
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.lineTotal = lineTotal
        self.moq = moq
        self.deliveryDays = deliveryDays
    }
}

/// What changed from one version to the next, field by field, so both sides see the diff.
public struct VersionChange: Codable, Sendable, Equatable {
    public var lineId: String?
    public var field: String
    public var from: String
    public var to: String

    public init(lineId: String?, field: String, from: String, to: String) {
        self.lineId = lineId
        self.field = field
        self.from = from
        self.to = to
    }

    public static func between(_ old: [QuotedLine], _ new: [QuotedLine], oldTerms: PaymentTerms, newTerms: PaymentTerms,
                               oldValidUntil: Date, newValidUntil: Date) -> [VersionChange] {
        var changes: [VersionChange] = []
        let before = Dictionary(old.map { ($0.lineId, $0) }, uniquingKeysWith: { a, _ in a })
        for line in new {
            guard let was = before[line.lineId] else {
                changes.append(.init(lineId: line.lineId, field: "line", from: "", to: line.title))
                continue
            }
            if was.quantity != line.quantity { changes.append(.init(lineId: line.lineId, field: "quantity", from: "\(was.quantity)", to: "\(line.quantity)")) }
            if was.unitPrice != line.unitPrice {
                changes.append(.init(lineId: line.lineId, field: "unitPrice", from: "\(was.unitPrice.amount)", to: "\(line.unitPrice.amount)"))
            }
            if was.moq != line.moq { changes.append(.init(lineId: line.lineId, field: "moq", from: "\(was.moq)", to: "\(line.moq)")) }
            if was.deliveryDays != line.deliveryDays {
                changes.append(.init(lineId: line.lineId, field: "deliveryDays", from: "\(was.deliveryDays)", to: "\(line.deliveryDays)"))
            }
        }
        if oldTerms.depositPercent != newTerms.depositPercent {
            changes.append(.init(lineId: nil, field: "depositPercent", from: "\(oldTerms.depositPercent)", to: "\(newTerms.depositPercent)"))
        }
        if oldTerms.balanceDue != newTerms.balanceDue {
            changes.append(.init(lineId: nil, field: "balanceDue", from: oldTerms.balanceDue.rawValue, to: newTerms.balanceDue.rawValue))
        }
        if oldValidUntil != newValidUntil {
            changes.append(.init(lineId: nil, field: "validUntil", from: oldValidUntil.formatted(.iso8601), to: newValidUntil.formatted(.iso8601)))
        }
        return changes
    }
}

extension Calendar {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
