import Foundation

/// A blocking HTTP/1.1 client on one keep-alive socket: enough for benchmark setup
/// and for publishing at a steady rate without a client library's overhead.
final class HTTPSession {
    let host: String
    let port: UInt16
    private var socket: Int32 = -1
    private var buffer: [UInt8] = []
    var cookie: String?

    init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    deinit { if socket >= 0 { close(socket) } }

    struct Response {
        let status: Int
        let headers: [String: String]
        let body: Data
        func json() -> [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    func request(_ method: String, _ path: String, json: [String: Any]? = nil) throws -> Response {
        let body = try json.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data()
        return try request(method, path, body: body, contentType: json == nil ? nil : "application/json")
    }

    /// Any body: a multipart upload, for instance.
    func request(_ method: String, _ path: String, body: Data, contentType: String?) throws -> Response {
        for attempt in 0..<2 {
            do {
                if socket < 0 { try connect() }
                return try exchange(method, path, body: body, contentType: contentType)
            } catch where attempt == 0 {
                close(socket)
                socket = -1
                buffer.removeAll()
            }
        }
        throw Failure(description: "unreachable")
    }

    private func connect() throws {
        let fd = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw Failure(description: "cannot connect to \(host):\(port)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        socket = fd
    }

    private func exchange(_ method: String, _ path: String, body: Data, contentType: String?) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Length: \(body.count)\r\n"
        if let contentType { head += "Content-Type: \(contentType)\r\n" }
        if let cookie { head += "Cookie: \(cookie)\r\n" }
        head += "\r\n"
        let bytes = Array(head.utf8) + Array(body)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send failed") }
            sent += n
        }
        let headerEnd = try readUntilHeaderEnd()
        let headerText = String(decoding: buffer[..<headerEnd], as: UTF8.self)
        buffer.removeFirst(headerEnd + 4)
        let lines = headerText.components(separatedBy: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { $0 + "\n" + value } ?? value
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < length { try fill() }
        let payload = Data(buffer[..<length])
        buffer.removeFirst(length)
        if let setCookie = headers["set-cookie"], let pair = setCookie.split(separator: ";").first, pair.contains("=") {
            cookie = String(pair)
        }
        if headers["connection"]?.lowercased() == "close" { close(socket); socket = -1; buffer.removeAll() }
        return Response(status: status, headers: headers, body: payload)
    }

    private func readUntilHeaderEnd() throws -> Int {
        let marker: [UInt8] = [13, 10, 13, 10]
        var searchFrom = 0
        while true {
            if buffer.count >= 4 {
                for i in searchFrom...(buffer.count - 4) where buffer[i] == 13 && Array(buffer[i..<i + 4]) == marker { return i }
                searchFrom = buffer.count - 3
            }
            try fill()
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 16384)
        let n = recv(socket, &chunk, chunk.count, 0)
        guard n > 0 else { throw Failure(description: "connection closed") }
        buffer.append(contentsOf: chunk[..<n])
    }
}
