@testable import FacetSearch
import FacetSourcing
import FacetStore
import FacetVision
import Foundation
import Logging
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

final class IndexerSharingTests: XCTestCase {
    /// A brand import's photos go to the pool a few at a time on the background lane: a search that
    /// arrives while twelve photos wait is served after one small job, before the import is done.
    func testAnImportLetsASearchInAfterOneSmallJob() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("facet-indexer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let images = root.appendingPathComponent("images")
        let store = ImageStore(directory: images)
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../seeds/images/aurelia").standardized
        let photos = try FileManager.default.contentsOfDirectory(atPath: seeds.path).sorted().prefix(12)
        let files = try photos.map { try store.store([UInt8](Data(contentsOf: seeds.appendingPathComponent($0)))).fileName }
        let pool = ComputePool(threads: 1)
        defer { pool.stop() }
        let indexer = SearchIndexer(database: try FacetDatabase(dataDirectory: root), imagesDirectory: images,
                                    pipeline: VisionPipeline(), pool: pool, logger: Logger(label: "test"))
        let started = Date()
        let importing = Task {
            let analysed = try await indexer.analyse(files, background: true)
            return (analysed.count, Date().timeIntervalSince(started))
        }
        try await Task.sleep(for: .milliseconds(30))
        let searched = try await pool.run { Date().timeIntervalSince(started) }
        let (analysed, imported) = try await importing.value
        XCTAssertEqual(analysed, 12)
        // One job of all twelve would let the search in only at the end.
        XCTAssertLessThan(searched, imported * 0.75, "the search waited \(searched) s of the import's \(imported) s")
        XCTAssertLessThan(SearchIndexer.photosPerJob, 12)
    }
}
