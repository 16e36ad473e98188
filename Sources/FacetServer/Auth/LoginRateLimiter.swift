import Foundation
import Synchronization

/// Counts failed sign-ins per account and per client address in a sliding window.
/// In memory on purpose: a restart forgives, which is acceptable for throttling.
public final class LoginRateLimiter: Sendable {
    public let window: TimeInterval
    public let perAccount: Int
    public let perAddress: Int
    private let failures = Mutex<[String: [Date]]>([:])

    public init(window: TimeInterval = 15 * 60, perAccount: Int = 5, perAddress: Int = 20) {
        self.window = window
        self.perAccount = perAccount
        self.perAddress = perAddress
    }

    /// Seconds to wait when either key is over its limit, else nil.
    public func retryAfter(account: String, address: String, now: Date = Date()) -> Int? {
        failures.withLock { table in
            var wait: TimeInterval = 0
            for (key, limit) in [("a:" + account, perAccount), ("ip:" + address, perAddress)] {
                let recent = (table[key] ?? []).filter { now.timeIntervalSince($0) < window }
                table[key] = recent
                if recent.count >= limit, let oldest = recent.first {
                    wait = max(wait, window - now.timeIntervalSince(oldest))
                }
            }
            return wait > 0 ? max(1, Int(wait.rounded(.up))) : nil
        }
    }

    public func recordFailure(account: String, address: String, now: Date = Date()) {
        failures.withLock { table in
            table["a:" + account, default: []].append(now)
            table["ip:" + address, default: []].append(now)
            if table.count > 100_000 { table.removeAll() }
        }
    }

    public func recordSuccess(account: String) {
        failures.withLock { _ = $0.removeValue(forKey: "a:" + account) }
    }
}
