import Foundation
import Synchronization

/// A fixed set of threads for CPU-bound work (decoding, features, index scans), so that
/// image analysis never occupies Swift's cooperative threads that serve HTTP handlers.
/// The queue is bounded: when full, `run` refuses at once instead of queueing forever.
public final class ComputePool: Sendable {
    public struct Busy: Error {}

    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var stopped = false
    }

    private let state = Mutex(State())
    private let condition = NSCondition()
    public let threads: Int
    public let capacity: Int

    public init(threads: Int, capacity: Int = 512) {
        self.threads = max(1, threads)
        self.capacity = capacity
        for i in 0..<self.threads {
            let thread = Thread { [self] in work() }
            thread.name = "facet-compute-\(i)"
            thread.start()
        }
    }

    public var queued: Int { state.withLock { $0.jobs.count } }

    /// Runs `body` on a pool thread and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let accepted = state.withLock { s -> Bool in
                guard !s.stopped, s.jobs.count < capacity else { return false }
                s.jobs.append { continuation.resume(with: Result { try body() }) }
                return true
            }
            if accepted {
                condition.lock(); condition.signal(); condition.unlock()
            } else {
                continuation.resume(throwing: Busy())
            }
        }
    }

    public func stop() {
        state.withLock { $0.stopped = true }
        condition.lock(); condition.broadcast(); condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            var job: (@Sendable () -> Void)?
            while true {
                let (next, stopped) = state.withLock { s -> ((@Sendable () -> Void)?, Bool) in
                    s.jobs.isEmpty ? (nil, s.stopped) : (s.jobs.removeFirst(), false)
                }
                if let next { job = next; break }
                if stopped { condition.unlock(); return }
                condition.wait()
            }
            condition.unlock()
            job?()
        }
    }
}
