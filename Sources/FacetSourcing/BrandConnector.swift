import FacetCore
import Foundation

/// How Facet reaches one brand: where, with which credentials, through which mapping.
public struct BrandConfig: Codable, Sendable {
    public var brand: String
    public var baseURL: String
    public var apiKey: String
    /// Secrets accepted on webhooks (more than one while rotating).
    public var webhookSecrets: [String]
    /// Path of the mapping file, or the mapping inline.
    public var mappingFile: String?
    public var mapping: BrandMapping?

    public init(brand: String, baseURL: String, apiKey: String, webhookSecrets: [String], mappingFile: String?, mapping: BrandMapping? = nil) {
        self.brand = brand
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.webhookSecrets = webhookSecrets
        self.mappingFile = mappingFile
        self.mapping = mapping
    }

    public func resolvedMapping(relativeTo root: URL) throws -> BrandMapping {
        if let mapping { return mapping }
        guard let file = mappingFile else { throw MappingError(description: "\(brand): no mapping") }
        let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : root.appendingPathComponent(file)
        return try BrandMapping.load(url)
    }

    /// `--brands` file: `{"brands":[BrandConfig…]}`.
    public static func load(file: URL) throws -> [BrandConfig] {
        struct File: Decodable { let brands: [BrandConfig] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: file)).brands
    }
}

public struct BrandPage: Sendable {
    public var items: [JSONValue]
    public var nextCursor: String?
}

public struct StockReading: Sendable, Equatable {
    public var sku: String
    public var stock: Int
    public var cost: Int64?
}

public struct BrandOrderResult: Sendable, Equatable {
    public var orderId: String
    public var status: String?
    public var created: Bool
}

public struct BrandError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public let status: Int?
    public init(_ description: String, status: Int? = nil) {
        self.description = description
        self.status = status
    }
}

/// Speaks the brand integration contract to one brand, in that brand's native shapes
/// as its mapping describes them.
public struct BrandConnector: Sendable {
    public let config: BrandConfig
    public let mapping: BrandMapping
    let client: HTTPClient
    public var backoff: Backoff
    public var timeout: Double
    let onRetry: @Sendable (Int, String) -> Void

    public init(config: BrandConfig, mapping: BrandMapping, client: HTTPClient, backoff: Backoff = Backoff(), timeout: Double = 10,
                onRetry: @escaping @Sendable (Int, String) -> Void = { _, _ in }) {
        self.config = config
        self.mapping = mapping
        self.client = client
        self.backoff = backoff
        self.timeout = timeout
        self.onRetry = onRetry
    }

    public var brand: String { config.brand }

    var authHeaders: [(String, String)] {
        let header = mapping.api.authHeader ?? "Authorization"
        let value = header.lowercased() == "authorization" ? "Bearer \(config.apiKey)" : config.apiKey
        return [(header, value), ("Accept", "application/json")]
    }

    func url(_ path: String, _ query: [(String, String)] = []) -> String {
        let base = config.baseURL.hasSuffix("/") ? String(config.baseURL.dropLast()) : config.baseURL
        var components = URLComponents()
        components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return base + path + (query.isEmpty ? "" : "?" + encoded)
    }

    func get(_ url: String, timeout: Double? = nil, backoff: Backoff? = nil) async throws -> HTTPClientResponse {
        let request = HTTPClientRequest(url: url, headers: authHeaders, timeout: timeout ?? self.timeout)
        return try await client.send(request, backoff: backoff ?? self.backoff, onRetry: onRetry)
    }

    func json(_ response: HTTPClientResponse, _ what: String) throws -> JSONValue {
        guard response.isSuccess else {
            throw BrandError("\(brand) \(what): HTTP \(response.status) \(String(decoding: response.body.prefix(200), as: UTF8.self))",
                             status: response.status)
        }
        do { return try JSONValue.parse(response.body) } catch {
            throw BrandError("\(brand) \(what): the answer is not valid JSON", status: response.status)
        }
    }

    /// One page of the listing; `since` nil lists everything.
    public func page(since: String?, cursor: String?, limit: Int? = nil) async throws -> BrandPage {
        let list = mapping.api.list
        var query: [(String, String)] = [(list.limitParam, String(limit ?? list.pageSize))]
        if let since { query.append((list.sinceParam, since)) }
        if let cursor { query.append((list.cursorParam, cursor)) }
        let body = try json(try await get(url(list.path, query)), "listing")
        guard let items = body.values(at: list.items).first?.array else {
            throw BrandError("\(brand) listing: no \(list.items) array in the page")
        }
        return BrandPage(items: items, nextCursor: body.values(at: list.nextCursor).first?.string)
    }

    public func product(sku: String) async throws -> JSONValue? {
        let path = mapping.api.product.replacingOccurrences(of: "{sku}", with: sku.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? sku)
        let response = try await get(url(path))
        if response.status == 404 { return nil }
        let body = try json(response, "product \(sku)")
        let item = mapping.api.productItem ?? ""
        return item.isEmpty ? body : body.values(at: item).first
    }

    /// Live stock with a short timeout and no retries: the caller falls back to the cache.
    public func stock(skus: [String], timeout: Double = 1.5) async throws -> [StockReading] {
        let spec = mapping.api.stock
        let response = try await get(url(spec.path, [(spec.skusParam, skus.joined(separator: ","))]), timeout: timeout, backoff: .noRetry)
        let body = try json(response, "stock")
        return body.values(at: spec.items).first?.array?.compactMap { entry in
            guard let sku = spec.sku.string(in: entry), let stock = spec.stock.integer(in: entry) else { return nil }
            return StockReading(sku: sku, stock: Int(stock), cost: spec.cost?.integer(in: entry))
        } ?? []
    }

    public struct OrderLine: Codable, Sendable, Equatable {
        public var sku: String
        public var quantity: Int
        public init(sku: String, quantity: Int) {
            self.sku = sku
            self.quantity = quantity
        }
    }

    /// The order body in the brand's words.
    public func orderBody(reference: String, lines: [OrderLine]) -> [UInt8] {
        let body = mapping.api.orderBody
        let value = JSONValue.object([
            body.reference: .string(reference),
            body.lines: .array(lines.map { .object([body.sku: .string($0.sku), body.quantity: .number(Double($0.quantity))]) }),
        ])
        return value.encoded()
    }

    /// POST /orders with the idempotency key; retried on timeouts, 5xx and 429 with the same key.
    public func createOrder(key: String, body: [UInt8], timeout: Double? = nil) async throws -> BrandOrderResult {
        let request = HTTPClientRequest(method: "POST", url: url(mapping.api.orders),
                                        headers: authHeaders + [("Idempotency-Key", key)], body: body,
                                        timeout: timeout ?? self.timeout)
        let response = try await client.send(request, backoff: backoff, onRetry: onRetry)
        let answer = try json(response, "order")
        guard let id = answer.values(at: mapping.api.orderId).first?.string else {
            throw BrandError("\(brand) order: no \(mapping.api.orderId) in the answer")
        }
        return BrandOrderResult(orderId: id, status: answer.values(at: mapping.api.orderStatus).first?.string,
                                created: response.status == 201)
    }

    public func order(id: String) async throws -> BrandOrderResult? {
        let response = try await get(url(mapping.api.order.replacingOccurrences(of: "{id}", with: id)))
        if response.status == 404 { return nil }
        let answer = try json(response, "order \(id)")
        return BrandOrderResult(orderId: id, status: answer.values(at: mapping.api.orderStatus).first?.string, created: false)
    }

    /// Downloads one photo (no auth header leaves for another host). A photo is asked twice at
    /// most and waits at most 8 s for a Retry-After: the sync run waits on its photos, and a page of
    /// changes must not stall behind a slow image host; a photo missing now is asked again in the
    /// next full run.
    public func image(url: String) async throws -> HTTPClientResponse {
        let sameHost = url.hasPrefix(config.baseURL)
        let request = HTTPClientRequest(url: url, headers: sameHost ? authHeaders : [], timeout: timeout, maxBodyBytes: 8 << 20)
        return try await client.send(request, backoff: Self.photoBackoff(backoff), onRetry: onRetry)
    }

    static func photoBackoff(_ backoff: Backoff) -> Backoff {
        Backoff(base: backoff.base, cap: min(backoff.cap, 2), maxAttempts: min(backoff.maxAttempts, 2))
    }
}
