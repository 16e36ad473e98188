import CLibWebSockets
import FacetCore
import Foundation
import Logging
import Synchronization

/// libwebsockets on one service thread. It only does I/O: requests are handed to
/// Swift concurrency and their responses come back through `ServiceOutbox`.
public final class LWSServer: @unchecked Sendable {
    // Everything below `context` is touched only on the service thread, except the
    // Sendable members (outbox, counters, stop flag).
    private var context: OpaquePointer?
    let configuration: TransportConfiguration
    let responder: any HTTPResponder
    let realtime: (any RealtimeBackend)?
    let logger: Logger
    let accessLog: Logger
    private let outbox: ServiceOutbox
    private let hub: Hub
    private var exchanges: [UInt64: HTTPExchange] = [:]
    private var wsiByConnection: [UInt64: OpaquePointer] = [:]
    private var nextConnection: UInt64 = 0
    private var nextSerial: UInt64 = 0
    private let stopping = Atomic<Bool>(false)
    private let inFlight = Atomic<Int>(0)
    private let webSockets = Atomic<Int>(0)
    public var webSocketCount: Int { webSockets.load(ordering: .relaxed) }
    private let finished = Mutex<Bool>(false)
    private let finishedCondition = NSCondition()
    public private(set) var boundPort: Int = 0

    /// `realtime` nil serves HTTP only (the simulators); upgrades to /ws are then refused.
    public init(configuration: TransportConfiguration, responder: any HTTPResponder, realtime: (any RealtimeBackend)?, logger: Logger) {
        self.configuration = configuration
        self.responder = responder
        self.realtime = realtime
        self.logger = logger
        var access = Logger(label: "facet.access")
        access.logLevel = logger.logLevel
        self.accessLog = access
        let live = LiveContext()
        self.liveContext = live
        self.outbox = ServiceOutbox { live.wake() }
        self.hub = Hub(backend: realtime, maxQueued: configuration.maxQueuedFramesPerConnection,
                       requestWrite: { lws_callback_on_writable($0) },
                       closeSoon: { lws_set_timeout($0, PENDING_TIMEOUT_CLOSE_SEND, 2) })
    }

    /// Hands an event to the subscribers of its topic; callable from any thread.
    public func publish(_ event: RealtimeEvent) { outbox.post(.event(event)) }

    /// Wakes the service loop; the one lws call that is safe from any thread.
    private func wake() { liveContext.wake() }

    /// The context as other threads may see it: cleared before the final destroy, so a
    /// wake-up never reaches a freed context.
    private let liveContext: LiveContext

    // MARK: lifecycle

    public func start() throws {
        TrapReport.install()
        lws_set_log_level(Int32(LLL_ERR) | Int32(LLL_WARN), nil)
        var info = lws_context_creation_info()
        info.port = Int32(configuration.port)
        info.iface = CStrings.keep(configuration.host)
        info.protocols = UnsafePointer(Self.protocols)
        info.mounts = Self.mounts(webRoot: configuration.webRoot?.path, extra: configuration.responderPaths)
        info.headers = Self.securityHeaders()
        info.user = Unmanaged.passUnretained(self).toOpaque()
        info.retry_and_idle_policy = UnsafePointer(Self.keepalive)
        info.timeout_secs = 30
        info.keepalive_timeout = 60
        info.vhost_name = CStrings.keep("facet")
        info.options = UInt64(LWS_SERVER_OPTION_VALIDATE_UTF8) | UInt64(LWS_SERVER_OPTION_DISABLE_IPV6)
        if configuration.eventLoop == .libev {
            // epoll through libev: wake-ups cost O(ready sockets) instead of poll()'s O(all sockets).
            info.options |= UInt64(LWS_SERVER_OPTION_LIBEV)
            // lws dlopens its libev plugin and unloads it at context destroy, but libev leaves
            // thread-exit hooks behind that would then point into unmapped code: pin both.
            for library in ["libev.so.4", "libwebsockets-evlib_ev.so"] {
                _ = dlopen(library, RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE)
            }
            info.signal_cb = eventLibSignal
            // libev lets one loop per process watch a signal, so one libev server per process.
            LWSServer.signalTargets.withLock { $0.append(self) }
        }
        if let cert = configuration.tlsCertificate, let key = configuration.tlsPrivateKey {
            info.options |= UInt64(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT)
            info.ssl_cert_filepath = CStrings.keep(cert)
            info.ssl_private_key_filepath = CStrings.keep(key)
        }
        guard let context = lws_create_context(&info) else {
            throw ServerError.startFailed("libwebsockets could not listen on \(configuration.host):\(configuration.port) (in use, or TLS files unreadable)")
        }
        self.context = context
        liveContext.address.withLock { $0 = Int(bitPattern: context) }
        boundPort = configuration.port
        let thread = Thread { [self] in serviceLoop() }
        thread.name = "lws-service"
        thread.stackSize = 4 << 20
        thread.start()
    }

    private func serviceLoop() {
        if configuration.eventLoop == .libev {
            // lws_service runs the event loop until the first stage of lws_context_destroy.
            while lws_service(context, 0) == 0 {}
        } else {
            pollLoop()
        }
        liveContext.address.withLock { $0 = 0 }
        lws_context_destroy(context)
        context = nil
        finishedCondition.lock()
        finished.withLock { $0 = true }
        finishedCondition.broadcast()
        finishedCondition.unlock()
    }

    /// Drain state shared by both loops: whether everything in flight has been written.
    private var drainDeadline: ContinuousClock.Instant?

    private func drainFinished() -> Bool {
        if drainDeadline == nil {
            hub.closeAll(code: 1001, reason: "server restarting")
            drainDeadline = ContinuousClock.now + .seconds(5)
        }
        let idle = inFlight.load(ordering: .acquiring) == 0
            && exchanges.values.allSatisfy { $0.phase == .done || $0.phase == .readingBody }
            && hub.connections.isEmpty
        if idle || killedStragglers { return true }
        if ContinuousClock.now > drainDeadline! {
            // Peers that never answered the close handshake are cut now rather than at lws's timeout.
            for wsi in wsiByConnection.values { lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC) }
            killedStragglers = true
        }
        return false
    }

    private var killedStragglers = false

    private func pollLoop() {
        while true {
            if stopping.load(ordering: .acquiring), drainFinished() { break }
            if lws_service(context, 0) < 0 { break }
        }
    }

    /// Event-loop mode: lws_service only returns once lws_context_destroy's first stage
    /// has run, and that must happen from the loop's signal callback, as in lws's own
    /// examples. When the drain is done we raise SIGINT at ourselves to get there.
    private var destroyRequested = false

    fileprivate func eventLibSignalled() {
        logger.debug("event loop signalled", metadata: ["destroy": "\(destroyRequested)"])
        if destroyRequested {
            liveContext.address.withLock { $0 = 0 }
            lws_context_destroy(context)
        } else {
            stop()
        }
    }

    private func checkEventLibDrain() {
        guard configuration.eventLoop == .libev, stopping.load(ordering: .acquiring), !destroyRequested else { return }
        if drainFinished() {
            destroyRequested = true
            logger.debug("drain finished; ending the event loop")
            kill(getpid(), SIGINT)
        }
    }

    /// Servers on an event library, told about SIGINT/SIGTERM that the library catches.
    fileprivate static let signalTargets = Mutex<[LWSServer]>([])

    /// Stops accepting work, lets in-flight responses finish (up to 5 s), then closes.
    public func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return wake() }
        wake()
        if configuration.eventLoop == .libev {
            // The event loop re-checks the drain on each wake-up; keep waking it until done.
            Thread.detachNewThread { [self] in
                while !finished.withLock({ $0 }) {
                    wake()
                    usleep(50_000)
                }
            }
        }
    }

    public func waitUntilStopped() {
        finishedCondition.lock()
        while !finished.withLock({ $0 }) { finishedCondition.wait() }
        finishedCondition.unlock()
    }

    // MARK: callback dispatch (service thread)

    fileprivate func callback(_ wsi: OpaquePointer, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
                              _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        switch reason {
        case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
            drainOutbox()
            checkEventLibDrain()
            return 0
        case LWS_CALLBACK_HTTP:
            return httpRequest(wsi)
        case LWS_CALLBACK_HTTP_BODY:
            return httpBody(wsi, input, length)
        case LWS_CALLBACK_HTTP_BODY_COMPLETION:
            return httpBodyComplete(wsi)
        case LWS_CALLBACK_HTTP_WRITEABLE:
            return httpWriteable(wsi)
        case LWS_CALLBACK_CLOSED_HTTP, LWS_CALLBACK_CLOSED, LWS_CALLBACK_WSI_DESTROY:
            forget(wsi)
            return 0
        case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
            return webSocketConfirm(wsi)
        case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
            return webSocketFilter(wsi)
        case LWS_CALLBACK_ESTABLISHED:
            return 0
        case LWS_CALLBACK_RECEIVE:
            return webSocketReceive(wsi, input, length)
        case LWS_CALLBACK_SERVER_WRITEABLE:
            return webSocketWriteable(wsi)
        default:
            return lws_callback_http_dummy(wsi, reason, user, input, length)
        }
    }

    /// Connections are known by an id so that nothing outside this thread holds a
    /// `wsi`. The map is keyed by the wsi itself: lws binds its per-session slot only
    /// after the WebSocket filter runs, so the slot cannot carry the id reliably.
    private var connectionByWsi: [OpaquePointer: UInt64] = [:]

    private func connectionID(_ wsi: OpaquePointer) -> UInt64 {
        if let id = connectionByWsi[wsi] { return id }
        nextConnection += 1
        connectionByWsi[wsi] = nextConnection
        wsiByConnection[nextConnection] = wsi
        return nextConnection
    }

    private func forget(_ wsi: OpaquePointer) {
        guard let id = connectionByWsi.removeValue(forKey: wsi) else { return }
        exchanges.removeValue(forKey: id)
        wsiByConnection.removeValue(forKey: id)
        if hub.connections[id] != nil {
            hub.close(id: id)
            webSockets.subtract(1, ordering: .relaxed)
        }
    }

    private func drainOutbox() {
        for command in outbox.drain() {
            switch command {
            case let .httpResponse(id, serial, response):
                inFlight.subtract(1, ordering: .releasing)
                guard let exchange = exchanges[id], exchange.serial == serial, let wsi = wsiByConnection[id] else { continue }
                exchange.response = response
                exchange.phase = .headers
                lws_callback_on_writable(wsi)
            case let .event(event):
                hub.publish(event)
            }
        }
    }

    // MARK: HTTP

    private func httpRequest(_ wsi: OpaquePointer) -> Int32 {
        let id = connectionID(wsi)
        guard let (method, path, wholePath) = LWSHeaders.requestLine(wsi) else { return -1 }
        nextSerial += 1
        let query = LWSHeaders.query(wsi)
        var request = HTTPRequest(method: method, path: path, query: query ?? [:],
                                  headers: LWSHeaders.all(wsi),
                                  remoteAddress: ClientAddress.resolve(peer: LWSHeaders.peer(wsi),
                                                                       forwardedFor: LWSHeaders.value(wsi, WSI_TOKEN_X_FORWARDED_FOR),
                                                                       trustedProxies: configuration.trustedProxies))
        let rawLength = request.header("content-length")
        let declared = rawLength.flatMap(EdgeStrictness.contentLength) ?? 0
        let exchange = HTTPExchange(serial: nextSerial, request: request, expectedLength: declared, phase: .handling)
        exchanges[id] = exchange
        if stopping.load(ordering: .acquiring) {
            return respondNow(exchange, wsi, .error(APIError(503, "shutting_down", "The server is restarting; try again shortly.")), close: true)
        }
        // Closing after these answers matters: the bytes that follow are not a request.
        if let rawLength, EdgeStrictness.contentLength(rawLength) == nil || EdgeStrictness.isRepeated(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) {
            return respondNow(exchange, wsi, .error(EdgeStrictness.badContentLength), close: true)
        }
        if query == nil {
            return respondNow(exchange, wsi, .error(EdgeStrictness.badQuery), close: true)
        }
        if !wholePath {
            return respondNow(exchange, wsi, .error(EdgeStrictness.badPath), close: true)
        }
        let limit = configuration.bodyLimit(method, path)
        if declared > limit {
            return respondNow(exchange, wsi, .error(.payloadTooLarge(limit: limit)), close: true)
        }
        if request.header("transfer-encoding") != nil && request.header("content-length") == nil {
            return respondNow(exchange, wsi, .error(APIError(411, "length_required", "Send the body with a Content-Length.")), close: true)
        }
        if declared > 0 {
            exchange.phase = .readingBody
            request.body.reserveCapacity(declared)
            exchange.request = request
            return 0
        }
        dispatch(exchange, connection: id)
        return 0
    }

    private func httpBody(_ wsi: OpaquePointer, _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        let id = connectionID(wsi)
        guard let exchange = exchanges[id], exchange.phase == .readingBody, let input else { return 0 }
        let limit = configuration.bodyLimit(exchange.request.method, exchange.request.path)
        if exchange.request.body.count + length > limit {
            return respondNow(exchange, wsi, .error(.payloadTooLarge(limit: limit)), close: true)
        }
        exchange.request.body.append(contentsOf: UnsafeRawBufferPointer(start: input, count: length))
        return 0
    }

    private func httpBodyComplete(_ wsi: OpaquePointer) -> Int32 {
        let id = connectionID(wsi)
        guard let exchange = exchanges[id], exchange.phase == .readingBody else { return 0 }
        exchange.phase = .handling
        dispatch(exchange, connection: id)
        return 0
    }

    private func dispatch(_ exchange: HTTPExchange, connection id: UInt64) {
        let request = exchange.request
        let serial = exchange.serial
        inFlight.add(1, ordering: .releasing)
        let responder = responder
        let outbox = outbox
        Task {
            let slot = TrapReport.begin("\(request.method.rawValue) \(request.path) from \(request.remoteAddress)")
            let response = await responder.respond(to: request)
            TrapReport.finish(slot)
            outbox.post(.httpResponse(connection: id, serial: serial, response: response))
        }
    }

    private func respondNow(_ exchange: HTTPExchange, _ wsi: OpaquePointer, _ response: HTTPResponse, close: Bool) -> Int32 {
        var response = response
        response.closeConnection = close
        exchange.response = response
        exchange.phase = .headers
        lws_callback_on_writable(wsi)
        return 0
    }

    private func httpWriteable(_ wsi: OpaquePointer) -> Int32 {
        let id = connectionID(wsi)
        guard let exchange = exchanges[id], let response = exchange.response else { return 0 }
        switch exchange.phase {
        case .headers:
            guard writeHeaders(wsi, response) else { return -1 }
            if exchange.request.method == .HEAD || response.body.isEmpty {
                return finish(exchange, wsi, id)
            }
            exchange.phase = .body
            lws_callback_on_writable(wsi)
            return 0
        case .body:
            let chunk = min(32 * 1024, response.body.count - exchange.sent)
            let last = exchange.sent + chunk == response.body.count
            var buffer = [UInt8](repeating: 0, count: Int(facet_lws_pre) + chunk)
            buffer.replaceSubrange(Int(facet_lws_pre)..., with: response.body[exchange.sent..<exchange.sent + chunk])
            let written = buffer.withUnsafeMutableBufferPointer {
                lws_write(wsi, $0.baseAddress! + Int(facet_lws_pre), chunk, last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP)
            }
            if written < chunk { return -1 }
            exchange.sent += chunk
            if last { return finish(exchange, wsi, id) }
            lws_callback_on_writable(wsi)
            return 0
        default:
            return 0
        }
    }

    private func finish(_ exchange: HTTPExchange, _ wsi: OpaquePointer, _ id: UInt64) -> Int32 {
        exchange.phase = .done
        let request = exchange.request
        let status = exchange.response?.status ?? 0
        let elapsed = ContinuousClock.now - exchange.started
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        accessLog.info("\(request.method.rawValue) \(request.path) \(status) \(exchange.response?.body.count ?? 0)B \(String(format: "%.1f", ms))ms",
                       metadata: ["peer": "\(request.remoteAddress)"])
        exchanges.removeValue(forKey: id)
        if exchange.response?.closeConnection == true { return -1 }
        return lws_http_transaction_completed(wsi) != 0 ? -1 : 0
    }

    private func writeHeaders(_ wsi: OpaquePointer, _ response: HTTPResponse) -> Bool {
        let capacity = 4096 + response.headers.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 4 }
        var buffer = [UInt8](repeating: 0, count: Int(facet_lws_pre) + capacity)
        return buffer.withUnsafeMutableBufferPointer { raw -> Bool in
            let start = raw.baseAddress! + Int(facet_lws_pre)
            let end = start + capacity - 1
            var cursor: UnsafeMutablePointer<UInt8>? = start
            guard lws_add_http_header_status(wsi, UInt32(response.status), &cursor, end) == 0 else { return false }
            if !response.body.isEmpty || response.status != 204 {
                let type = Array(response.contentType.utf8)
                guard lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE, type, Int32(type.count), &cursor, end) == 0 else { return false }
            }
            guard lws_add_http_header_content_length(wsi, UInt64(response.body.count), &cursor, end) == 0 else { return false }
            var extra = response.headers
            if response.closeConnection { extra.append(("connection", "close")) }
            for (name, value) in extra {
                let key = Array((name.lowercased() + ":").utf8) + [0]
                let bytes = Array(value.utf8)
                let ok = key.withUnsafeBufferPointer { k in
                    lws_add_http_header_by_name(wsi, k.baseAddress!, bytes, Int32(bytes.count), &cursor, end)
                }
                guard ok == 0 else { return false }
            }
            return lws_finalize_write_http_header(wsi, start, &cursor, end) == 0
        }
    }

    // MARK: WebSocket

    /// Authenticates the upgrade while the request headers are still readable, so a
    /// refusal can be a proper HTTP answer rather than a dropped connection.
    private func webSocketConfirm(_ wsi: OpaquePointer) -> Int32 {
        let path = LWSHeaders.value(wsi, WSI_TOKEN_GET_URI) ?? ""
        let request = HTTPRequest(method: .GET, path: path, headers: LWSHeaders.all(wsi))
        let refusal: APIError?
        if stopping.load(ordering: .acquiring) {
            refusal = APIError(503, "shutting_down", "The server is restarting; reconnect shortly.")
        } else if path != "/ws" {
            refusal = .notFound("WebSockets are served at /ws.")
        } else if let realtime {
            switch realtime.authenticate(request) {
            case let .success(peer):
                pendingPeers[wsi] = peer
                refusal = nil
            case let .failure(error):
                refusal = error
            }
        } else {
            refusal = .notFound("This server has no WebSocket endpoint.")
        }
        guard let refusal else { return 0 }
        return writeImmediate(wsi, .error(refusal)) ? 1 : -1
    }

    /// Headers and body in one write, for answers given outside a writeable callback.
    private func writeImmediate(_ wsi: OpaquePointer, _ response: HTTPResponse) -> Bool {
        let capacity = 4096 + response.body.count
        var buffer = [UInt8](repeating: 0, count: Int(facet_lws_pre) + capacity)
        return buffer.withUnsafeMutableBufferPointer { raw -> Bool in
            let start = raw.baseAddress! + Int(facet_lws_pre)
            let end = start + capacity - 1
            var cursor: UnsafeMutablePointer<UInt8>? = start
            let type = Array(response.contentType.utf8)
            guard lws_add_http_header_status(wsi, UInt32(response.status), &cursor, end) == 0,
                  lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE, type, Int32(type.count), &cursor, end) == 0,
                  lws_add_http_header_content_length(wsi, UInt64(response.body.count), &cursor, end) == 0,
                  lws_finalize_http_header(wsi, &cursor, end) == 0, let headerEnd = cursor else { return false }
            response.body.withUnsafeBufferPointer { headerEnd.update(from: $0.baseAddress!, count: response.body.count) }
            let total = headerEnd - start + response.body.count
            return lws_write(wsi, start, total, LWS_WRITE_HTTP_HEADERS) >= total
        }
    }

    private var pendingPeers: [OpaquePointer: RealtimePeer] = [:]

    private func webSocketFilter(_ wsi: OpaquePointer) -> Int32 {
        guard let peer = pendingPeers.removeValue(forKey: wsi) else { return -1 }
        let id = connectionID(wsi)
        hub.open(id: id, wsi: wsi, peer: peer)
        webSockets.add(1, ordering: .relaxed)
        return 0
    }

    private func webSocketConnection(_ wsi: OpaquePointer) -> Hub.Connection? {
        connectionByWsi[wsi].flatMap { hub.connections[$0] }
    }

    private func webSocketReceive(_ wsi: OpaquePointer, _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        guard let connection = webSocketConnection(wsi) else { return -1 }
        if lws_frame_is_binary(wsi) != 0 {
            connection.inbound.removeAll()
            hub.send(Frame(WireMessage.error(code: "bad_message", message: "Send JSON text messages.")), to: connection)
            return 0
        }
        if connection.inbound.count + length > configuration.maxInboundWebSocketMessage {
            let reason = Array("message too big".utf8)
            var mutable = reason
            lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, &mutable, mutable.count)
            return -1
        }
        if let input, length > 0 {
            connection.inbound.append(contentsOf: UnsafeRawBufferPointer(start: input, count: length))
        }
        guard lws_is_final_fragment(wsi) != 0, lws_remaining_packet_payload(wsi) == 0 else { return 0 }
        let message = connection.inbound
        connection.inbound.removeAll(keepingCapacity: true)
        do {
            hub.receive(try ClientMessage.parse(message), on: connection)
        } catch let invalid as ClientMessage.Invalid {
            hub.send(Frame(WireMessage.error(code: "bad_message", message: invalid.message)), to: connection)
        } catch {
            hub.send(Frame(WireMessage.error(code: "bad_message", message: "Unreadable message.")), to: connection)
        }
        return 0
    }

    private func webSocketWriteable(_ wsi: OpaquePointer) -> Int32 {
        guard let connection = webSocketConnection(wsi) else { return -1 }
        if let (code, reason) = connection.closeCode {
            var bytes = Array(reason.utf8)
            lws_close_reason(wsi, lws_close_status(rawValue: UInt32(code)), &bytes, bytes.count)
            return -1
        }
        var written = 0
        while let frame = connection.next() {
            let n = lws_write(wsi, frame.payload, frame.length, LWS_WRITE_TEXT)
            if n < frame.length { return -1 }
            connection.pop()
            written += 1
            if written >= 64 || lws_send_pipe_choked(wsi) != 0 { break }
        }
        if connection.pending > 0 { lws_callback_on_writable(wsi) }
        return 0
    }

    // MARK: static configuration

    // Immutable after first use; lws only reads these tables.
    nonisolated(unsafe) fileprivate static let protocols: UnsafeMutablePointer<lws_protocols> = {
        let list = UnsafeMutablePointer<lws_protocols>.allocate(capacity: 2)
        list.initialize(repeating: lws_protocols(), count: 2)
        list[0].name = CStrings.keep("facet")
        list[0].callback = facetCallback
        list[0].rx_buffer_size = 16 * 1024
        return list
    }()

    nonisolated(unsafe) private static let keepalive: UnsafeMutablePointer<lws_retry_bo_t> = {
        let policy = UnsafeMutablePointer<lws_retry_bo_t>.allocate(capacity: 1)
        policy.initialize(to: lws_retry_bo_t())
        policy.pointee.secs_since_valid_ping = 25
        policy.pointee.secs_since_valid_hangup = 35
        return policy
    }()

    private static func mounts(webRoot: String?, extra: [String]) -> UnsafePointer<lws_http_mount> {
        let count = 3 + extra.count
        let mounts = UnsafeMutablePointer<lws_http_mount>.allocate(capacity: count)
        mounts.initialize(repeating: lws_http_mount(), count: count)
        // Longest mountpoint wins, so /api, /ws and the extra paths reach the callback and the rest is files.
        func callback(_ index: Int, _ path: String) {
            mounts[index].mountpoint = CStrings.keep(path)
            mounts[index].mountpoint_len = UInt8(path.utf8.count)
            mounts[index].origin = CStrings.keep("facet")
            mounts[index].origin_protocol = UInt8(LWSMPRO_CALLBACK.rawValue)
        }
        callback(0, "/api")
        mounts[0].mount_next = UnsafePointer(mounts + 1)
        callback(1, "/ws")
        mounts[1].protocol = CStrings.keep("facet")
        guard let webRoot else {
            // Without static files every path reaches the callback.
            mounts[1].mountpoint = CStrings.keep("/")
            mounts[1].mountpoint_len = 1
            mounts[1].protocol = nil
            return UnsafePointer(mounts + 1)
        }
        for (offset, path) in extra.enumerated() {
            mounts[1 + offset].mount_next = UnsafePointer(mounts + 2 + offset)
            callback(2 + offset, path)
        }
        let files = 2 + extra.count
        mounts[files - 1].mount_next = UnsafePointer(mounts + files)
        mounts[files].mountpoint = CStrings.keep("/")
        mounts[files].mountpoint_len = 1
        mounts[files].origin = CStrings.keep(webRoot)
        mounts[files].def = CStrings.keep("index.html")
        mounts[files].origin_protocol = UInt8(LWSMPRO_FILE.rawValue)
        mounts[files].extra_mimetypes = mimeTypes()
        // No build step means no hashed file names: let browsers keep files briefly and revalidate.
        mounts[files].cache_max_age = 300
        mounts[files].cache_reusable = 1
        mounts[files].cache_revalidate = 1
        return UnsafePointer(mounts)
    }

    private static func options(_ pairs: [(String, String)]) -> UnsafePointer<lws_protocol_vhost_options>? {
        var next: UnsafePointer<lws_protocol_vhost_options>?
        for (name, value) in pairs.reversed() {
            let option = UnsafeMutablePointer<lws_protocol_vhost_options>.allocate(capacity: 1)
            option.initialize(to: lws_protocol_vhost_options())
            option.pointee.name = CStrings.keep(name)
            option.pointee.value = CStrings.keep(value)
            option.pointee.next = next
            next = UnsafePointer(option)
        }
        return next
    }

    private static func mimeTypes() -> UnsafePointer<lws_protocol_vhost_options>? {
        options([(".mjs", "text/javascript"), (".js", "text/javascript"), (".json", "application/json"),
                 (".webp", "image/webp"), (".svg", "image/svg+xml"), (".webmanifest", "application/manifest+json"),
                 (".jpeg", "image/jpeg"), (".avif", "image/avif"), (".map", "application/json")])
    }

    static let contentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
        + "connect-src 'self' ws: wss:; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

    private static func securityHeaders() -> UnsafePointer<lws_protocol_vhost_options>? {
        options([("content-security-policy:", contentSecurityPolicy),
                 ("x-content-type-options:", "nosniff"),
                 ("x-frame-options:", "DENY"),
                 ("referrer-policy:", "same-origin"),
                 ("permissions-policy:", "camera=(), microphone=(), geolocation=()")])
    }
}

/// The lws context as other threads may see it, so a wake-up never reaches a freed context.
final class LiveContext: Sendable {
    let address = Mutex<Int>(0)

    /// `lws_cancel_service` is the one lws call that is safe from any thread.
    func wake() {
        address.withLock { address in
            if let context = OpaquePointer(bitPattern: address) { lws_cancel_service(context) }
        }
    }
}

public enum ServerError: Error, CustomStringConvertible {
    case startFailed(String)
    public var description: String {
        switch self { case let .startFailed(message): message }
    }
}

private func eventLibSignal(_ handle: UnsafeMutableRawPointer?, _ signal: Int32) {
    LWSServer.signalTargets.withLock { $0 }.forEach { $0.eventLibSignalled() }
}

private func facetCallback(_ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
                           _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
    guard let wsi, let context = lws_get_context(wsi), let raw = lws_context_user(context) else {
        return lws_callback_http_dummy(wsi, reason, user, input, length)
    }
    let server = Unmanaged<LWSServer>.fromOpaque(raw).takeUnretainedValue()
    return server.callback(wsi, reason, user, input, length)
}
