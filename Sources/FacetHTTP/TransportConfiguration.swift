import Foundation

/// What the transport needs to listen and to bound what a client may send; the
/// application's own settings live with the application.
public struct TransportConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Static files served at `/`; nil sends every path to the responder.
    public var webRoot: URL?
    public var tlsCertificate: String?
    public var tlsPrivateKey: String?
    public var maxInboundWebSocketMessage = 64 * 1024
    public var maxQueuedFramesPerConnection = 512
    public var eventLoop: EventLoop = .poll
    /// Paths besides /api and /ws that the responder answers rather than the file mount (`/metrics`).
    public var responderPaths: [String] = []
    /// Reverse proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    public var trustedProxies: Set<String> = []
    /// The largest body accepted for a request line; a larger declared length is refused before any byte is read.
    public var bodyLimit: @Sendable (HTTPMethod, String) -> Int = { _, _ in 1 << 20 }

    /// poll() is libwebsockets' built-in loop; libev (epoll) scales to many idle sockets.
    public enum EventLoop: String, Sendable, CaseIterable {
        case poll, libev
    }

    public init() {}
}
