import FacetCore
import FacetHTTP
import FacetStore
import Foundation

/// The application's side of `/ws`: sessions decide who connects, `TopicPolicy` and the
/// ownership registry decide who listens to what, and the event log supplies replays.
struct RealtimeAccess: RealtimeBackend {
    let services: Services
    let originAllowed: @Sendable (HTTPRequest) -> Bool

    func authenticate(_ request: HTTPRequest) -> Result<RealtimePeer, APIError> {
        guard originAllowed(request) else { return .failure(.badOrigin) }
        guard let token = request.cookies[SessionCookie.name], let user = services.sessions.user(token: token) else {
            return .failure(.unauthorized)
        }
        return .success(RealtimePeer(id: user.id, context: user.viewer))
    }

    func refusal(_ peer: RealtimePeer, topic name: String) -> (code: String, message: String)? {
        guard let topic = Topic(name) else { return ("bad_topic", "Unknown topic \(name).") }
        guard let viewer = peer.context as? Viewer else { return ("forbidden", "Unknown peer.") }
        switch TopicPolicy.access(viewer, to: topic) {
        case .allowed:
            return nil
        case let .forbidden(message):
            return ("forbidden", message)
        case let .needsOwner(kind, id):
            guard let owner = try? services.ownership.owner(of: kind, id: id), owner == viewer.userId else {
                return ("forbidden", "You may only subscribe to your own topics.")
            }
            return nil
        }
    }

    func opened(_ peer: RealtimePeer) { services.presence.connected(peer.id) }
    func closed(_ peer: RealtimePeer) { services.presence.disconnected(peer.id) }

    func replay(topic: String, after since: Int64?) throws -> RealtimeReplay {
        switch try services.events.replay(topic: topic, after: since) {
        case let .events(events, current):
            return .events(events.map(RealtimeEvent.init), current: current)
        case let .resync(current):
            return .resync(current: current)
        }
    }
}

extension RealtimeEvent {
    init(_ stored: StoredEvent) {
        self.init(topic: stored.topic, seq: stored.seq, event: stored.event, data: stored.data, at: stored.at)
    }
}
