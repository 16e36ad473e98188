import Foundation

/// Subscriptions and per-connection send queues. Lives on the libwebsockets service
/// thread and is touched nowhere else, so it needs no locks.
final class Hub {
    final class Connection {
        let id: UInt64
        let wsi: OpaquePointer
        let peer: RealtimePeer
        /// Last sequence number delivered per subscribed topic: the duplicate filter.
        var subscriptions: [String: Int64] = [:]
        var queue: [Frame] = []
        var head = 0
        var inbound: [UInt8] = []
        var closeCode: (code: Int32, reason: String)?

        init(id: UInt64, wsi: OpaquePointer, peer: RealtimePeer) {
            self.id = id
            self.wsi = wsi
            self.peer = peer
        }

        var pending: Int { queue.count - head }

        func next() -> Frame? { head < queue.count ? queue[head] : nil }

        func pop() {
            head += 1
            if head == queue.count { queue.removeAll(keepingCapacity: true); head = 0 }
            else if head > 64 && head * 2 > queue.count { queue.removeFirst(head); head = 0 }
        }
    }

    private(set) var connections: [UInt64: Connection] = [:]
    private var topics: [String: Set<UInt64>] = [:]
    private let backend: (any RealtimeBackend)?
    private let maxQueued: Int
    private let maxSubscriptions = 200
    /// Asks lws for a writeable callback on a connection.
    private let requestWrite: (OpaquePointer) -> Void
    /// Closes a connection within a short grace even if its socket never becomes writable again
    /// (a peer that stopped reading cannot be sent the close frame).
    private let closeSoon: (OpaquePointer) -> Void

    init(backend: (any RealtimeBackend)?, maxQueued: Int, requestWrite: @escaping (OpaquePointer) -> Void,
         closeSoon: @escaping (OpaquePointer) -> Void = { _ in }) {
        self.backend = backend
        self.maxQueued = maxQueued
        self.requestWrite = requestWrite
        self.closeSoon = closeSoon
    }

    func open(id: UInt64, wsi: OpaquePointer, peer: RealtimePeer) {
        connections[id] = Connection(id: id, wsi: wsi, peer: peer)
        backend?.opened(peer)
    }

    func close(id: UInt64) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        backend?.closed(connection.peer)
        for topic in connection.subscriptions.keys {
            topics[topic]?.remove(id)
            if topics[topic]?.isEmpty == true { topics.removeValue(forKey: topic) }
        }
    }

    /// Tells every client the server is going away (1001) so it reconnects rather than
    /// treating the drop as an error.
    func closeAll(code: Int32, reason: String) {
        for connection in connections.values where connection.closeCode == nil {
            connection.closeCode = (code, reason)
            requestWrite(connection.wsi)
        }
    }

    func receive(_ message: ClientMessage, on connection: Connection) {
        switch message {
        case .ping:
            send(Frame(WireMessage.pong), to: connection)
        case let .unsubscribe(name):
            connection.subscriptions.removeValue(forKey: name)
            topics[name]?.remove(connection.id)
            send(Frame(WireMessage.unsubscribed(topic: name)), to: connection)
        case let .subscribe(name, since):
            subscribe(connection, to: name, since: since)
        }
    }

    private func subscribe(_ connection: Connection, to name: String, since: Int64?) {
        guard let backend else {
            return send(Frame(WireMessage.error(code: "bad_topic", message: "Unknown topic \(name).", topic: name)), to: connection)
        }
        if connection.subscriptions[name] == nil, connection.subscriptions.count >= maxSubscriptions {
            return send(Frame(WireMessage.error(code: "too_many_subscriptions",
                                                message: "At most \(maxSubscriptions) topics per connection.", topic: name)), to: connection)
        }
        if let (code, message) = backend.refusal(connection.peer, topic: name) {
            return send(Frame(WireMessage.error(code: code, message: message, topic: name)), to: connection)
        }
        let replay: RealtimeReplay
        do {
            replay = try backend.replay(topic: name, after: since)
        } catch {
            return send(Frame(WireMessage.error(code: "internal", message: "Could not read the event history.", topic: name)), to: connection)
        }
        topics[name, default: []].insert(connection.id)
        switch replay {
        case let .events(missed, current):
            connection.subscriptions[name] = since ?? current
            send(Frame(WireMessage.subscribed(topic: name, seq: current)), to: connection)
            for event in missed { deliver(event, frame: Frame(WireMessage.event(event)), to: connection) }
        case let .resync(current):
            connection.subscriptions[name] = current
            send(Frame(WireMessage.subscribed(topic: name, seq: current)), to: connection)
            send(Frame(WireMessage.resync(topic: name, seq: current)), to: connection)
        }
    }

    func publish(_ event: RealtimeEvent) {
        guard let subscribers = topics[event.topic], !subscribers.isEmpty else { return }
        let frame = Frame(WireMessage.event(event))
        for id in subscribers {
            if let connection = connections[id] { deliver(event, frame: frame, to: connection) }
        }
    }

    private func deliver(_ event: RealtimeEvent, frame: Frame, to connection: Connection) {
        guard let last = connection.subscriptions[event.topic], event.seq > last else { return }
        connection.subscriptions[event.topic] = event.seq
        send(frame, to: connection)
    }

    func send(_ frame: Frame, to connection: Connection) {
        guard connection.closeCode == nil else { return }
        if connection.pending >= maxQueued {
            // A consumer this far behind is cut rather than allowed to hold memory or slow others.
            connection.queue.removeAll()
            connection.head = 0
            connection.closeCode = (1008, "too slow")
            closeSoon(connection.wsi)
        } else {
            connection.queue.append(frame)
        }
        requestWrite(connection.wsi)
    }
}
