import Foundation

#if os(Linux)
/// glibc's `malloc_trim` (malloc.h, which the Glibc module does not export).
@_silgen_name("malloc_trim") private func mallocTrim(_ pad: Int) -> Int32
#endif

/// A fixed set of threads for CPU-bound work (decoding, features, index scans), so that
/// image analysis never occupies Swift's cooperative threads that serve HTTP handlers.
/// The queue is bounded: when full, `run` refuses at once instead of queueing forever.
public final class ComputePool: @unchecked Sendable {
    public struct Busy: Error {}

    // Guarded by `condition`.
    private var jobs: [@Sendable () -> Void] = []
    private var stopped = false
    private var running = 0
    private var doneSinceTrim = 0
    private var trimmed = 0
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
    /// How many bursts ended with memory handed back (for tests and metrics).
    public var memoryGivenBack: Int { condition.withLock { trimmed } }

    /// Runs `body` on a pool thread and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let accepted = condition.withLock { () -> Bool in
                guard !stopped, jobs.count < capacity else { return false }
                jobs.append { continuation.resume(with: Result { try body() }) }
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
                while jobs.isEmpty && !stopped { condition.wait() }
                if jobs.isEmpty { return nil }
                running += 1
                return jobs.removeFirst()
            }
            guard let job else { return }
            job()
            let burstEnded = condition.withLock { () -> Bool in
                running -= 1
                doneSinceTrim += 1
                guard jobs.isEmpty, running == 0, doneSinceTrim >= Self.burst else { return false }
                doneSinceTrim = 0
                trimmed += 1
                return true
            }
            if burstEnded { Self.giveBackMemory() }
        }
    }

    /// Jobs after which an idle pool hands freed memory back to the system.
    static let burst = 16

    /// A burst of decodes leaves glibc's arenas holding hundreds of megabytes of freed pixel
    /// buffers; once the pool is idle they go back to the system.
    static func giveBackMemory() {
        #if os(Linux)
        _ = mallocTrim(0)
        #endif
    }
}
