import FacetCore
import Foundation
import GRDB

/// A search the buyer named to come back to, and optionally watch: new stock that matches it is
/// announced on the buyer's topic and in a daily digest.
public struct SavedSearchRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "savedSearch"
    public var id: String
    public var buyerId: String
    public var searchId: String
    public var name: String
    public var watch: Bool
    public var minSimilarity: Double
    public var lastSearchId: String
    public var lastRunAt: Date
    public var newMatches: Int
    public var lastDigestAt: Date?
    public var createdAt: Date

    public enum Columns {
        static let buyerId = Column(CodingKeys.buyerId)
        static let searchId = Column(CodingKeys.searchId)
        static let lastSearchId = Column(CodingKeys.lastSearchId)
        static let watch = Column(CodingKeys.watch)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    public init(id: String, buyerId: String, searchId: String, name: String, watch: Bool, minSimilarity: Double, createdAt: Date) {
        self.id = id
        self.buyerId = buyerId
        self.searchId = searchId
        self.name = name
        self.watch = watch
        self.minSimilarity = minSimilarity
        self.lastSearchId = searchId
        self.lastRunAt = createdAt
        self.newMatches = 0
        self.createdAt = createdAt
    }
}

/// An offer a watched search was told about, so each is announced once.
public struct SavedSearchMatchRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "savedSearchMatch"
    public var savedSearchId: String
    public var offerId: String
    public var similarity: Double
    public var foundAt: Date
    public var digested: Bool

    public init(savedSearchId: String, offerId: String, similarity: Double, foundAt: Date) {
        self.savedSearchId = savedSearchId
        self.offerId = offerId
        self.similarity = similarity
        self.foundAt = foundAt
        self.digested = false
    }
}

public struct SavedSearchStore: Sendable {
    let database: FacetDatabase
    public init(database: FacetDatabase) { self.database = database }

    public func list(buyerId: String) throws -> [SavedSearchRecord] {
        try database.read { db in
            try SavedSearchRecord.filter(SavedSearchRecord.Columns.buyerId == buyerId).order(SavedSearchRecord.Columns.createdAt.desc).fetchAll(db)
        }
    }

    public static func find(_ db: Database, id: String, buyerId: String) throws -> SavedSearchRecord? {
        try SavedSearchRecord.filter(Column("id") == id && SavedSearchRecord.Columns.buyerId == buyerId).fetchOne(db)
    }

    public func watched(category: Category) throws -> [(saved: SavedSearchRecord, imageFile: String)] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.*, q.imageFile AS queryImage FROM savedSearch s JOIN search q ON q.id = s.searchId
                WHERE s.watch AND q.category = ?
                """, arguments: [category.rawValue]).map { (try SavedSearchRecord(row: $0), $0["queryImage"]) }
        }
    }

    /// Saved searches whose last run was this search (a "search again" of one moves it on).
    public static func following(_ db: Database, searchId: String) throws -> [SavedSearchRecord] {
        try SavedSearchRecord.filter(SavedSearchRecord.Columns.lastSearchId == searchId || SavedSearchRecord.Columns.searchId == searchId)
            .fetchAll(db)
    }

    /// Buyers with matches not yet e-mailed whose last digest is older than `since`.
    public func pendingDigests(before cutoff: Date) throws -> [String: [(saved: SavedSearchRecord, match: SavedSearchMatchRecord)]] {
        try database.read { db in
            var result: [String: [(SavedSearchRecord, SavedSearchMatchRecord)]] = [:]
            let saved = try SavedSearchRecord.filter(SavedSearchRecord.Columns.watch == true).fetchAll(db)
            for s in saved where (s.lastDigestAt ?? .distantPast) < cutoff {
                let matches = try SavedSearchMatchRecord.filter(Column("savedSearchId") == s.id && Column("digested") == false).fetchAll(db)
                for m in matches { result[s.buyerId, default: []].append((s, m)) }
            }
            return result
        }
    }

    public func markDigested(buyerId: String, at now: Date) throws {
        try database.writer.write { db in
            try db.execute(sql: """
                UPDATE savedSearchMatch SET digested = 1 WHERE savedSearchId IN (SELECT id FROM savedSearch WHERE buyerId = ?)
                """, arguments: [buyerId])
            try db.execute(sql: "UPDATE savedSearch SET lastDigestAt = ? WHERE buyerId = ? AND watch", arguments: [now, buyerId])
        }
    }
}
