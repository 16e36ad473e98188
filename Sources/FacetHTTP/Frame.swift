import CLibWebSockets

/// One serialised server message with the LWS_PRE headroom lws_write needs. Shared by
/// reference between every connection it is queued on; lws copies what it cannot
/// send at once, so sharing is safe on the single service thread.
final class Frame {
    let storage: UnsafeMutablePointer<UInt8>
    let length: Int

    init(_ text: String) {
        let bytes = Array(text.utf8)
        length = bytes.count
        storage = .allocate(capacity: Int(facet_lws_pre) + max(length, 1))
        bytes.withUnsafeBufferPointer { (storage + Int(facet_lws_pre)).update(from: $0.baseAddress!, count: length) }
    }

    var payload: UnsafeMutablePointer<UInt8> { storage + Int(facet_lws_pre) }

    deinit { storage.deallocate() }
}
