import Crypto
import FacetHTTP
import FacetSourcing
import Foundation
import Logging
import Synchronization

/// Serves one demo brand's own API (its native field names and shapes, from seeds/) so
/// that Facet's connector can be exercised over real HTTP: listing with a cursor, product,
/// stock, orders with idempotency, signed webhooks to Facet, and switchable faults.
public final class BrandSimulator: HTTPResponder, Sendable {
    public enum Brand: String, Sendable, CaseIterable { case aurelia, northbridge }

    public struct Faults: Codable, Sendable, Equatable {
        /// Added to every API answer.
        public var latencyMs: Int = 0
        /// The next N API requests answer 503.
        public var fail5xx: Int = 0
        /// The next N API requests answer 429 with Retry-After.
        public var rateLimit: Int = 0
        public var retryAfter: Int = 1
        /// The next N API requests wait timeoutMs before answering.
        public var timeouts: Int = 0
        public var timeoutMs: Int = 5000
        /// The next N order creations are carried out, then answered after timeoutMs.
        public var slowOrders: Int = 0
        /// The next N listing pages are not valid JSON.
        public var malformedPages: Int = 0
        /// Webhooks are signed with a wrong secret.
        public var wrongSignature: Bool = false
        /// Every API request answers 503 until cleared.
        public var down: Bool = false

        public init() {}

        /// Applies the fields present in a JSON object.
        mutating func merge(_ json: JSONValue) {
            func int(_ key: String) -> Int? { json[key]?.string.flatMap { Int($0) } }
            func bool(_ key: String) -> Bool? { if case let .bool(b)? = json[key] { return b }; return nil }
            latencyMs = int("latencyMs") ?? latencyMs
            fail5xx = int("fail5xx") ?? fail5xx
            rateLimit = int("rateLimit") ?? rateLimit
            retryAfter = int("retryAfter") ?? retryAfter
            timeouts = int("timeouts") ?? timeouts
            timeoutMs = int("timeoutMs") ?? timeoutMs
            slowOrders = int("slowOrders") ?? slowOrders
            malformedPages = int("malformedPages") ?? malformedPages
            wrongSignature = bool("wrongSignature") ?? wrongSignature
            down = bool("down") ?? down
        }
    }

    public struct Options: Sendable {
        public var brand: Brand
        public var seeds: URL
        public var data: URL
        public var apiKey: String
        public var webhookURL: String?
        public var webhookSecret: String?
        public var faults = Faults()
        public var synthesize = 0

        public init(brand: Brand, seeds: URL, data: URL, apiKey: String) {
            self.brand = brand
            self.seeds = seeds
            self.data = data
            self.apiKey = apiKey
        }
    }

    struct Order: Codable, Sendable {
        var id: String
        var key: String
        var bodyHash: String
        var answer: JSONValue
    }

    struct State: Sendable {
        var products: [String: JSONValue] = [:] { didSet { order = nil } }
        var changed: Set<String> = []
        var orders: [Order] = []
        var faults = Faults()
        var webhookURL: String?
        var webhookSecret: String?
        var requests = 0
        var webhooksSent = 0
        var webhookSeq = 0
        var createdSeq = 0
        /// Listing order (updated time, key), rebuilt after a change.
        var order: [(stamp: String, key: String)]?
    }

    public let brand: Brand
    let options: Options
    let logger: Logger
    let state = Mutex(State())
    let client = HTTPClient(userAgent: "BrandSimulator/1")
    let webhookQueue = DispatchQueue(label: "brand-sim.webhooks")

    var skuKey: String { brand == .aurelia ? "sku" : "itemId" }
    var updatedKey: String { brand == .aurelia ? "updated_at" : "lastModified" }

    public init(options: Options, logger: Logger) throws {
        self.options = options
        self.brand = options.brand
        self.logger = logger
        let file = options.brand == .aurelia ? "brands/aurelia/products.json" : "brands/northbridge/catalog.json"
        let root = try JSONValue.parse(Array(Data(contentsOf: options.seeds.appendingPathComponent(file))))
        let items = (options.brand == .aurelia ? root["products"] : root["catalog"]?["items"])?.array ?? []
        var products: [String: JSONValue] = [:]
        let key = options.brand == .aurelia ? "sku" : "itemId"
        for item in items { if let sku = item[key]?.string { products[sku] = item } }
        var saved: [String: JSONValue] = [:]
        var orders: [Order] = []
        if let data = try? Data(contentsOf: Self.stateFile(options)),
           let persisted = try? JSONDecoder().decode(Persisted.self, from: data) {
            saved = persisted.products
            orders = persisted.orders
        }
        for (sku, product) in saved { products[sku] = product }
        state.withLock {
            $0.products = products
            $0.changed = Set(saved.keys)
            $0.orders = orders
            $0.faults = options.faults
            $0.webhookURL = options.webhookURL
            $0.webhookSecret = options.webhookSecret
        }
        if options.synthesize > 0 { _ = synthesize(options.synthesize, webhooks: false) }
    }

    struct Persisted: Codable {
        var products: [String: JSONValue]
        var orders: [Order]
    }

    static func stateFile(_ options: Options) -> URL {
        options.data.appendingPathComponent("brand-sim-\(options.brand.rawValue).json")
    }

    func persist() {
        let snapshot = state.withLock { s in
            Persisted(products: s.products.filter { s.changed.contains($0.key) && !$0.key.contains("-SYN-") }, orders: s.orders)
        }
        do {
            try FileManager.default.createDirectory(at: options.data, withIntermediateDirectories: true)
            try JSONEncoder().encode(snapshot).write(to: Self.stateFile(options), options: .atomic)
        } catch {
            logger.error("could not save simulator state", metadata: ["error": "\(error)"])
        }
    }

    public var productCount: Int { state.withLock { $0.products.count } }

    // MARK: HTTP

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        let path = request.path
        if path.hasPrefix("/_control") { return control(request) }
        if path.hasPrefix("/seeds/images/") { return image(path) }
        if path == "/health" { return json(200, .object(["ok": .bool(true), "brand": .string(brand.rawValue)])) }
        guard authorised(request) else { return error(401, "unauthorized", "A valid API key is required.") }
        // Faults, in the order a real outage would show them. Each is decided when the request
        // arrives: a request still sleeping out an earlier latency, whose client has given up, must
        // not take the malformed page meant for the next one.
        enum Fault { case none, down, fail, limited(Int), slow(Int), malformed }
        let listing = request.method == .GET && path.split(separator: "/").map(String.init) == listPath
        let (fault, latency) = state.withLock { s -> (Fault, Int) in
            s.requests += 1
            let latency = s.faults.latencyMs
            if s.faults.down { return (.down, latency) }
            if s.faults.fail5xx > 0 { s.faults.fail5xx -= 1; return (.fail, latency) }
            if s.faults.rateLimit > 0 { s.faults.rateLimit -= 1; return (.limited(s.faults.retryAfter), latency) }
            if s.faults.timeouts > 0 { s.faults.timeouts -= 1; return (.slow(s.faults.timeoutMs), latency) }
            if listing && s.faults.malformedPages > 0 { s.faults.malformedPages -= 1; return (.malformed, latency) }
            return (.none, latency)
        }
        if latency > 0 { try? await Task.sleep(nanoseconds: UInt64(latency) * 1_000_000) }
        switch fault {
        case .down: return error(503, "unavailable", "The service is down for maintenance.")
        case .fail: return error(503, "unavailable", "Temporary failure.")
        case let .limited(seconds):
            var response = error(429, "rate_limited", "Too many requests.")
            response.headers.append(("retry-after", String(seconds)))
            return response
        case let .slow(ms): try? await Task.sleep(nanoseconds: UInt64(ms) * 1_000_000)
        case .malformed: return HTTPResponse(status: 200, body: Array("{\"products\": [{\"sku\": \"AUR-".utf8))
        case .none: break
        }
        var response = await route(request)
        response.headers.append(contentsOf: [("x-ratelimit-limit", "600"), ("x-ratelimit-remaining", "599"), ("x-ratelimit-reset", "60")])
        return response
    }

    func authorised(_ request: HTTPRequest) -> Bool {
        switch brand {
        case .aurelia: request.header("authorization") == "Bearer \(options.apiKey)"
        case .northbridge: request.header("x-api-key") == options.apiKey
        }
    }

    var listPath: [String] { brand == .aurelia ? ["v1", "products"] : ["api", "catalog", "items"] }

    func route(_ request: HTTPRequest) async -> HTTPResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        let api = listPath
        let stockPath = brand == .aurelia ? ["v1", "stock"] : ["api", "inventory"]
        let ordersPath = brand == .aurelia ? ["v1", "orders"] : ["api", "orders"]
        switch (request.method, parts) {
        case (.GET, api): return list(request)
        case (.GET, _) where parts.count == api.count + 1 && Array(parts.prefix(api.count)) == api:
            return product(parts.last!.removingPercentEncoding ?? parts.last!)
        case (.GET, stockPath): return stock(request)
        case (.POST, ordersPath): return await createOrder(request)
        case (.GET, _) where parts.count == ordersPath.count + 1 && Array(parts.prefix(ordersPath.count)) == ordersPath:
            return order(parts.last!)
        default: return error(404, "not_found", "No route for \(request.method.rawValue) \(request.path).")
        }
    }

    func list(_ request: HTTPRequest) -> HTTPResponse {
        let q = request.query
        let since = brand == .aurelia ? q["updated_since"] : q["modifiedSince"]
        let cursorText = brand == .aurelia ? q["cursor"] : q["after"]
        let limit = max(1, min(1000, Int((brand == .aurelia ? q["limit"] : q["pageSize"]) ?? "") ?? (brand == .aurelia ? 200 : 100)))
        var after: (String, String)?
        if let cursorText {
            guard let data = Data(base64Encoded: cursorText), let text = String(data: data, encoding: .utf8),
                  let bar = text.firstIndex(of: "|") else { return error(400, "bad_cursor", "The cursor is not one this API issued.") }
            after = (String(text[..<bar]), String(text[text.index(after: bar)...]))
        }
        let updatedKey = self.updatedKey
        let (order, products) = state.withLock { s -> ([(stamp: String, key: String)], [String: JSONValue]) in
            if s.order == nil {
                s.order = s.products.map { (stamp: $0.value[updatedKey]?.string ?? "", key: $0.key) }.sorted { ($0.stamp, $0.key) < ($1.stamp, $1.key) }
            }
            return (s.order!, s.products)
        }
        // Binary search for the first entry after the cursor (or at/after `since`).
        var low = 0, high = order.count
        while low < high {
            let mid = (low + high) / 2
            let entry = order[mid]
            let before: Bool
            if let after { before = (entry.stamp, entry.key) <= after } else if let since { before = entry.stamp < since } else { before = false }
            if before { low = mid + 1 } else { high = mid }
        }
        var page: [JSONValue] = []
        var last: (String, String)?
        var more = false
        var index = low
        while index < order.count {
            let entry = order[index]
            index += 1
            if let since, entry.stamp < since { continue }
            if page.count == limit { more = true; break }
            if let value = products[entry.key] { page.append(value) }
            last = (entry.stamp, entry.key)
        }
        let next: JSONValue = more ? last.map { .string(Data("\($0.0)|\($0.1)".utf8).base64EncodedString()) } ?? .null : .null
        switch brand {
        case .aurelia:
            return json(200, .object(["products": .array(page), "next_cursor": next, "count": .number(Double(page.count))]))
        case .northbridge:
            return json(200, .object(["data": .object(["items": .array(page)]),
                                      "paging": .object(["next": next, "pageSize": .number(Double(limit))])]))
        }
    }

    func product(_ sku: String) -> HTTPResponse {
        guard let product = state.withLock({ $0.products[sku] }) else { return error(404, "not_found", "No product \(sku).") }
        return json(200, brand == .aurelia ? product : .object(["item": product]))
    }

    func stockQuantity(_ product: JSONValue) -> Int {
        switch brand {
        case .aurelia: return product["stock_qty"]?.string.flatMap { Int($0) } ?? 0
        case .northbridge: return (product["variants"]?.array ?? []).reduce(0) { $0 + ($1["onHand"]?.string.flatMap { Int($0) } ?? 0) }
        }
    }

    func stock(_ request: HTTPRequest) -> HTTPResponse {
        let skus = ((brand == .aurelia ? request.query["skus"] : request.query["ids"]) ?? "").split(separator: ",").map(String.init)
        let products = state.withLock { s in skus.compactMap { s.products[$0] } }
        let now = Timestamps.format(Date())
        switch brand {
        case .aurelia:
            return json(200, .object(["stock": .array(products.map { p in
                .object(["sku": p["sku"] ?? .null, "stock_qty": p["stock_qty"] ?? .number(0), "base_cost_cents": p["base_cost_cents"] ?? .null,
                         "status": p["status"] ?? .null, "as_of": .string(now)])
            })]))
        case .northbridge:
            return json(200, .object(["inventory": .array(products.map { p in
                .object(["itemId": p["itemId"] ?? .null, "active": p["active"] ?? .null, "checkedAt": .string(now),
                         "variants": .array((p["variants"]?.array ?? []).map {
                             .object(["variantId": $0["variantId"] ?? .null, "onHand": $0["onHand"] ?? .number(0), "price": $0["price"] ?? .null])
                         })])
            })]))
        }
    }

    // MARK: orders

    func createOrder(_ request: HTTPRequest) async -> HTTPResponse {
        guard let key = request.header("idempotency-key"), !key.isEmpty, key.count <= 128 else {
            return error(400, "idempotency_key_required", "Send an Idempotency-Key header.")
        }
        guard let body = try? JSONValue.parse(request.body) else { return error(400, "bad_json", "The body is not JSON.") }
        let hash = SHA256.hash(data: body.encoded()).map { String(format: "%02x", $0) }.joined()
        let linesKey = brand == .aurelia ? "lines" : "items"
        let skuKey = self.skuKey
        let qtyKey = brand == .aurelia ? "qty" : "quantity"
        let lines = body[linesKey]?.array ?? []
        guard !lines.isEmpty else { return error(422, "no_lines", "An order needs at least one line.") }
        let known = state.withLock { s in lines.allSatisfy { $0[skuKey]?.string.map { s.products[$0] != nil } ?? false } }
        guard known else { return error(422, "unknown_sku", "An order line names a product we do not sell.") }
        enum Outcome { case first(Order), repeated(Order), conflict }
        let (outcome, slow) = state.withLock { s -> (Outcome, Int) in
            if let existing = s.orders.first(where: { $0.key == key }) {
                return (existing.bodyHash == hash ? .repeated(existing) : .conflict, 0)
            }
            let number = s.orders.count + 1
            let id = brand == .aurelia ? String(format: "AUR-PO-%05d", number) : String(format: "NB-ORD-%05d", number)
            let created = Timestamps.format(Date())
            let answer: JSONValue
            let cleanLines = JSONValue.array(lines.map { .object([skuKey: $0[skuKey] ?? .null, qtyKey: $0[qtyKey] ?? .number(1)]) })
            switch brand {
            case .aurelia:
                answer = .object(["order_id": .string(id), "status": .string("received"), "po_number": body["po_number"] ?? .null,
                                  "lines": cleanLines, "created_at": .string(created)])
            case .northbridge:
                answer = .object(["order": .object(["id": .string(id), "state": .string("received"), "reference": body["reference"] ?? .null,
                                                    "items": cleanLines, "createdAt": .string(created)])])
            }
            let order = Order(id: id, key: key, bodyHash: hash, answer: answer)
            s.orders.append(order)
            var slow = 0
            if s.faults.slowOrders > 0 { s.faults.slowOrders -= 1; slow = s.faults.timeoutMs }
            return (.first(order), slow)
        }
        switch outcome {
        case .conflict: return error(409, "idempotency_conflict", "This Idempotency-Key was used with a different order.")
        case let .repeated(order): return json(200, order.answer)
        case let .first(order):
            persist()
            if slow > 0 { try? await Task.sleep(nanoseconds: UInt64(slow) * 1_000_000) }
            return json(201, order.answer)
        }
    }

    func order(_ id: String) -> HTTPResponse {
        guard let order = state.withLock({ $0.orders.first { $0.id == id } }) else { return error(404, "not_found", "No order \(id).") }
        return json(200, order.answer)
    }

    // MARK: images

    func image(_ path: String) -> HTTPResponse {
        let relative = String(path.dropFirst("/seeds/images/".count))
        let parts = relative.split(separator: "/")
        guard parts.count == 2, parts.allSatisfy({ !$0.hasPrefix(".") && $0.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) } }),
              parts[1].hasSuffix(".jpg") else { return error(404, "not_found", "No such image.") }
        let url = options.seeds.appendingPathComponent("images").appendingPathComponent(String(parts[0])).appendingPathComponent(String(parts[1]))
        guard let data = try? Data(contentsOf: url) else { return error(404, "not_found", "No such image.") }
        return HTTPResponse(status: 200, contentType: "image/jpeg", headers: [("cache-control", "max-age=86400")],
                            body: Self.withCameraMetadata(Array(data)))
    }

    /// Real brand photos carry camera metadata (EXIF with GPS, comments); the simulator adds
    /// some so that Facet's stripping is exercised.
    static func withCameraMetadata(_ jpeg: [UInt8]) -> [UInt8] {
        guard jpeg.count > 4, jpeg[0] == 0xFF, jpeg[1] == 0xD8 else { return jpeg }
        func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
            [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        }
        let exif = segment(0xE1, Array("Exif\0\0BrandCam 5D; GPS 45.4642N 9.1900E; owner studio".utf8))
        let comment = segment(0xFE, Array("retouched by the brand studio".utf8))
        // After SOI and the JFIF APP0 segment, where cameras put them.
        var insertAt = 2
        if jpeg[2] == 0xFF, jpeg[3] == 0xE0, jpeg.count > 6 { insertAt = 4 + (Int(jpeg[4]) << 8 | Int(jpeg[5])) }
        return Array(jpeg[..<insertAt]) + exif + comment + Array(jpeg[insertAt...])
    }

    // MARK: helpers

    func json(_ status: Int, _ value: JSONValue) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("cache-control", "no-store")], body: value.encoded())
    }

    func error(_ status: Int, _ code: String, _ message: String) -> HTTPResponse {
        json(status, .object(["error": .object(["code": .string(code), "message": .string(message)])]))
    }
}

extension JSONValue {
    func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case var .object(o) = self else { return self }
        o[key] = value
        return .object(o)
    }
}
