import FacetStore
import Foundation
import Synchronization

/// Resolves session cookies to accounts. The WebSocket handshake runs on the service
/// thread, so lookups are synchronous and cached briefly; logout and password changes
/// evict explicitly.
public final class SessionCache: Sendable {
    private struct Entry { let user: UserRecord; let expires: Date }
    private let accounts: AccountStore
    private let entries = Mutex<[String: Entry]>([:])
    private let ttl: TimeInterval = 10

    init(accounts: AccountStore) { self.accounts = accounts }

    public func user(token: String, now: Date = Date()) -> UserRecord? {
        guard token.count >= 20, token.count <= 128 else { return nil }
        if let entry = entries.withLock({ $0[token] }), entry.expires > now { return entry.user }
        guard let user = try? accounts.sessionUser(token: token, now: now) else {
            entries.withLock { _ = $0.removeValue(forKey: token) }
            return nil
        }
        entries.withLock { cache in
            if cache.count > 50_000 { cache.removeAll() }
            cache[token] = Entry(user: user, expires: now.addingTimeInterval(ttl))
        }
        return user
    }

    public func evict(token: String) { entries.withLock { _ = $0.removeValue(forKey: token) } }

    public func evict(userId: String) {
        entries.withLock { cache in cache = cache.filter { $0.value.user.id != userId } }
    }
}
