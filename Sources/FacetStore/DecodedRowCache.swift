import Foundation
import Synchronization

/// Decoded JSON columns kept by row id next to the text they came from: a search reads the same
/// products and listings over and over, and decoding their JSON was about 4 % of the server's
/// CPU while a hundred buyers searched at once. The text is still read from the database each
/// time; only when it equals the text kept is the decoded value reused, so an update is seen at
/// once, and the cache is correct whichever database the text came from.
final class DecodedRowCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: (text: String, value: Value)]>([:])
    /// Rows kept at most; when full it starts again (a miss only costs the decoding it saves).
    let capacity: Int

    init(capacity: Int = 4096) { self.capacity = capacity }

    func value(id: String, text: String, decode: (String) throws -> Value) rethrows -> Value {
        if let kept = entries.withLock({ $0[id] }), kept.text == text { return kept.value }
        let value = try decode(text)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[id] = (text, value)
        }
        return value
    }
}
