import FacetCommerce
import FacetCore
import FacetSourcing
import FacetStore
import Foundation
import GRDB
import Logging

/// Quote and order e-mail through the server's mailer, with links to this site's pages.
struct CommerceMailer: CommerceMail {
    let mailer: Mailer
    let database: FacetDatabase
    let baseURL: String
    let logger: Logger

    func send(toUserId: String, subject: String, text: String, path: String) {
        do {
            guard let user = try database.read({ db in try UserRecord.fetchOne(db, key: toUserId) }) else { return }
            let greeting = user.contactName.isEmpty ? "Hello," : "Hello \(user.contactName),"
            try mailer.send(MailMessage(to: user.email, subject: subject,
                                        text: "\(greeting)\n\n\(text)\n\nOpen it in Facet: \(baseURL)\(path)\n\n— Facet sales\n"))
        } catch {
            logger.warning("commerce mail not sent", metadata: ["user": "\(toUserId)", "error": "\(error)"])
        }
    }

    func staffIds() -> [String] {
        (try? database.read { db in try String.fetchAll(db, sql: "SELECT id FROM user WHERE role != 'buyer' ORDER BY createdAt") }) ?? []
    }
}

/// The sourcing module's brand order API, as the order desk asks for it.
struct SourcingBrandOrders: BrandOrdering {
    let sourcing: SourcingService

    func placeOrder(brand: String, facetOrderId: String, lines: [(sku: String, quantity: Int)]) async throws {
        _ = try await sourcing.orders.notify(brand: brand, facetOrderId: facetOrderId,
                                             lines: lines.map { BrandConnector.OrderLine(sku: $0.sku, quantity: $0.quantity) })
    }
}

/// Expires sent quote versions past their validity: once at start (a restart misses nothing),
/// then on an interval.
final class QuoteExpiry: Sendable {
    let task: Task<Void, Never>

    init(quotes: Quotes, interval: TimeInterval, logger: Logger) {
        task = Task.detached {
            while !Task.isCancelled {
                do {
                    let expired = try quotes.expireDue()
                    if expired > 0 { logger.info("quotes expired", metadata: ["count": "\(expired)"]) }
                } catch {
                    logger.error("quote expiry failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(nanoseconds: UInt64(max(1, interval) * 1e9))
            }
        }
    }

    deinit { task.cancel() }
}
