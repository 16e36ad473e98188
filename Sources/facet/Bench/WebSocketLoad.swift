import CLibWebSockets
import Foundation

/// N WebSocket clients on one lws client context: each connects with a session
/// cookie, subscribes to one topic and records, for every event, its delivery
/// latency and whether its sequence number is new.
final class WebSocketLoad {
    struct Client {
        var topic: Int
        var cookie: Int
        var subscribed = false
        var sentSubscribe = false
        var lastSeq: Int64 = 0
        var received = 0
        var duplicates = 0
        var wsi: OpaquePointer?
    }

    let host: String
    let port: Int
    let topics: [String]
    let cookies: [String]
    var clients: [Client]
    var latenciesNanos: [UInt64] = []
    var connecting = 0
    var nextToConnect = 0
    var established = 0
    var subscribedCount = 0
    var failures = 0
    var closedAfterOpen = 0
    private var context: OpaquePointer?
    private var subscribeFrames: [[UInt8]] = []

    init(host: String, port: Int, connections: Int, topics: [String], cookies: [String]) {
        self.host = host
        self.port = port
        self.topics = topics
        self.cookies = cookies
        clients = (0..<connections).map { Client(topic: $0 % topics.count, cookie: $0 % cookies.count) }
        subscribeFrames = topics.map { Array(#"{"type":"subscribe","topic":"\#($0)"}"#.utf8) }
        latenciesNanos.reserveCapacity(1 << 20)
    }

    func start() throws {
        var info = lws_context_creation_info()
        info.port = CONTEXT_PORT_NO_LISTEN
        info.protocols = UnsafePointer(Self.protocols)
        info.user = Unmanaged.passUnretained(self).toOpaque()
        info.fd_limit_per_thread = 0
        info.timeout_secs = 30
        lws_set_log_level(Int32(LLL_ERR), nil)
        guard let context = lws_create_context(&info) else { throw ValidationErrorText("cannot create the client context") }
        self.context = context
    }

    /// Services the loop for `seconds`, opening connections in waves so the server's
    /// accept queue is not flooded.
    func service(for seconds: Double, until done: () -> Bool = { false }) {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, !done() {
            while connecting < 200, nextToConnect < clients.count { connect(nextToConnect); nextToConnect += 1 }
            lws_service(context, 0)
        }
    }

    func stop() {
        if let context { lws_context_destroy(context) }
        context = nil
    }

    private func connect(_ index: Int) {
        var info = lws_client_connect_info()
        info.context = context
        info.address = keep(host)
        info.port = Int32(port)
        info.path = keep("/ws")
        info.host = keep("\(host):\(port)")
        // lws prefixes "http://" itself.
        info.origin = keep("\(host):\(port)")
        info.local_protocol_name = keep("facet-bench")
        info.opaque_user_data = UnsafeMutableRawPointer(bitPattern: index + 1)
        connecting += 1
        if lws_client_connect_via_info(&info) == nil {
            connecting -= 1
            failures += 1
        }
    }

    private var kept: [String: UnsafePointer<CChar>] = [:]
    private func keep(_ s: String) -> UnsafePointer<CChar> {
        if let existing = kept[s] { return existing }
        let pointer = UnsafePointer(strdup(s)!)
        kept[s] = pointer
        return pointer
    }

    fileprivate func callback(_ wsi: OpaquePointer, _ reason: lws_callback_reasons, _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        guard let tag = lws_get_opaque_user_data(wsi) else { return 0 }
        let index = Int(bitPattern: tag) - 1
        switch reason {
        case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
            guard let input else { return 0 }
            let cursor = input.assumingMemoryBound(to: UnsafeMutablePointer<CChar>.self)
            let header = "Cookie: \(cookies[clients[index].cookie])\r\n"
            guard header.utf8.count < length else { return -1 }
            header.withCString { strcpy(cursor.pointee, $0) }
            cursor.pointee += header.utf8.count
        case LWS_CALLBACK_CLIENT_ESTABLISHED:
            connecting -= 1
            established += 1
            clients[index].wsi = wsi
            lws_callback_on_writable(wsi)
        case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
            connecting -= 1
            failures += 1
            if failures <= 3 {
                let why = input.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) } ?? "unknown"
                FileHandle.standardError.write(Data("connection \(index) failed: \(why)\n".utf8))
            }
        case LWS_CALLBACK_CLIENT_WRITEABLE:
            guard !clients[index].sentSubscribe else { return 0 }
            clients[index].sentSubscribe = true
            var frame = [UInt8](repeating: 0, count: Int(facet_lws_pre)) + subscribeFrames[clients[index].topic]
            let count = frame.count - Int(facet_lws_pre)
            let n = frame.withUnsafeMutableBufferPointer { lws_write(wsi, $0.baseAddress! + Int(facet_lws_pre), count, LWS_WRITE_TEXT) }
            if n < count { return -1 }
        case LWS_CALLBACK_CLIENT_RECEIVE:
            guard let input else { return 0 }
            receive(index, UnsafeRawBufferPointer(start: input, count: length))
        case LWS_CALLBACK_CLIENT_CLOSED:
            if clients[index].wsi != nil { closedAfterOpen += 1 }
            clients[index].wsi = nil
        default:
            break
        }
        return 0
    }

    /// Reads just the fields the benchmark needs from the server's fixed layout,
    /// so the client's own parsing does not dominate the measurement.
    private func receive(_ index: Int, _ bytes: UnsafeRawBufferPointer) {
        let now = DispatchTime.now().uptimeNanoseconds
        if bytes.starts(with: Array(#"{"type":"subscribed""#.utf8)) {
            if !clients[index].subscribed { clients[index].subscribed = true; subscribedCount += 1 }
            return
        }
        guard bytes.starts(with: Array(#"{"type":"event""#.utf8)),
              let seq = Self.integer(after: Array(#""seq":"#.utf8), in: bytes),
              let sent = Self.integer(after: Array(#""title":"bench "#.utf8), in: bytes) else { return }
        if seq <= clients[index].lastSeq {
            clients[index].duplicates += 1
            return
        }
        clients[index].lastSeq = seq
        clients[index].received += 1
        if now > UInt64(sent) { latenciesNanos.append(now - UInt64(sent)) } else { latenciesNanos.append(0) }
    }

    static func integer(after marker: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes.count > marker.count else { return nil }
        var i = 0
        while i + marker.count <= bytes.count {
            if bytes[i] == marker[0], zip(marker.indices, marker).allSatisfy({ bytes[i + $0] == $1 }) {
                var j = i + marker.count
                var value: Int64 = 0
                var digits = 0
                while j < bytes.count, bytes[j] >= 48, bytes[j] <= 57 {
                    value = value * 10 + Int64(bytes[j] - 48)
                    j += 1
                    digits += 1
                }
                return digits > 0 ? value : nil
            }
            i += 1
        }
        return nil
    }

    nonisolated(unsafe) private static let protocols: UnsafeMutablePointer<lws_protocols> = {
        let list = UnsafeMutablePointer<lws_protocols>.allocate(capacity: 2)
        list.initialize(repeating: lws_protocols(), count: 2)
        list[0].name = UnsafePointer(strdup("facet-bench")!)
        list[0].callback = benchCallback
        list[0].rx_buffer_size = 4096
        return list
    }()
}

struct ValidationErrorText: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

private func benchCallback(_ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
                           _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
    guard let wsi, let context = lws_get_context(wsi), let raw = lws_context_user(context) else { return 0 }
    return Unmanaged<WebSocketLoad>.fromOpaque(raw).takeUnretainedValue().callback(wsi, reason, input, length)
}
