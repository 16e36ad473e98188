import FacetSearch
import XCTest

/// After a burst of work the idle pool hands freed memory back, once per burst, and a few
/// jobs do not count as a burst.
final class ComputePoolTests: XCTestCase {
    func testMemoryIsGivenBackOnceWhenABurstEnds() async throws {
        let pool = ComputePool(threads: 2)
        defer { pool.stop() }
        for _ in 0..<3 { _ = try await pool.run { [UInt8](repeating: 1, count: 1 << 20).count } }
        XCTAssertEqual(pool.memoryGivenBack, 0, "three jobs are not a burst")

        let sizes = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<40 { group.addTask { try await pool.run { [UInt8](repeating: UInt8(i), count: 4 << 20).count } } }
            return try await group.reduce(0, +)
        }
        XCTAssertEqual(sizes, 40 * (4 << 20))
        // The last job's thread trims after answering; give it a moment.
        for _ in 0..<50 where pool.memoryGivenBack == 0 { try await Task.sleep(for: .milliseconds(20)) }
        XCTAssertGreaterThanOrEqual(pool.memoryGivenBack, 1)
        XCTAssertLessThanOrEqual(pool.memoryGivenBack, 3, "idle moments inside the burst may trim, not every job")
        let answer = try await pool.run { 42 }
        XCTAssertEqual(answer, 42, "the pool works on after trimming")
    }
}
