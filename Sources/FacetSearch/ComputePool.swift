import Foundation

/// A fixed set of threads for CPU-bound work (decoding, features, index scans), so that
/// image analysis never occupies Swift's cooperative threads that serve HTTP handlers.
/// The queue is bounded: when full, `run` refuses at once instead of queueing forever.
public final class ComputePool: @unchecked Sendable {
    public struct Busy: Error {}

    // Guarded by `condition`. Background jobs (the sourcing index's photos) run only when no
    // search is waiting, so a refresh never queues ahead of a buyer.
    private var jobs: [@Sendable () -> Void] = []
    private var backgroundJobs: [@Sendable () -> Void] = []
    private var stopped = false
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

    public var queued: Int { condition.withLock { jobs.count } }

    /// Runs `body` on a pool thread and returns its result.
    public func run<T: Sendable>(background: Bool = false, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let accepted = condition.withLock { () -> Bool in
                guard !stopped, (background ? backgroundJobs.count : jobs.count) < capacity else { return false }
                let job: @Sendable () -> Void = { continuation.resume(with: Result { try body() }) }
                if background { backgroundJobs.append(job) } else { jobs.append(job) }
                condition.signal()
                return true
            }
            if !accepted { continuation.resume(throwing: Busy()) }
        }
    }

    public func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }

    private func work() {
        while true {
            let job: (@Sendable () -> Void)? = condition.withLock {
                while jobs.isEmpty && backgroundJobs.isEmpty && !stopped { condition.wait() }
                if !jobs.isEmpty { return jobs.removeFirst() }
                return backgroundJobs.isEmpty ? nil : backgroundJobs.removeFirst()
            }
            guard let job else { return }
            job()
        }
    }
}
