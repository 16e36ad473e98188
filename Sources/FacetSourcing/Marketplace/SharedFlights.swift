import Synchronization

/// One piece of work per key in flight: callers asking for a key already being worked on wait
/// for that work instead of starting it again (`joined` tells them so).
final class SharedFlights<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let running = Mutex<[Key: Task<Value, Error>]>([:])

    func value(for key: Key, _ work: @escaping @Sendable () async throws -> Value) async throws -> (value: Value, joined: Bool) {
        let (flight, joined) = running.withLock { running -> (Task<Value, Error>, Bool) in
            if let flight = running[key] { return (flight, true) }
            let flight = Task<Value, Error> {
                defer { _ = self.running.withLock { $0.removeValue(forKey: key) } }
                return try await work()
            }
            running[key] = flight
            return (flight, false)
        }
        return (try await flight.value, joined)
    }
}
