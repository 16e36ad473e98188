import FacetStore
import Foundation
import XCTest

final class EventLogTests: StoreTestCase {
    func testSequenceNumbersArePerTopicAndGapless() async throws {
        let log = EventLog(database: database)
        var seqs: [Int64] = []
        for i in 0..<5 { seqs.append(try await log.append(topic: "buyer:a", event: "notice", data: "{\"i\":\(i)}").seq) }
        let other = try await log.append(topic: "buyer:b", event: "notice", data: "{}")
        XCTAssertEqual(seqs, [1, 2, 3, 4, 5])
        XCTAssertEqual(other.seq, 1)
    }

    func testReplayReturnsExactlyTheMissedEventsInOrder() async throws {
        let log = EventLog(database: database)
        for i in 1...6 { _ = try await log.append(topic: "t:x", event: "e", data: "{\"n\":\(i)}") }
        guard case let .events(missed, current) = try log.replay(topic: "buyer:none", after: 0) else { return XCTFail() }
        XCTAssertEqual(missed, [])
        XCTAssertEqual(current, 0)
        guard case let .events(events, head) = try log.replay(topic: "t:x", after: 3) else { return XCTFail() }
        XCTAssertEqual(events.map(\.seq), [4, 5, 6])
        XCTAssertEqual(events.map(\.data), ["{\"n\":4}", "{\"n\":5}", "{\"n\":6}"])
        XCTAssertEqual(head, 6)
        guard case let .events(none, _) = try log.replay(topic: "t:x", after: nil) else { return XCTFail() }
        XCTAssertTrue(none.isEmpty, "no cursor means live events only")
    }

    func testCursorOlderThanRetentionOrAheadOfTheLogAsksForResync() async throws {
        let log = EventLog(database: database)
        let old = Date().addingTimeInterval(-90 * 86400)
        for _ in 1...3 { _ = try await log.append(topic: "t:y", event: "e", data: "{}", at: old) }
        _ = try await log.append(topic: "t:y", event: "e", data: "{}")
        let removed = try await log.prune(olderThan: 30 * 86400)
        XCTAssertEqual(removed, 3)
        XCTAssertEqual(try log.replay(topic: "t:y", after: 1), .resync(currentSeq: 4))
        guard case let .events(events, _) = try log.replay(topic: "t:y", after: 3) else { return XCTFail() }
        XCTAssertEqual(events.map(\.seq), [4])
        XCTAssertEqual(try log.replay(topic: "t:y", after: 9), .resync(currentSeq: 4))
        let next = try await log.append(topic: "t:y", event: "e", data: "{}")
        XCTAssertEqual(next.seq, 5, "sequence survives pruning")
    }
}
