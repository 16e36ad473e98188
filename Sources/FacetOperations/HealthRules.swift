import Foundation
import GRDB

/// When a dashboard tile turns amber or red. Settings, so an operator can tune them.
public struct HealthThresholds: Sendable, Codable, Equatable {
    public var syncLagAmberSeconds = 15 * 60
    public var syncLagRedSeconds = 60 * 60
    public var syncErrorsAmber = 1
    public var syncErrorsRed = 10
    public var searchP95AmberSeconds = 5.0
    public var searchP95RedSeconds = 10.0
    public var queueAmber = 50
    public var queueRed = 200
    public var marketplaceSuccessAmber = 0.8
    public var marketplaceSuccessRed = 0.5
    public var backupAgeAmberHours = 26.0
    public var backupAgeRedHours = 72.0
    public init() {}
}

public enum TileState: String, Codable, Sendable, Comparable {
    case ok, amber, red
    public static func < (a: TileState, b: TileState) -> Bool { a.rank < b.rank }
    var rank: Int { self == .ok ? 0 : self == .amber ? 1 : 2 }

    /// Higher is worse: amber from `amber`, red from `red`.
    public static func rising(_ value: Double, amber: Double, red: Double) -> TileState {
        value >= red ? .red : value >= amber ? .amber : .ok
    }

    /// Lower is worse: amber below `amber`, red below `red`.
    public static func falling(_ value: Double, amber: Double, red: Double) -> TileState {
        value < red ? .red : value < amber ? .amber : .ok
    }
}

extension Operations {
    /// Searches in the last hour and their p95 from upload to done.
    public func searchActivity(now: Date = Date()) throws -> (lastHour: Int, p95Seconds: Double?) {
        try database.read { db in
            let since = now.addingTimeInterval(-3600)
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM search WHERE createdAt >= ?", arguments: [since]) ?? 0
            let durations = try Row.fetchAll(db, sql: "SELECT createdAt, completedAt FROM search WHERE createdAt >= ? AND completedAt IS NOT NULL",
                                             arguments: [since]).map { ($0["completedAt"] as Date).timeIntervalSince($0["createdAt"] as Date) }.sorted()
            guard !durations.isEmpty else { return (count, nil) }
            return (count, durations[min(durations.count - 1, Int((Double(durations.count) * 0.95).rounded(.up)) - 1)])
        }
    }
}
