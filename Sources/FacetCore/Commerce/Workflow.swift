/// Who moves a quote or an order: the buyer, our staff, or the server itself (expiry).
public enum Actor: String, Codable, Sendable, CaseIterable {
    case buyer, staff, system
}

/// A move the state machine refuses: the message says what the state is and what may happen.
public func illegalMove(_ what: String, from: String, to: String) -> DomainError {
    DomainError(.conflict, code: "illegal_transition",
                "This \(what) is \(from.replacingOccurrences(of: "_", with: " ")); it cannot become \(to.replacingOccurrences(of: "_", with: " ")).")
}

/// The quote lifecycle (commercetools' request → staged quote → quote, Adobe's negotiable quote
/// history): every transition is checked here, and nowhere else.
public enum QuoteStatus: String, Codable, Sendable, CaseIterable {
    case submitted
    case inReview = "in_review"
    case quoted
    case changesRequested = "changes_requested"
    case accepted, declined, expired, withdrawn

    public var isFinal: Bool { [.accepted, .declined, .withdrawn].contains(self) }

    /// Allowed moves by who makes them. A quoted quote sent again is a new version (quoted → quoted).
    static let moves: [QuoteStatus: [QuoteStatus: Set<Actor>]] = [
        .submitted: [.inReview: [.staff], .quoted: [.staff], .declined: [.staff], .withdrawn: [.buyer]],
        .inReview: [.quoted: [.staff], .declined: [.staff], .withdrawn: [.buyer]],
        .quoted: [.quoted: [.staff], .changesRequested: [.buyer], .accepted: [.buyer], .declined: [.buyer, .staff],
                  .expired: [.system], .withdrawn: [.buyer]],
        .changesRequested: [.quoted: [.staff], .declined: [.staff], .withdrawn: [.buyer]],
        // An expired quote can be renewed: the buyer asks, staff answer with a new version.
        .expired: [.changesRequested: [.buyer], .quoted: [.staff], .declined: [.staff], .withdrawn: [.buyer]],
    ]

    public func canMove(to next: QuoteStatus, by actor: Actor) -> Bool { Self.moves[self]?[next]?.contains(actor) ?? false }

    public func move(to next: QuoteStatus, by actor: Actor) throws -> QuoteStatus {
        guard canMove(to: next, by: actor) else { throw illegalMove("quote", from: rawValue, to: next.rawValue) }
        return next
    }
}

/// The order lifecycle after acceptance; payment is verified before anything is made or shipped.
public enum OrderStatus: String, Codable, Sendable, CaseIterable {
    case confirmed
    case paymentVerified = "payment_verified"
    case inProduction = "in_production"
    case qualityCheck = "quality_check"
    case shipped, delivered, closed

    static let moves: [OrderStatus: [OrderStatus: Set<Actor>]] = [
        .confirmed: [.paymentVerified: [.staff]],
        .paymentVerified: [.inProduction: [.staff], .qualityCheck: [.staff], .shipped: [.staff]],
        .inProduction: [.qualityCheck: [.staff], .shipped: [.staff]],
        .qualityCheck: [.shipped: [.staff]],
        // Partial shipments: each one is recorded as shipped again until every line has left.
        .shipped: [.shipped: [.staff], .delivered: [.staff, .buyer]],
        .delivered: [.closed: [.buyer, .staff, .system]],
    ]

    public func canMove(to next: OrderStatus, by actor: Actor) -> Bool { Self.moves[self]?[next]?.contains(actor) ?? false }

    public func move(to next: OrderStatus, by actor: Actor) throws -> OrderStatus {
        guard canMove(to: next, by: actor) else { throw illegalMove("order", from: rawValue, to: next.rawValue) }
        return next
    }
}

/// A problem the buyer raises about a delivered order, worked by staff to an outcome.
public enum IssueStatus: String, Codable, Sendable, CaseIterable {
    case open
    case inProgress = "in_progress"
    case resolved, closed

    static let moves: [IssueStatus: [IssueStatus: Set<Actor>]] = [
        .open: [.inProgress: [.staff], .resolved: [.staff]],
        .inProgress: [.resolved: [.staff]],
        .resolved: [.closed: [.buyer, .staff, .system], .inProgress: [.staff]],
    ]

    public func canMove(to next: IssueStatus, by actor: Actor) -> Bool { Self.moves[self]?[next]?.contains(actor) ?? false }

    public func move(to next: IssueStatus, by actor: Actor) throws -> IssueStatus {
        guard canMove(to: next, by: actor) else { throw illegalMove("issue", from: rawValue, to: next.rawValue) }
        return next
    }
}
