/// The address a request came from. `X-Forwarded-For` is believed only when the peer is
/// one of the configured reverse proxies; anyone else could write any address there.
public enum ClientAddress {
    /// Walks the forwarded chain from the right (the entry our proxy appended) past
    /// trusted proxies; the first address that is not one is the client.
    public static func resolve(peer: String, forwardedFor: String?, trustedProxies: Set<String>) -> String {
        guard trustedProxies.contains(peer), let forwardedFor, !forwardedFor.isEmpty else { return peer }
        let hops = forwardedFor.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init).filter { !$0.isEmpty }
        for hop in hops.reversed() where !trustedProxies.contains(hop) {
            return isPlausible(hop) ? hop : peer
        }
        return hops.first.flatMap { isPlausible($0) ? $0 : nil } ?? peer
    }

    /// IPv4 or IPv6 characters only, so a forged header cannot put arbitrary text in logs or keys.
    static func isPlausible(_ hop: String) -> Bool {
        hop.utf8.count <= 45 && hop.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46) || byte == 0x2E || byte == 0x3A
        }
    }
}
