import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which addresses the marketplace fetcher may connect to. The check is on the resolved
/// address (a public name can point inside our network), and the connection is then pinned
/// to the address that was checked, so a second lookup cannot swap it.
public enum AddressPolicy {
    public enum Range: String, Sendable, Equatable {
        case publicAddress, loopback, privateNetwork, linkLocal, reserved
    }

    public static func classify(_ ip: String) -> Range {
        var v4 = in_addr()
        if inet_pton(AF_INET, ip, &v4) == 1 {
            let b = withUnsafeBytes(of: v4.s_addr) { Array($0) }
            return classifyV4(b)
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, ip, &v6) == 1 else { return .reserved }
        let b = withUnsafeBytes(of: v6) { Array($0) }
        if b[0..<15].allSatisfy({ $0 == 0 }) { return b[15] == 1 ? .loopback : .reserved } // ::1, ::
        if b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xFF, b[11] == 0xFF { return classifyV4(Array(b[12..<16])) } // ::ffff:a.b.c.d
        if b[0] == 0xFE, b[1] & 0xC0 == 0x80 { return .linkLocal } // fe80::/10
        if b[0] & 0xFE == 0xFC { return .privateNetwork } // fc00::/7
        if b[0] == 0xFF { return .reserved } // multicast
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B { return classifyV4(Array(b[12..<16])) } // NAT64
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0D, b[3] == 0xB8 { return .reserved } // documentation
        return .publicAddress
    }

    static func classifyV4(_ b: [UInt8]) -> Range {
        switch (b[0], b[1]) {
        case (127, _): return .loopback
        case (10, _), (192, 168), (172, 16...31), (100, 64...127): return .privateNetwork
        case (169, 254): return .linkLocal
        case (0, _), (224...255, _), (198, 18...19): return .reserved
        default: break
        }
        // IETF protocol assignments and the documentation networks.
        if (b[0], b[1]) == (192, 0) && (b[2] == 0 || b[2] == 2) || (b[0], b[1], b[2]) == (198, 51, 100) || (b[0], b[1], b[2]) == (203, 0, 113) {
            return .reserved
        }
        return .publicAddress
    }

    public static func allowed(_ range: Range, allowLoopback: Bool) -> Bool {
        range == .publicAddress || (range == .loopback && allowLoopback)
    }

    /// Numeric addresses for a host name (a literal is returned as it is).
    public static func resolve(_ host: String) -> [String] {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(bare, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(list) }
        var result: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let entry = node {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(entry.pointee.ai_addr, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let address = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !result.contains(address) { result.append(address) }
            }
            node = entry.pointee.ai_next
        }
        return result
    }
}
