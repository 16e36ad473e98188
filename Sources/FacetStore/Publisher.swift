import FacetCore
import Foundation
import GRDB
import Synchronization

/// Publishes events: each is appended to the event log first, then handed to the
/// realtime hub. The lock keeps hand-over order equal to sequence order per topic,
/// which the hub's duplicate filter relies on.
public final class Publisher: Sendable {
    private let database: FacetDatabase
    private let order = Mutex<Void>(())
    private let deliver: @Sendable (StoredEvent) -> Void

    public init(database: FacetDatabase, deliver: @escaping @Sendable (StoredEvent) -> Void) {
        self.database = database
        self.deliver = deliver
    }

    @discardableResult
    public func publish<T: Encodable>(topic: String, event: String, data: T) throws -> StoredEvent {
        let pending = try PendingEvent(topic: topic, event: event, data: data)
        return try transaction { _, events in events = [pending] }[0]
    }

    /// A state change and the events announcing it commit in one transaction, and the
    /// events go out only once it has committed.
    /// Returns the stored events in the order they were added.
    @discardableResult
    public func transaction(_ body: (Database, inout [PendingEvent]) throws -> Void) throws -> [StoredEvent] {
        try order.withLock { _ in
            let stored = try database.writer.write { db -> [StoredEvent] in
                var pending: [PendingEvent] = []
                try body(db, &pending)
                let now = Date()
                return try pending.map { try EventLog.append(db, topic: $0.topic, event: $0.event, data: $0.json, at: now) }
            }
            stored.forEach(deliver)
            return stored
        }
    }
}

extension Publisher {
    /// `transaction` for a change that hands back what it made.
    public func commit<T>(_ body: (Database, inout [PendingEvent]) throws -> T) throws -> T {
        var result: T?
        try transaction { db, events in result = try body(db, &events) }
        guard let result else { throw DomainError(.unavailable, code: "internal", "The change was not stored.") }
        return result
    }
}

public struct PendingEvent: Sendable {
    public let topic: String
    public let event: String
    public let json: String

    public init<T: Encodable>(topic: String, event: String, data: T) throws {
        self.topic = topic
        self.event = event
        self.json = String(decoding: try JSONCoding.encoder.encode(data), as: UTF8.self)
    }
}
