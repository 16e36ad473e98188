import FacetCore
import Synchronization

/// At most a few searches in flight per buyer, so one buyer uploading a burst cannot fill
/// the compute queue ahead of everyone else. A slot is held from the upload until the
/// search is done (or fails to start).
public final class BuyerSlots: Sendable {
    public let perBuyer: Int
    private let held = Mutex<[String: Int]>([:])

    public init(perBuyer: Int) {
        self.perBuyer = max(1, perBuyer)
    }

    /// A slot for this buyer, or nil when they already have `perBuyer` searches running.
    public func acquire(_ buyerId: String) -> Slot? {
        let granted = held.withLock { table -> Bool in
            let current = table[buyerId] ?? 0
            guard current < perBuyer else { return false }
            table[buyerId] = current + 1
            return true
        }
        return granted ? Slot(owner: self, buyerId: buyerId) : nil
    }

    public func inFlight(_ buyerId: String) -> Int { held.withLock { $0[buyerId] ?? 0 } }

    /// Searches in flight over all buyers.
    public var total: Int { held.withLock { $0.values.reduce(0, +) } }

    fileprivate func release(_ buyerId: String) {
        held.withLock { table in
            let left = (table[buyerId] ?? 1) - 1
            table[buyerId] = left > 0 ? left : nil
        }
    }

    /// Released exactly once, by whoever finishes with the search.
    public final class Slot: Sendable {
        private let owner: BuyerSlots
        private let buyerId: String
        private let released = Atomic<Bool>(false)

        fileprivate init(owner: BuyerSlots, buyerId: String) {
            self.owner = owner
            self.buyerId = buyerId
        }

        public func release() {
            guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
            owner.release(buyerId)
        }

        deinit { release() }
    }

    public static func refusal(perBuyer: Int) -> DomainError {
        DomainError(.rateLimited, code: "too_many_searches",
                    "You have \(perBuyer) searches running; wait for one to finish, then upload again.", retryAfter: 3)
    }
}
