import FacetCore
import Foundation
import GRDB

public struct MarkupChange: Codable, Sendable, Equatable {
    public var id: Int64
    /// "global", a category, "marketplace" or "marketplace:<category>".
    public var scope: String
    public var oldBasisPoints: Int?
    public var newBasisPoints: Int?
    public var actorId: String
    public var actorEmail: String
    public var at: Date

    enum CodingKeys: String, CodingKey { case id, scope, oldBasisPoints, newBasisPoints, actorId, actorEmail, at }

    /// A markup that did not exist (or was cleared) is an explicit null, not a missing key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(scope, forKey: .scope)
        try c.encode(oldBasisPoints, forKey: .oldBasisPoints)
        try c.encode(newBasisPoints, forKey: .newBasisPoints)
        try c.encode(actorId, forKey: .actorId)
        try c.encode(actorEmail, forKey: .actorEmail)
        try c.encode(at, forKey: .at)
    }
}

/// Markups (global and per category, for our stock and for marketplace items) with an
/// audit row for every change.
public struct MarkupStore: Sendable {
    let database: FacetDatabase
    public init(database: FacetDatabase) { self.database = database }

    public static let globalScope = "global"
    public static let marketplaceScope = "marketplace"

    public static func marketplaceScope(_ category: Category) -> String { "\(marketplaceScope):\(category.rawValue)" }

    /// The value a scope has in a table; nil for a category without its own markup.
    static func value(of scope: String, in table: MarkupTable) -> Int? {
        if scope == globalScope { return table.global }
        if scope == marketplaceScope { return table.marketplaceGlobal }
        if scope.hasPrefix(marketplaceScope + ":") {
            return Category(rawValue: String(scope.dropFirst(marketplaceScope.count + 1))).flatMap { table.marketplacePerCategory[$0] }
        }
        return Category(rawValue: scope).flatMap { table.perCategory[$0] }
    }

    public func table() throws -> MarkupTable {
        try database.read { db in try Self.table(db) }
    }

    static func table(_ db: Database) throws -> MarkupTable {
        var table = MarkupTable.standard
        for row in try Row.fetchAll(db, sql: "SELECT scope, basisPoints FROM markup") {
            let scope: String = row["scope"], bp: Int = row["basisPoints"]
            if scope == globalScope {
                table.global = bp
            } else if scope == marketplaceScope {
                table.marketplaceGlobal = bp
            } else if scope.hasPrefix(marketplaceScope + ":"), let c = Category(rawValue: String(scope.dropFirst(marketplaceScope.count + 1))) {
                table.marketplacePerCategory[c] = bp
            } else if let c = Category(rawValue: scope) {
                table.perCategory[c] = bp
            }
        }
        return table
    }

    /// Sets or clears (nil) markups; one audit row per scope whose value changes.
    /// Returns the table after the change.
    public func apply(_ updates: [(scope: String, basisPoints: Int?)], actorId: String, actorEmail: String,
                      at now: Date = Date()) throws -> (MarkupTable, [MarkupChange]) {
        try database.writer.write { db in
            let before = try Self.table(db)
            var changes: [MarkupChange] = []
            for (scope, bp) in updates {
                let old = Self.value(of: scope, in: before)
                guard old != bp else { continue }
                if let bp {
                    try db.execute(sql: """
                        INSERT INTO markup (scope, basisPoints, updatedAt, updatedBy) VALUES (?, ?, ?, ?)
                        ON CONFLICT(scope) DO UPDATE SET basisPoints = excluded.basisPoints,
                            updatedAt = excluded.updatedAt, updatedBy = excluded.updatedBy
                        """, arguments: [scope, bp, now, actorId])
                } else {
                    try db.execute(sql: "DELETE FROM markup WHERE scope = ?", arguments: [scope])
                }
                try db.execute(sql: """
                    INSERT INTO markupAudit (scope, oldBasisPoints, newBasisPoints, actorId, actorEmail, at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [scope, old, bp, actorId, actorEmail, now])
                changes.append(MarkupChange(id: db.lastInsertedRowID, scope: scope, oldBasisPoints: old, newBasisPoints: bp,
                                            actorId: actorId, actorEmail: actorEmail, at: now))
            }
            return (try Self.table(db), changes)
        }
    }

    public func audit(limit: Int = 200) throws -> [MarkupChange] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM markupAudit ORDER BY id DESC LIMIT ?", arguments: [limit]).map {
                MarkupChange(id: $0["id"], scope: $0["scope"], oldBasisPoints: $0["oldBasisPoints"], newBasisPoints: $0["newBasisPoints"],
                             actorId: $0["actorId"], actorEmail: $0["actorEmail"], at: $0["at"])
            }
        }
    }
}
