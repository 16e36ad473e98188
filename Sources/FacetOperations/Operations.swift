import FacetCore
import FacetStore
import Foundation
import GRDB

/// What the operations console reads and the staff workflows that have no other home.
public final class Operations: Sendable {
    let database: FacetDatabase
    let publisher: Publisher

    public init(database: FacetDatabase, publisher: Publisher) {
        self.database = database
        self.publisher = publisher
    }

    /// What needs doing today, counted from the store (each count is a link to its filtered list).
    public struct Work: Codable, Sendable, Equatable {
        public var newQuoteRequests: Int
        public var overdueQuoteRequests: Int
        public var quotesAwaitingBuyer: Int
        public var ordersByStatus: [String: Int]
        public var paymentsToVerify: Int
        public var openIssues: Int
        public var approvalsPending: Int
    }

    public func work(now: Date = Date()) throws -> Work {
        try database.read { db in
            let count = { (sql: String, args: StatementArguments) in try Int.fetchOne(db, sql: sql, arguments: args) ?? 0 }
            var byStatus: [String: Int] = Dictionary(uniqueKeysWithValues: OrderStatus.allCases.map { ($0.rawValue, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM salesOrder GROUP BY status") {
                byStatus[row["status"]] = row["n"]
            }
            return Work(
                newQuoteRequests: try count("SELECT count(*) FROM quote WHERE status = 'submitted'", []),
                overdueQuoteRequests: try count("SELECT count(*) FROM quote WHERE status IN ('submitted', 'in_review', 'changes_requested') AND dueAt < ?", [now]),
                quotesAwaitingBuyer: try count("SELECT count(*) FROM quote WHERE status = 'quoted'", []),
                ordersByStatus: byStatus,
                paymentsToVerify: try count("SELECT count(*) FROM salesOrder WHERE status = 'confirmed'", []),
                openIssues: try count("SELECT count(*) FROM orderIssue WHERE status IN ('open', 'in_progress')", []),
                approvalsPending: try count("SELECT count(*) FROM approval WHERE status = 'pending'", []))
        }
    }

    /// Records one staff action as a sentence and announces it on the admin feed, together.
    public func audit(_ db: Database, actor: UserRecord, kind: String, subject: String?, summary: String, at now: Date = Date()) throws -> PendingEvent {
        try db.execute(sql: "INSERT INTO staffAudit (at, actorId, actorEmail, kind, subject, summary) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [now, actor.id, actor.email, kind, subject, summary])
        return try PendingEvent(topic: "admin", event: "staff.action", data: AuditEntry(at: now, actor: actor.email, kind: kind, subject: subject, summary: summary))
    }

    public var databaseBytes: Int64 {
        (try? database.read { db in try Int64.fetchOne(db, sql: "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()") ?? 0 }) ?? 0
    }
}

/// One line of the audit log: who did what, as a sentence.
public struct AuditEntry: Codable, Sendable, Equatable {
    public let at: Date
    public let actor: String
    public let kind: String
    public let subject: String?
    public let summary: String
}

extension Operations {
    /// Every staff action, newest first: markups, marketplace parameters, quotes and orders moved
    /// by staff, and the console's own actions (accounts, approvals, buyers, policies).
    public func auditLog(actor: String?, kind: String?, from: Date?, to: Date?, limit: Int = 500) throws -> [AuditEntry] {
        try database.read { db in
            let sql = """
                SELECT at, actor, kind, subject, summary FROM (
                  SELECT at, actorEmail AS actor, 'markup' AS kind, scope AS subject,
                         'Markup for ' || scope || ' set to ' || printf('%.2f', newBasisPoints / 100.0) || ' %' ||
                         CASE WHEN oldBasisPoints IS NULL THEN '' ELSE ' (was ' || printf('%.2f', oldBasisPoints / 100.0) || ' %)' END AS summary
                    FROM markupAudit
                  UNION ALL
                  SELECT at, actorEmail, 'marketplace', NULL, 'Marketplace parameters changed' FROM marketplaceAudit
                  UNION ALL
                  SELECT a.at, coalesce(u.email, a.actorId), 'quote.' || a.kind, 'Q-' || printf('%06d', q.number),
                         'Quote Q-' || printf('%06d', q.number) || ': ' || replace(a.kind, '_', ' ') || coalesce(' — ' || a.note, '')
                    FROM quoteActivity a JOIN quote q ON q.id = a.quoteId LEFT JOIN user u ON u.id = a.actorId WHERE a.actor = 'staff'
                  UNION ALL
                  SELECT a.at, coalesce(u.email, a.actorId), 'order.' || a.status, 'O-' || printf('%06d', o.number),
                         'Order O-' || printf('%06d', o.number) || ' ' || replace(a.status, '_', ' ') || coalesce(' — ' || a.note, '')
                    FROM orderActivity a JOIN salesOrder o ON o.id = a.orderId LEFT JOIN user u ON u.id = a.actorId WHERE a.actor = 'staff'
                  UNION ALL
                  SELECT at, actorEmail, kind, subject, summary FROM staffAudit
                )
                WHERE (? IS NULL OR actor = ?) AND (? IS NULL OR kind = ? OR kind LIKE ? || '.%') AND (? IS NULL OR at >= ?) AND (? IS NULL OR at < ?)
                ORDER BY at DESC LIMIT ?
                """
            return try Row.fetchAll(db, sql: sql, arguments: [actor, actor, kind, kind, kind, from, from, to, to, limit]).map {
                AuditEntry(at: $0["at"], actor: $0["actor"], kind: $0["kind"], subject: $0["subject"], summary: $0["summary"])
            }
        }
    }
}
