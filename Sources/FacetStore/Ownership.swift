import FacetCore
import Foundation
import GRDB
import Synchronization

/// Who owns each kind of resource a buyer reaches by id: searches now, carts, quotes and
/// orders as they arrive. Each kind joins with a lookup; REST handlers and topic
/// subscriptions both ask here, so the two can never disagree.
public final class Ownership: Sendable {
    public struct Lookup: Sendable {
        let owner: @Sendable (Database, String) throws -> String?
        public init(_ owner: @escaping @Sendable (Database, String) throws -> String?) { self.owner = owner }
    }

    private let database: FacetDatabase
    private let lookups = Mutex<[Topic.Kind: Lookup]>([:])

    public init(database: FacetDatabase) {
        self.database = database
        // A buyer's own topic is named by the buyer's id.
        register(.buyer, Lookup { _, id in id })
        register(.search, SearchStore.ownership)
    }

    public func register(_ kind: Topic.Kind, _ lookup: Lookup) {
        lookups.withLock { $0[kind] = lookup }
    }

    /// The owning account's id; nil when the resource does not exist or the kind has no owner yet.
    public func owner(of kind: Topic.Kind, id: String) throws -> String? {
        guard let lookup = lookups.withLock({ $0[kind] }) else { return nil }
        return try database.read { db in try lookup.owner(db, id) }
    }

    /// Staff see everything; a buyer sees only their own. Anyone else is told it does not exist.
    public func isVisible(_ kind: Topic.Kind, id: String, to viewer: Viewer) throws -> Bool {
        if viewer.role.isStaff { return true }
        return try owner(of: kind, id: id) == viewer.userId
    }
}
