import FacetCore
import FacetStore
import Foundation
import GRDB
import Synchronization

/// Who has a live WebSocket open, so a person at the screen is not also e-mailed.
public final class Presence: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    public init() {}
    public func connected(_ userId: String) { counts.withLock { $0[userId, default: 0] += 1 } }
    public func disconnected(_ userId: String) {
        counts.withLock { counts in
            let left = (counts[userId] ?? 1) - 1
            counts[userId] = left > 0 ? left : nil
        }
    }
    public func isConnected(_ userId: String) -> Bool { counts.withLock { ($0[userId] ?? 0) > 0 } }
}

/// Sends an e-mail to an account; the server supplies the mailer and the links' base URL.
public protocol CommerceMail: Sendable {
    /// `path` is a page of the web app (e.g. `/quote.html?id=q_1`), turned into a full link.
    func send(toUserId: String, subject: String, text: String, path: String)
    /// Every staff account's id, for threads nobody is assigned to yet.
    func staffIds() -> [String]
}

/// The brand order API, as the sourcing module offers it: FacetCommerce never talks to brands itself.
public protocol BrandOrdering: Sendable {
    func placeOrder(brand: String, facetOrderId: String, lines: [(sku: String, quantity: Int)]) async throws
}

/// Settings the quote desk runs by.
public struct CommerceSettings: Sendable {
    public var currency = "USD"
    public var responseTimes = QuoteRules.ResponseTimes()
    /// How long a new draft's price holds, in days.
    public var defaultValidityDays = 14
    /// At most one e-mail per thread and recipient in this many seconds.
    public var mailWindow: TimeInterval = 15 * 60
    /// How often the server looks for sent versions past their validity.
    public var expiryInterval: TimeInterval = 30
    /// What the buyer is told about paying (payment happens outside Facet).
    public var paymentInstructions = "Pay by bank transfer to Facet Trading Ltd, IBAN GB00 FACE 0000 0000 0000 00, quoting the reference."
    public init() {}
}

extension Actor {
    init(_ viewer: Viewer) { self = viewer.role.isStaff ? .staff : .buyer }
}

enum CommerceIds {
    static func quoteNumber(_ n: Int) -> String { "Q-" + String(format: "%06d", n) }
    static func orderNumber(_ n: Int) -> String { "O-" + String(format: "%06d", n) }

    static func nextNumber(_ db: Database, table: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT coalesce(max(number), 0) + 1 FROM \(table)") ?? 1
    }
}
