import CCurl
import Foundation
import Synchronization

public struct HTTPClientRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]?
    /// Whole-transfer limit in seconds (connect included).
    public var timeout: Double
    /// Largest body accepted; a bigger one fails the request.
    public var maxBodyBytes: Int
    /// curl `host:port:address` entries: connect to an address that was already checked,
    /// so a second DNS answer cannot redirect the request (marketplace fetch policy).
    public var resolve: [String] = []

    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
                timeout: Double = 10, maxBodyBytes: Int = 32 << 20) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
    }
}

public struct HTTPClientResponse: Sendable {
    public let status: Int
    /// Lowercased names; the last value wins.
    public let headers: [String: String]
    public let body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    /// `Retry-After` in seconds (the delta form; an HTTP date is converted too).
    public var retryAfter: Double? {
        guard let raw = headers["retry-after"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(raw) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: raw).map { max(0, $0.timeIntervalSinceNow) }
    }
}

public enum HTTPClientError: Error, Sendable, CustomStringConvertible, Equatable {
    case transport(code: Int, message: String)
    case timedOut(String)
    case tooLarge(Int)
    case status(Int, String)

    public var description: String {
        switch self {
        case let .transport(code, message): "transport error \(code): \(message)"
        case let .timedOut(url): "timed out: \(url)"
        case let .tooLarge(limit): "response larger than \(limit) bytes"
        case let .status(status, body): "HTTP \(status): \(body.prefix(200))"
        }
    }
}

/// Exponential backoff with full jitter: attempt n (0-based) waits a random time in
/// [0, min(cap, base * 2^n)], but never less than the server's Retry-After.
public struct Backoff: Sendable, Equatable {
    public var base: Double
    public var cap: Double
    public var maxAttempts: Int

    public init(base: Double = 0.5, cap: Double = 30, maxAttempts: Int = 4) {
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
    }

    public static let noRetry = Backoff(base: 0, cap: 0, maxAttempts: 1)

    /// The ceiling of the jitter window for a retry after `attempt` failures.
    public func ceiling(attempt: Int) -> Double { min(cap, base * pow(2, Double(attempt))) }

    /// `unit` is a uniform random number in [0, 1).
    public func delay(attempt: Int, retryAfter: Double?, unit: Double) -> Double {
        let jittered = ceiling(attempt: attempt) * unit
        guard let retryAfter else { return jittered }
        return max(min(retryAfter, cap * 4), jittered)
    }

    public static func shouldRetry(status: Int) -> Bool { status == 429 || status == 408 || (500..<600).contains(status) }
}

/// A libcurl easy handle, only ever used by one thread at a time (checked out of the pool).
struct EasyHandle: @unchecked Sendable { let pointer: UnsafeMutableRawPointer }

/// A small HTTP client over libcurl. Easy handles are kept per host and reused, so
/// connections stay open between requests (keep-alive); each transfer runs on a
/// thread of its own, off Swift's cooperative pool, because libcurl's easy API blocks.
public final class HTTPClient: Sendable {
    private let pool = Mutex<[String: [EasyHandle]]>([:])
    private let userAgent: String
    private let maxIdlePerHost = 8

    public init(userAgent: String = "Facet-Connector/1") {
        Self.globalInit
        self.userAgent = userAgent
    }

    deinit {
        pool.withLock { pool in
            for handles in pool.values { for h in handles { curl_easy_cleanup(h.pointer) } }
            pool.removeAll()
        }
    }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    /// One attempt, no retries.
    public func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { [self] in
                continuation.resume(with: Result { try self.perform(request) })
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Retries transport failures, timeouts, 5xx and 429 per `backoff`; other answers
    /// are returned as they are. `onRetry` is told of each retry (for logs and counters).
    public func send(_ request: HTTPClientRequest, backoff: Backoff,
                     onRetry: (@Sendable (Int, String) -> Void)? = nil) async throws -> HTTPClientResponse {
        var attempt = 0
        while true {
            var retryAfter: Double?
            var reason: String
            do {
                let response = try await send(request)
                if !Backoff.shouldRetry(status: response.status) || attempt + 1 >= backoff.maxAttempts { return response }
                retryAfter = response.retryAfter
                reason = "HTTP \(response.status)"
            } catch let error as HTTPClientError {
                if case .tooLarge = error { throw error }
                if attempt + 1 >= backoff.maxAttempts { throw error }
                reason = error.description
            }
            let wait = backoff.delay(attempt: attempt, retryAfter: retryAfter, unit: Double.random(in: 0..<1))
            onRetry?(attempt + 1, reason)
            attempt += 1
            if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
        }
    }

    private func key(for url: String) -> String {
        guard let components = URLComponents(string: url) else { return url }
        return "\(components.scheme ?? "")://\(components.host ?? ""):\(components.port ?? 0)"
    }

    private func checkout(_ key: String) -> UnsafeMutableRawPointer {
        if let handle = pool.withLock({ $0[key]?.popLast() }) {
            curl_easy_reset(handle.pointer) // keeps the connection cache
            return handle.pointer
        }
        return curl_easy_init()!
    }

    private func checkin(_ key: String, _ handle: UnsafeMutableRawPointer) {
        let keep = pool.withLock { pool -> Bool in
            if pool[key, default: []].count >= maxIdlePerHost { return false }
            pool[key, default: []].append(EasyHandle(pointer: handle))
            return true
        }
        if !keep { curl_easy_cleanup(handle) }
    }

    private func perform(_ request: HTTPClientRequest) throws -> HTTPClientResponse {
        let hostKey = key(for: request.url)
        let handle = checkout(hostKey)
        var reusable = true
        defer { if reusable { checkin(hostKey, handle) } else { curl_easy_cleanup(handle) } }
        var body = facet_curl_buffer(data: nil, length: 0, capacity: 0, limit: request.maxBodyBytes, overflow: 0)
        var head = facet_curl_buffer(data: nil, length: 0, capacity: 0, limit: 256 << 10, overflow: 0)
        defer { facet_curl_buffer_free(&body); facet_curl_buffer_free(&head) }
        var list: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(list) }
        var pins: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(pins) }
        for entry in request.resolve { pins = curl_slist_append(pins, entry) }
        if pins != nil { reusable = false } // a pooled handle would keep the pinned address
        for (name, value) in request.headers { list = curl_slist_append(list, "\(name): \(value)") }
        if request.body != nil, !request.headers.contains(where: { $0.0.lowercased() == "content-type" }) {
            list = curl_slist_append(list, "Content-Type: application/json")
        }
        list = curl_slist_append(list, "Expect:")
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        facet_curl_set_string(handle, CURLOPT_URL, request.url)
        facet_curl_set_string(handle, CURLOPT_USERAGENT, userAgent)
        facet_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        facet_curl_set_long(handle, CURLOPT_TIMEOUT_MS, max(1, Int(request.timeout * 1000)))
        facet_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(min(request.timeout, 5) * 1000)))
        facet_curl_set_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        facet_curl_set_slist(handle, CURLOPT_HTTPHEADER, list)
        if pins != nil { facet_curl_set_slist(handle, CURLOPT_RESOLVE, pins) }
        facet_curl_set_body_sink(handle, &body)
        facet_curl_set_header_sink(handle, &head)
        if let payload = request.body {
            let chars = payload.map { CChar(bitPattern: $0) } + [0]
            chars.withUnsafeBufferPointer { _ = facet_curl_set_body(handle, $0.baseAddress, payload.count) }
            if request.method != "POST" { facet_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, request.method) }
        } else if request.method == "HEAD" {
            facet_curl_set_long(handle, CURLOPT_NOBODY, 1)
        } else if request.method != "GET" {
            facet_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        }
        let code = errorBuffer.withUnsafeMutableBufferPointer { buffer -> CURLcode in
            facet_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress)
            let code = curl_easy_perform(handle)
            facet_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, nil)
            return code
        }
        if code != CURLE_OK {
            reusable = false
            if body.overflow != 0 { throw HTTPClientError.tooLarge(request.maxBodyBytes) }
            if code == CURLE_OPERATION_TIMEDOUT { throw HTTPClientError.timedOut(request.url) }
            let message = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw HTTPClientError.transport(code: Int(code.rawValue), message: message.isEmpty ? String(cString: curl_easy_strerror(code)) : message)
        }
        let status = facet_curl_status(handle)
        let bytes = body.data.map { Array(UnsafeRawBufferPointer(start: $0, count: body.length)) } ?? []
        let headerText = head.data.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: head.length), as: UTF8.self) } ?? ""
        return HTTPClientResponse(status: status, headers: Self.parseHeaders(headerText), body: bytes)
    }

    /// Headers of the last response block (after any 100 Continue or redirect).
    static func parseHeaders(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            if line.hasPrefix("HTTP/") { result.removeAll(); continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            result[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return result
    }
}
