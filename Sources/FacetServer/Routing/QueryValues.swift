import FacetCore
import Foundation

/// Query parameters read strictly: a value that is present but not what the route takes is
/// a 422 naming the parameter, never silently replaced by a default. An empty value
/// (`limit=`) is present and not a number, so it is refused too.
enum QueryValues {
    static func integer(_ context: RequestContext, _ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let raw = context.query(name) else { return nil }
        guard let value = Int(raw), range.contains(value) else {
            throw DomainError.invalid(name, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return value
    }

    /// An ISO 8601 time, or a bare date (`2026-12-03`): its start, or with `throughDay` the
    /// start of the next day, so "to 3 December" includes the 3rd.
    static func date(_ context: RequestContext, _ name: String, throughDay: Bool = false) throws -> Date? {
        guard let raw = context.query(name) else { return nil }
        if let day = QuoteRules.day(raw) { return throughDay ? day.addingTimeInterval(86_400) : day }
        guard let date = RFC3339.date(raw) else {
            throw DomainError.invalid(name, "\(name) must be an ISO 8601 time such as 2026-12-03T10:00:00Z.")
        }
        return date
    }
}
