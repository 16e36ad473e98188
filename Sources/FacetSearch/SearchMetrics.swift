import Foundation
import Metrics

/// Stage timings of one search, recorded through swift-metrics as each stage ends, and the
/// whole run from the stored upload to done.
struct StageTimer {
    private var stage = "received"
    private var started = ContinuousClock.now

    /// Called on every publish; a stage ends when the next one is published.
    mutating func enter(_ next: String, createdAt: Date) {
        guard next != stage else { return }
        let now = ContinuousClock.now
        Self.record(stage: stage, now - started)
        stage = next
        started = now
        if next == "done" {
            Timer(label: "facet_search_total_seconds").recordSeconds(max(0, Date().timeIntervalSince(createdAt)))
        }
    }

    static func record(stage: String, _ elapsed: Duration) {
        let (seconds, attoseconds) = elapsed.components
        Timer(label: "facet_search_stage_seconds", dimensions: [("stage", stage)])
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

extension SearchService {
    /// Jobs waiting for a compute thread.
    public var queueDepth: Int { pool.queued }
}
