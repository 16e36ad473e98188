@testable import FacetSearch
import Foundation
import XCTest

final class ComputePoolTests: XCTestCase {
    final class Order: @unchecked Sendable {
        let lock = NSLock()
        var names: [String] = []
        func add(_ n: String) { lock.withLock { names.append(n) } }
        var all: [String] { lock.withLock { names } }
    }

    /// The sourcing index's photos wait while a search needs the thread, whatever arrived first.
    func testBackgroundJobsRunOnlyWhenNoSearchIsWaiting() async throws {
        let pool = ComputePool(threads: 1)
        defer { pool.stop() }
        let order = Order()
        let gate = DispatchSemaphore(value: 0)
        let blocker = Task { try await pool.run { gate.wait(); order.add("blocker") } }
        while pool.queued > 0 { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(20))
        let background = Task { try await pool.run(background: true) { order.add("background") } }
        try await Task.sleep(for: .milliseconds(50))
        let search = Task { try await pool.run { order.add("search") } }
        while pool.queued == 0 { try await Task.sleep(for: .milliseconds(5)) }
        gate.signal()
        _ = try await (blocker.value, background.value, search.value)
        XCTAssertEqual(order.all, ["blocker", "search", "background"])
    }
}
