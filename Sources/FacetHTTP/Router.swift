import RoutingKit

/// The request pipeline above the transport: whatever answers requests (the application, a simulator).
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) async -> HTTPResponse
}

/// Method + path patterns (`/api/quotes/:id`) resolved through a trie. The payload is the
/// application's own (a guarded handler); the router only finds it. A path that exists
/// under another method answers 405 with the methods it has, rather than 404.
public final class Router<Route: Sendable>: @unchecked Sendable {
    // Built once at start-up, read-only afterwards.
    private let trie = TrieRouter<[HTTPMethod: Route]>()
    private var table: [String: [HTTPMethod: Route]] = [:]
    private var frozen = false

    public init() {}

    public func on(_ method: HTTPMethod, _ path: String, _ route: Route) {
        precondition(!frozen, "routes are registered before serving")
        precondition(table[path]?[method] == nil, "\(method) \(path) is registered twice")
        table[path, default: [:]][method] = route
    }

    public func freeze() {
        for (path, handlers) in table {
            trie.register(handlers, at: path.split(separator: "/").map { component in
                component.hasPrefix(":") ? .parameter(String(component.dropFirst())) : .constant(String(component))
            })
        }
        frozen = true
    }

    /// Every method and path pattern registered with what it carries, sorted: what the API documents must cover.
    public var routes: [(method: HTTPMethod, path: String, route: Route)] {
        table.flatMap { path, handlers in handlers.map { (method: $0.key, path: path, route: $0.value) } }
            .sorted { ($0.path, $0.method.rawValue) < ($1.path, $1.method.rawValue) }
    }

    public enum Match {
        case route(Route, parameters: [String: String])
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    public func match(_ method: HTTPMethod, path: String) -> Match {
        var parameters = Parameters()
        let components = path.split(separator: "/").map(String.init)
        guard let handlers = trie.route(path: components, parameters: &parameters) else { return .notFound }
        if let route = handlers[method] ?? (method == .HEAD ? handlers[.GET] : nil) {
            var values: [String: String] = [:]
            for name in parameters.allNames { values[name] = parameters.get(name) }
            return .route(route, parameters: values)
        }
        var allowed = Set(handlers.keys)
        if allowed.contains(.GET) { allowed.insert(.HEAD) }
        return .methodNotAllowed(allowed: HTTPMethod.allCases.filter(allowed.contains))
    }
}
