import Foundation
import Synchronization

/// Slows password guessing without handing anyone a way to lock a user out.
///
/// Failures are counted per (account, address) and per address. A few are free; after
/// that each failure makes the next attempt from the same key wait twice as long (1 s,
/// 2 s, 4 s … up to `maxDelay`). Nothing is counted per account alone: guesses from
/// elsewhere never stop the owner signing in from their own address, and the owner
/// sharing an address with the guesser can still get in through the e-mailed reset link,
/// which clears the account's keys (`forgive(account:)`).
///
/// In memory on purpose: a restart forgives, which is acceptable for throttling.
public final class LoginThrottle: Sendable {
    public struct Policy: Sendable {
        /// Failures per (account, address) before delays start.
        public var freePerPair = 3
        /// Failures per address, over all accounts, before delays start (credential stuffing).
        public var freePerAddress = 20
        public var firstDelay: TimeInterval = 1
        public var maxDelay: TimeInterval = 15 * 60
        /// A key with no failure for this long is forgotten.
        public var memory: TimeInterval = 60 * 60
        public init() {}
    }

    struct Entry {
        var failures = 0
        var last = Date.distantPast
        var notBefore = Date.distantPast
    }

    public let policy: Policy
    private let entries = Mutex<[String: Entry]>([:])
    private static let capacity = 200_000

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    private static func pairKey(_ account: String, _ address: String) -> String { "p:\(address)|\(account)" }
    private static func addressKey(_ address: String) -> String { "ip:\(address)" }

    /// Seconds to wait before this attempt may be checked, else nil.
    public func retryAfter(account: String, address: String, now: Date = Date()) -> Int? {
        entries.withLock { table in
            var wait: TimeInterval = 0
            for key in [Self.pairKey(account, address), Self.addressKey(address)] {
                guard let entry = table[key] else { continue }
                if now.timeIntervalSince(entry.last) > policy.memory {
                    table[key] = nil
                    continue
                }
                wait = max(wait, entry.notBefore.timeIntervalSince(now))
            }
            return wait > 0 ? max(1, Int(wait.rounded(.up))) : nil
        }
    }

    public func recordFailure(account: String, address: String, now: Date = Date()) {
        entries.withLock { table in
            if table.count > Self.capacity { table = table.filter { now.timeIntervalSince($0.value.last) <= policy.memory } }
            if table.count > Self.capacity { table.removeAll() }
            for (key, free) in [(Self.pairKey(account, address), policy.freePerPair), (Self.addressKey(address), policy.freePerAddress)] {
                var entry = table[key] ?? Entry()
                if now.timeIntervalSince(entry.last) > policy.memory { entry = Entry() }
                entry.failures += 1
                entry.last = now
                entry.notBefore = now.addingTimeInterval(delay(afterFailures: entry.failures, free: free))
                table[key] = entry
            }
        }
    }

    /// The wait after `failures` failures: none while free, then doubling, capped.
    public func delay(afterFailures failures: Int, free: Int) -> TimeInterval {
        guard failures > free else { return 0 }
        let doublings = min(failures - free - 1, 30)
        return min(policy.maxDelay, policy.firstDelay * pow(2, Double(doublings)))
    }

    /// The right password from this address: its pair starts over. The address's own
    /// count stays, so signing in to one's own account does not buy more guesses elsewhere.
    public func recordSuccess(account: String, address: String) {
        entries.withLock { _ = $0.removeValue(forKey: Self.pairKey(account, address)) }
    }

    /// The owner proved the mailbox (password reset): every address starts over for this account.
    public func forgive(account: String) {
        let suffix = "|" + account
        entries.withLock { table in
            for key in table.keys where key.hasPrefix("p:") && key.hasSuffix(suffix) { table[key] = nil }
        }
    }
}
