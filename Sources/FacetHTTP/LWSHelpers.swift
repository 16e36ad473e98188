import CLibWebSockets

/// Small readers over lws's header table. All of these run on the service thread.
enum LWSHeaders {
    static func value(_ wsi: OpaquePointer, _ token: lws_token_indexes) -> String? {
        let length = lws_hdr_total_length(wsi, token)
        guard length > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        guard lws_hdr_copy(wsi, &buffer, Int32(buffer.count), token) >= 0 else { return nil }
        return String(cString: buffer)
    }

    /// Query arguments: lws splits them into fragments at '&' and url-decodes them.
    /// nil when one cannot be read whole or holds a NUL (a truncated value must never
    /// pass for the one sent).
    static func query(_ wsi: OpaquePointer) -> [String: String]? {
        var result: [String: String] = [:]
        var index: Int32 = 0
        while true {
            let length = lws_hdr_fragment_length(wsi, WSI_TOKEN_HTTP_URI_ARGS, index)
            guard length > 0 else { break }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            let copied = lws_hdr_copy_fragment(wsi, &buffer, Int32(buffer.count), WSI_TOKEN_HTTP_URI_ARGS, index)
            guard copied >= 0, strlen(buffer) == Int(copied) else { return nil }
            let pair = String(cString: buffer)
            if let eq = pair.firstIndex(of: "=") {
                result[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
            } else {
                result[pair] = ""
            }
            index += 1
        }
        return result
    }

    static func peer(_ wsi: OpaquePointer) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        guard lws_get_peer_simple(wsi, &buffer, buffer.count) != nil else { return "" }
        return String(cString: buffer)
    }

    /// Method and path from whichever request-line token lws filled in. `whole` is false when
    /// the decoded path holds a control character: lws ends the request line at a decoded
    /// line feed (so `/offers/a%0Ab` would be served as `/offers/a`, with no HTTP version
    /// seen) and keeps other controls in the path.
    static func requestLine(_ wsi: OpaquePointer) -> (method: HTTPMethod, path: String, whole: Bool)? {
        let tokens: [(lws_token_indexes, HTTPMethod)] = [
            (WSI_TOKEN_GET_URI, .GET), (WSI_TOKEN_POST_URI, .POST), (WSI_TOKEN_PUT_URI, .PUT),
            (WSI_TOKEN_PATCH_URI, .PATCH), (WSI_TOKEN_DELETE_URI, .DELETE), (WSI_TOKEN_OPTIONS_URI, .OPTIONS),
            (WSI_TOKEN_HEAD_URI, .HEAD),
        ]
        for (token, method) in tokens {
            let length = lws_hdr_total_length(wsi, token)
            guard length > 0, let path = value(wsi, token) else { continue }
            let whole = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP) > 0 && path.utf8.count == Int(length)
                && !path.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
            return (method, path, whole)
        }
        return nil
    }

    static let forwarded: [(String, lws_token_indexes)] = [
        ("cookie", WSI_TOKEN_HTTP_COOKIE), ("origin", WSI_TOKEN_ORIGIN), ("host", WSI_TOKEN_HOST),
        ("content-type", WSI_TOKEN_HTTP_CONTENT_TYPE), ("content-length", WSI_TOKEN_HTTP_CONTENT_LENGTH),
        ("user-agent", WSI_TOKEN_HTTP_USER_AGENT), ("transfer-encoding", WSI_TOKEN_HTTP_TRANSFER_ENCODING),
        ("accept", WSI_TOKEN_HTTP_ACCEPT), ("authorization", WSI_TOKEN_HTTP_AUTHORIZATION),
    ]

    static func all(_ wsi: OpaquePointer) -> [String: String] {
        var headers: [String: String] = [:]
        for (name, token) in forwarded {
            if let value = value(wsi, token) { headers[name] = value }
        }
        for name in custom {
            if let value = customValue(wsi, name) { headers[name] = value }
        }
        return headers
    }

    /// Headers lws has no token for (brand APIs, webhooks, idempotency), read by name.
    static let custom = ["x-api-key", "idempotency-key", "x-facet-webhook-id", "x-facet-webhook-timestamp", "x-facet-webhook-signature"]

    static func customValue(_ wsi: OpaquePointer, _ name: String) -> String? {
        let canonical = name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-")
        for spelling in [name, canonical] {
            let key = spelling + ":"
            let length = lws_hdr_custom_length(wsi, key, Int32(key.utf8.count))
            guard length >= 0 else { continue }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            guard lws_hdr_custom_copy(wsi, &buffer, Int32(buffer.count), key, Int32(key.utf8.count)) >= 0 else { continue }
            return String(cString: buffer)
        }
        return nil
    }
}

/// C strings that must outlive the lws context: allocated once, never freed.
enum CStrings {
    static func keep(_ s: String) -> UnsafePointer<CChar> { UnsafePointer(strdup(s)!) }
}
