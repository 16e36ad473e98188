import Foundation

/// Per-key token bucket plus a concurrency cap. A caller reserves its token at once (the
/// bucket may go negative) and sleeps until it is due, so waiting callers keep their order
/// and a burst of searches can never exceed `rate` per second beyond the first `burst`.
public actor RateLimiter {
    public struct Limits: Sendable, Equatable {
        public var ratePerSecond: Double
        public var burst: Int
        public var concurrency: Int

        public init(ratePerSecond: Double, burst: Int, concurrency: Int) {
            self.ratePerSecond = ratePerSecond
            self.burst = burst
            self.concurrency = concurrency
        }
    }

    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private var buckets: [String: Bucket] = [:]

    public init() {}

    /// Waits for a token and a free slot; pair with `release(_:)`. `l` may change between
    /// calls (staff edit the settings); the bucket carries on from its current level.
    public func acquire(_ key: String, limits l: Limits) async {
        let now = ContinuousClock.now
        var bucket = buckets[key] ?? Bucket(tokens: Double(l.burst), updated: now)
        let elapsed = Double((now - bucket.updated).components.attoseconds) / 1e18 + Double((now - bucket.updated).components.seconds)
        bucket.tokens = min(Double(l.burst), bucket.tokens + elapsed * l.ratePerSecond) - 1
        bucket.updated = now
        let wait = bucket.tokens < 0 ? -bucket.tokens / l.ratePerSecond : 0
        buckets[key] = bucket
        if wait > 0 { try? await Task.sleep(for: .seconds(wait)) }
        while buckets[key]!.inFlight >= max(1, l.concurrency) {
            await withCheckedContinuation { buckets[key]!.waiters.append($0) }
        }
        buckets[key]!.inFlight += 1
    }

    public func release(_ key: String) {
        guard var bucket = buckets[key] else { return }
        bucket.inFlight = max(0, bucket.inFlight - 1)
        let next = bucket.waiters.isEmpty ? nil : bucket.waiters.removeFirst()
        buckets[key] = bucket
        next?.resume()
    }
}
