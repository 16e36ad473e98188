import CImageCodecs
import Foundation

/// A bound on the pixels being decoded at once across the process: a decode waits until its
/// buffer fits under the budget. One image larger than the whole budget still runs, alone.
public final class DecodeBudget: @unchecked Sendable {
    /// 64 MP of RGBA is 256 MB: two of the largest uploads at full size, or dozens reduced.
    public static let shared = DecodeBudget(pixels: 64_000_000)

    public let capacity: Int
    private let condition = NSCondition()
    private var inUse = 0

    public init(pixels: Int) { capacity = max(1, pixels) }

    public var pixelsInUse: Int { condition.withLock { inUse } }

    public func withPixels<T>(_ pixels: Int, _ body: () throws -> T) rethrows -> T {
        let cost = min(max(pixels, 1), capacity)
        condition.lock()
        while inUse + cost > capacity { condition.wait() }
        inUse += cost
        condition.unlock()
        defer {
            condition.lock()
            inUse -= cost
            condition.broadcast()
            condition.unlock()
        }
        return try body()
    }
}

/// glibc keeps freed heap pages in its per-thread arenas; after a burst of large decodes the
/// process would hold them for good. Returning them is cheap when nothing is decoding.
public enum MemoryRelief {
    private static let last = NSLock()
    nonisolated(unsafe) private static var lastTrim = Date.distantPast

    /// Gives free heap memory back to the system, at most once per `interval` seconds.
    public static func trim(interval: TimeInterval = 1) {
        last.lock()
        let now = Date()
        guard now.timeIntervalSince(lastTrim) >= interval else { last.unlock(); return }
        lastTrim = now
        last.unlock()
        facet_release_free_memory()
    }
}
