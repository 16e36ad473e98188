import FacetCore
import Foundation
import GRDB

/// One cart line: an offer, how many, the buyer's note, and the offer as it was when added.
public struct CartLineRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "cartLine"
    public var id: String
    public var buyerId: String
    public var offerId: String
    public var quantity: Int
    public var note: String?
    /// `OfferSnapshot` as JSON.
    public var snapshot: String
    public var addedAt: Date
    public var updatedAt: Date

    public enum Columns {
        static let id = Column(CodingKeys.id)
        static let buyerId = Column(CodingKeys.buyerId)
        static let offerId = Column(CodingKeys.offerId)
        static let addedAt = Column(CodingKeys.addedAt)
    }

    public init(id: String, buyerId: String, offerId: String, quantity: Int, note: String?, snapshot: String, addedAt: Date, updatedAt: Date) {
        self.id = id
        self.buyerId = buyerId
        self.offerId = offerId
        self.quantity = quantity
        self.note = note
        self.snapshot = snapshot
        self.addedAt = addedAt
        self.updatedAt = updatedAt
    }
}

public struct WishlistItemRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "wishlistItem"
    public var id: String
    public var buyerId: String
    public var offerId: String
    public var snapshot: String
    public var addedAt: Date

    public enum Columns {
        static let buyerId = Column(CodingKeys.buyerId)
        static let offerId = Column(CodingKeys.offerId)
        static let addedAt = Column(CodingKeys.addedAt)
    }

    public init(id: String, buyerId: String, offerId: String, snapshot: String, addedAt: Date) {
        self.id = id
        self.buyerId = buyerId
        self.offerId = offerId
        self.snapshot = snapshot
        self.addedAt = addedAt
    }
}

/// A buyer's cart and wishlist. Every query is scoped to the buyer, so another buyer's line
/// simply does not exist here.
public struct WorkspaceStore: Sendable {
    let database: FacetDatabase
    public init(database: FacetDatabase) { self.database = database }

    public func cart(buyerId: String) throws -> [CartLineRecord] {
        try database.read { db in
            try CartLineRecord.filter(CartLineRecord.Columns.buyerId == buyerId).order(CartLineRecord.Columns.addedAt, CartLineRecord.Columns.id).fetchAll(db)
        }
    }

    public static func line(_ db: Database, id: String, buyerId: String) throws -> CartLineRecord? {
        try CartLineRecord.filter(CartLineRecord.Columns.id == id && CartLineRecord.Columns.buyerId == buyerId).fetchOne(db)
    }

    public static func line(_ db: Database, offerId: String, buyerId: String) throws -> CartLineRecord? {
        try CartLineRecord.filter(CartLineRecord.Columns.offerId == offerId && CartLineRecord.Columns.buyerId == buyerId).fetchOne(db)
    }

    public func wishlist(buyerId: String) throws -> [WishlistItemRecord] {
        try database.read { db in
            try WishlistItemRecord.filter(WishlistItemRecord.Columns.buyerId == buyerId).order(WishlistItemRecord.Columns.addedAt).fetchAll(db)
        }
    }

    public static func item(_ db: Database, id: String, buyerId: String) throws -> WishlistItemRecord? {
        try WishlistItemRecord.filter(Column("id") == id && WishlistItemRecord.Columns.buyerId == buyerId).fetchOne(db)
    }

    public static func item(_ db: Database, offerId: String, buyerId: String) throws -> WishlistItemRecord? {
        try WishlistItemRecord.filter(WishlistItemRecord.Columns.offerId == offerId && WishlistItemRecord.Columns.buyerId == buyerId).fetchOne(db)
    }

    public struct Counts: Codable, Sendable, Equatable {
        public var lines: Int
        public var quantity: Int
        public var wishlist: Int
    }

    public static func counts(_ db: Database, buyerId: String) throws -> Counts {
        let row = try Row.fetchOne(db, sql: "SELECT count(*) AS n, coalesce(sum(quantity), 0) AS q FROM cartLine WHERE buyerId = ?",
                                   arguments: [buyerId])
        let wishes = try WishlistItemRecord.filter(WishlistItemRecord.Columns.buyerId == buyerId).fetchCount(db)
        return Counts(lines: row?["n"] ?? 0, quantity: row?["q"] ?? 0, wishlist: wishes)
    }
}
