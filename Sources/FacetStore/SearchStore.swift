import FacetCore
import Foundation
import GRDB

/// One buyer search as stored: the request, the stage it reached, and its final state as
/// JSON text (attributes, exact match, alternatives) written by the search service.
public struct SearchRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "search"

    public var id: String
    public var buyerId: String
    public var category: Category
    public var maxPriceAmount: Int64?
    public var currency: String
    public var status: String
    public var stage: String
    public var imageFile: String
    public var attributes: String?
    public var exactMatch: String?
    public var alternatives: String?
    public var notes: String?
    public var error: String?
    public var createdAt: Date
    public var completedAt: Date?
    /// Up to 48 ranked offers (JSON), the material for "show more" and server-side filters.
    public var ranked: String?
    /// The search this one repeats ("Search again"), to mark what is new.
    public var previousSearchId: String?

    public enum Columns {
        static let id = Column(CodingKeys.id)
        static let buyerId = Column(CodingKeys.buyerId)
        static let status = Column(CodingKeys.status)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    public init(id: String, buyerId: String, category: Category, maxPriceAmount: Int64?, currency: String, imageFile: String,
                createdAt: Date) {
        self.id = id
        self.buyerId = buyerId
        self.category = category
        self.maxPriceAmount = maxPriceAmount
        self.currency = currency
        self.status = "running"
        self.stage = "received"
        self.imageFile = imageFile
        self.createdAt = createdAt
    }
}

/// The opaque id buyers see for a catalog product (`inv:<sku>`) or listing (`mk:<id>`).
struct OfferRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "offer"
    var id: String
    var source: String
    var ref: String
    var createdAt: Date

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let ref = Column(CodingKeys.ref)
    }
}

public struct SearchStore: Sendable {
    let database: FacetDatabase
    public init(database: FacetDatabase) { self.database = database }

    /// Searches belong to the buyer who ran them.
    public static let ownership = Ownership.Lookup { db, id in
        try String.fetchOne(db, SearchRecord.filter(key: id).select(SearchRecord.Columns.buyerId))
    }

    public static func insert(_ db: Database, _ r: SearchRecord) throws { try r.insert(db) }

    public static func update(_ db: Database, _ r: SearchRecord) throws { try r.update(db) }

    /// Writes only the columns that differ from `previous` (the state last written).
    public static func update(_ db: Database, _ r: SearchRecord, from previous: SearchRecord) throws {
        try r.updateChanges(db, from: previous)
    }

    public func find(id: String) throws -> SearchRecord? {
        try database.read { db in try SearchRecord.fetchOne(db, key: id) }
    }

    /// Newest first; `before` pages back, `from`/`to` and `category` narrow the history.
    public func list(buyerId: String, limit: Int, before: Date? = nil, category: Category? = nil, from: Date? = nil,
                     to: Date? = nil) throws -> [SearchRecord] {
        try database.read { db in
            var request = SearchRecord
                .filter(SearchRecord.Columns.buyerId == buyerId && SearchRecord.Columns.createdAt < (before ?? Date.distantFuture))
            if let category { request = request.filter(Column("category") == category.rawValue) }
            if let from { request = request.filter(SearchRecord.Columns.createdAt >= from) }
            if let to { request = request.filter(SearchRecord.Columns.createdAt < to) }
            return try request.order(SearchRecord.Columns.createdAt.desc).limit(limit).fetchAll(db)
        }
    }

    /// Searches left running by a stop: they cannot resume, so they end as failed.
    public func failInterrupted(at now: Date = Date()) throws -> Int {
        try database.writer.write { db in
            try SearchRecord.filter(SearchRecord.Columns.status == "running").updateAll(db, [
                SearchRecord.Columns.status.set(to: "failed"),
                Column("error").set(to: "The search was interrupted by a restart; please search again."),
                Column("completedAt").set(to: now),
            ])
        }
    }

    /// The opaque id buyers see for a catalog product or listing (`ref`), made on first use.
    public func offerId(source: String, ref: String, at now: Date = Date()) throws -> String {
        let existing = OfferRecord.filter(OfferRecord.Columns.ref == ref).select(OfferRecord.Columns.id)
        if let id = try database.read({ db in try String.fetchOne(db, existing) }) { return id }
        return try database.writer.write { db in
            try OfferRecord(id: Identifier.make("of"), source: source, ref: ref, createdAt: now).insert(db, onConflict: .ignore)
            guard let id = try String.fetchOne(db, existing) else { throw DatabaseError(message: "offer \(ref) was not stored") }
            return id
        }
    }

    /// The ids already issued for these refs, in one read (a search builds offers for dozens).
    public func existingOfferIds(refs: [String]) throws -> [String: String] {
        guard !refs.isEmpty else { return [:] }
        return try database.read { db in
            var found: [String: String] = [:]
            for row in try Row.fetchAll(db, OfferRecord.filter(Array(Set(refs)).contains(OfferRecord.Columns.ref))
                .select(OfferRecord.Columns.id, OfferRecord.Columns.ref)) {
                found[row["ref"]] = row["id"]
            }
            return found
        }
    }

    /// Ids for these refs (source, ref), issuing the missing ones in one write.
    public func issueOfferIds(_ items: [(source: String, ref: String)], at now: Date = Date()) throws -> [String: String] {
        var found = try existingOfferIds(refs: items.map(\.ref))
        var missing: [String: String] = [:]
        for item in items where found[item.ref] == nil { missing[item.ref] = item.source }
        guard !missing.isEmpty else { return found }
        try database.writer.write { db in
            for (ref, source) in missing.sorted(by: { $0.key < $1.key }) {
                try OfferRecord(id: Identifier.make("of"), source: source, ref: ref, createdAt: now).insert(db, onConflict: .ignore)
            }
            for row in try Row.fetchAll(db, OfferRecord.filter(Array(missing.keys).contains(OfferRecord.Columns.ref))
                .select(OfferRecord.Columns.id, OfferRecord.Columns.ref)) {
                found[row["ref"]] = row["id"]
            }
        }
        return found
    }

    public func offerRef(id: String) throws -> (source: String, ref: String)? {
        try database.read { db in try OfferRecord.fetchOne(db, key: id).map { ($0.source, $0.ref) } }
    }

    /// Offer id → product or listing ref, for the ids Facet issued (unknown ids are absent).
    public func offerRefs(ids: [String]) throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        return try database.read { db in
            Dictionary(try OfferRecord.filter(keys: Array(Set(ids))).fetchAll(db).map { ($0.id, $0.ref) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// Offer ids issued for these refs, for telling carts that their prices moved.
    public func offerIds(refs: [String]) throws -> [String] {
        guard !refs.isEmpty else { return [] }
        return try database.read { db in
            try String.fetchAll(db, OfferRecord.filter(refs.contains(OfferRecord.Columns.ref)).select(OfferRecord.Columns.id))
        }
    }
}
