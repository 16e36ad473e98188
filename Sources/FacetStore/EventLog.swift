import FacetCore
import Foundation
import GRDB

public struct StoredEvent: Sendable, Equatable {
    public let topic: String
    public let seq: Int64
    public let event: String
    /// The event's payload as JSON text, stored and pushed verbatim.
    public let data: String
    public let at: Date

    public init(topic: String, seq: Int64, event: String, data: String, at: Date) {
        self.topic = topic
        self.seq = seq
        self.event = event
        self.data = data
        self.at = at
    }
}

/// Append-only log of everything pushed to clients. An event is written here, with
/// the next sequence number of its topic, before anyone is told about it; that is
/// what makes `since` replay lossless.
public struct EventLog: Sendable {
    let database: FacetDatabase

    public init(database: FacetDatabase) { self.database = database }

    public func append(topic: String, event: String, data: String, at: Date = Date()) async throws -> StoredEvent {
        try await database.writer.write { db in try Self.append(db, topic: topic, event: event, data: data, at: at) }
    }

    /// For callers already inside a write transaction (a state change and its event commit together).
    public static func append(_ db: Database, topic: String, event: String, data: String, at: Date) throws -> StoredEvent {
        let last = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM event WHERE topic = ?", arguments: [topic]) ?? 0
        let stored = StoredEvent(topic: topic, seq: last + 1, event: event, data: data, at: at)
        try db.execute(sql: "INSERT INTO event (topic, seq, event, data, at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [topic, stored.seq, event, data, at])
        return stored
    }

    public enum Replay: Equatable, Sendable {
        case events([StoredEvent], currentSeq: Int64)
        /// The client's cursor is older than what is retained.
        case resync(currentSeq: Int64)
    }

    /// Synchronous because the realtime hub answers a subscribe on its own thread; it
    /// is one indexed range read.
    public func replay(topic: String, after since: Int64?, limit: Int = 1000) throws -> Replay {
        try database.read { db in
            let bounds = try Row.fetchOne(db, sql: "SELECT min(seq) AS lo, max(seq) AS hi FROM event WHERE topic = ?",
                                          arguments: [topic])
            let lo: Int64? = bounds?["lo"]
            let current: Int64 = bounds?["hi"] ?? 0
            guard let since else { return .events([], currentSeq: current) }
            // A cursor ahead of the log means the client saw another database: start over.
            if since > current { return .resync(currentSeq: current) }
            if since == current { return .events([], currentSeq: current) }
            if let lo, since < lo - 1 { return .resync(currentSeq: current) }
            if current - since > Int64(limit) { return .resync(currentSeq: current) }
            let rows = try Row.fetchAll(db, sql: """
                SELECT topic, seq, event, data, at FROM event WHERE topic = ? AND seq > ? ORDER BY seq LIMIT ?
                """, arguments: [topic, since, limit])
            return .events(rows.map(Self.stored), currentSeq: current)
        }
    }

    public func recent(topic: String, event: String, limit: Int) async throws -> [StoredEvent] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT topic, seq, event, data, at FROM event WHERE topic = ? AND event = ? ORDER BY seq DESC LIMIT ?
                """, arguments: [topic, event, limit]).map(Self.stored)
        }
    }

    /// Drops events older than `age`, always keeping each topic's newest event so its
    /// sequence never restarts.
    public func prune(olderThan age: TimeInterval, now: Date = Date()) async throws -> Int {
        try await database.writer.write { db in
            try db.execute(sql: """
                DELETE FROM event WHERE at < ? AND seq < (SELECT max(seq) FROM event e WHERE e.topic = event.topic)
                """, arguments: [now.addingTimeInterval(-age)])
            return db.changesCount
        }
    }

    private static func stored(_ row: Row) -> StoredEvent {
        StoredEvent(topic: row["topic"], seq: row["seq"], event: row["event"], data: row["data"], at: row["at"])
    }
}
