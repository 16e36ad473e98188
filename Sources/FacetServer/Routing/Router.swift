import RoutingKit

public typealias Handler = @Sendable (RequestContext) async throws -> HTTPResponse

/// Method + path patterns (`/api/quotes/:id`) resolved through a trie. A path that
/// exists under another method answers 405 rather than 404.
public final class Router: @unchecked Sendable {
    // Built once at start-up, read-only afterwards.
    private let trie = TrieRouter<[HTTPMethod: Handler]>()
    private var table: [String: [HTTPMethod: Handler]] = [:]
    private var frozen = false

    public init() {}

    public func on(_ method: HTTPMethod, _ path: String, _ handler: @escaping Handler) {
        precondition(!frozen, "routes are registered before serving")
        table[path, default: [:]][method] = handler
    }

    public func freeze() {
        for (path, handlers) in table {
            trie.register(handlers, at: path.split(separator: "/").map { component in
                component.hasPrefix(":") ? .parameter(String(component.dropFirst())) : .constant(String(component))
            })
        }
        frozen = true
    }

    public enum Match {
        case handler(Handler, Parameters)
        case methodNotAllowed
        case notFound
    }

    public func match(_ method: HTTPMethod, path: String) -> Match {
        var parameters = Parameters()
        let components = path.split(separator: "/").map(String.init)
        guard let handlers = trie.route(path: components, parameters: &parameters) else { return .notFound }
        if let handler = handlers[method] ?? (method == .HEAD ? handlers[.GET] : nil) {
            return .handler(handler, parameters)
        }
        return .methodNotAllowed
    }
}
