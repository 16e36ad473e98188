import Foundation

/// One event as the transport fans it out: already serialised, with its topic's sequence number.
public struct RealtimeEvent: Sendable {
    public let topic: String
    public let seq: Int64
    public let event: String
    /// The event's data as JSON text, spliced into the frame as it is.
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

/// Who is on the other end of a WebSocket, as the application identified them at upgrade.
public struct RealtimePeer: Sendable {
    public let id: String
    /// The application's own description of the peer (its viewer), handed back on each decision.
    public let context: any Sendable

    public init(id: String, context: any Sendable) {
        self.id = id
        self.context = context
    }
}

public enum RealtimeReplay: Sendable {
    /// The events after the cursor, oldest first, and the topic's current sequence number.
    case events([RealtimeEvent], current: Int64)
    /// The cursor is older than what is kept (or ahead of the log): the client must reload.
    case resync(current: Int64)
}

/// The application side of `/ws`: who may connect, who may listen to what, and the history
/// to replay. The transport owns sockets, queues and fan-out; it decides nothing itself.
public protocol RealtimeBackend: Sendable {
    func authenticate(_ request: HTTPRequest) -> Result<RealtimePeer, APIError>
    /// nil when the peer may subscribe; otherwise the error code and message to send.
    func refusal(_ peer: RealtimePeer, topic: String) -> (code: String, message: String)?
    func replay(topic: String, after since: Int64?) throws -> RealtimeReplay
    /// A socket of this peer opened or closed (the application may track who is present).
    func opened(_ peer: RealtimePeer)
    func closed(_ peer: RealtimePeer)
}

extension RealtimeBackend {
    public func opened(_ peer: RealtimePeer) {}
    public func closed(_ peer: RealtimePeer) {}
}
