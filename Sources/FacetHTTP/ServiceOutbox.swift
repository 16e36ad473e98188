import Synchronization

/// The only way other threads reach the libwebsockets service thread: append a
/// command here, then `lws_cancel_service()` wakes the loop, which drains it all
/// (wake-ups merge, so one drain may see many commands).
final class ServiceOutbox: Sendable {
    enum Command: Sendable {
        case httpResponse(connection: UInt64, serial: UInt64, response: HTTPResponse)
        case event(RealtimeEvent)
    }

    private let commands = Mutex<[Command]>([])
    private let wake: @Sendable () -> Void

    init(wake: @escaping @Sendable () -> Void) { self.wake = wake }

    func post(_ command: Command) {
        commands.withLock { $0.append(command) }
        wake()
    }

    func drain() -> [Command] {
        commands.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
    }
}
