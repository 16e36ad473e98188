import FacetHTTP
import FacetSourcing
import Foundation

/// The test and demo control surface of a simulator: faults, catalog changes (which also
/// send the webhooks a real brand would), orders received.
extension BrandSimulator {
    func control(_ request: HTTPRequest) -> HTTPResponse {
        let body = request.body.isEmpty ? JSONValue.object([:]) : ((try? JSONValue.parse(request.body)) ?? .null)
        switch (request.method, request.path) {
        case (.GET, "/_control"):
            return json(200, status())
        case (.POST, "/_control"), (.POST, "/_control/faults"):
            guard case .object = body else { return error(400, "bad_json", "Send a JSON object of fault switches.") }
            state.withLock { s in
                if case .bool(true)? = body["reset"] { s.faults = Faults() }
                s.faults.merge(body)
                if let url = body["webhookURL"]?.string { s.webhookURL = url }
                if let secret = body["webhookSecret"]?.string { s.webhookSecret = secret }
            }
            return json(200, status())
        case (.POST, "/_control/change"):
            do { return json(200, try change(body)) } catch {
                return self.error(422, "bad_change", "\(error)")
            }
        case (.GET, "/_control/orders"):
            let orders = state.withLock { $0.orders }
            return json(200, .object(["count": .number(Double(orders.count)),
                                      "orders": .array(orders.map { .object(["id": .string($0.id), "idempotencyKey": .string($0.key), "order": $0.answer]) })]))
        default:
            return error(404, "not_found", "No control route \(request.path).")
        }
    }

    func status() -> JSONValue {
        state.withLock { s in
            let faults = (try? JSONValue.parse(Array(JSONEncoder().encode(s.faults)))) ?? .null
            return .object(["brand": .string(brand.rawValue), "products": .number(Double(s.products.count)),
                            "orders": .number(Double(s.orders.count)), "requests": .number(Double(s.requests)),
                            "webhooksSent": .number(Double(s.webhooksSent)), "webhookURL": s.webhookURL.map(JSONValue.string) ?? .null,
                            "faults": faults])
        }
    }

    struct ChangeError: Error, CustomStringConvertible { let description: String }

    /// `{"action": "price"|"stock"|"discontinue"|"create"|"touch"|"synthesize", "sku", "cost" (minor units),
    /// "stock", "newSku", "count", "webhook": true}`.
    func change(_ body: JSONValue) throws -> JSONValue {
        guard let action = body["action"]?.string else { throw ChangeError(description: "action is required") }
        let webhook: Bool = { if case .bool(false)? = body["webhook"] { return false }; return true }()
        let sku = body["sku"]?.string
        let now = Timestamps.format(Date())
        func need(_ sku: String?) throws -> (String, JSONValue) {
            guard let sku, let product = state.withLock({ $0.products[sku] }) else { throw ChangeError(description: "unknown sku \(sku ?? "nil")") }
            return (sku, product)
        }
        switch action {
        case "price":
            let (sku, product) = try need(sku)
            guard let cost = body["cost"]?.string.flatMap({ Int64($0) }), cost > 0 else { throw ChangeError(description: "cost (minor units) is required") }
            let updated = withPrice(product, cost: cost).setting(updatedKey, .string(now))
            save(sku, updated)
            if webhook { sendWebhook("product.updated", data: .object(["sku": .string(sku), "product": updated])) }
            return updated
        case "stock":
            let (sku, product) = try need(sku)
            guard let qty = body["stock"]?.string.flatMap({ Int($0) }), qty >= 0 else { throw ChangeError(description: "stock is required") }
            let updated = withStock(product, qty).setting(updatedKey, .string(now))
            save(sku, updated)
            if webhook {
                sendWebhook("stock.changed", data: .object(["items": .array([.object(["sku": .string(sku), "stock_qty": .number(Double(qty))])])]))
            }
            return updated
        case "discontinue":
            let (sku, product) = try need(sku)
            let updated = (brand == .aurelia ? product.setting("status", .string("discontinued")) : product.setting("active", .bool(false)))
                .setting(updatedKey, .string(now))
            save(sku, updated)
            if webhook { sendWebhook("product.discontinued", data: .object(["sku": .string(sku), "product": updated])) }
            return updated
        case "create":
            let template = try need(sku ?? state.withLock { $0.products.keys.sorted().first })
            let newSku = body["newSku"]?.string ?? nextSku(template.0)
            guard state.withLock({ $0.products[newSku] == nil }) else { throw ChangeError(description: "\(newSku) exists") }
            let created = clone(template.1, sku: newSku, title: body["title"]?.string).setting(updatedKey, .string(now))
            save(newSku, created)
            if webhook { sendWebhook("product.updated", data: .object(["sku": .string(newSku), "product": created])) }
            return created
        case "touch":
            // Changes the stock of N products (synthetic ones first), without webhooks: a bulk feed update.
            let count = body["count"]?.string.flatMap { Int($0) } ?? 1
            let touched = state.withLock { s -> Int in
                let keys = s.products.keys.sorted { ($0.contains("-SYN-") ? 0 : 1, $0) < ($1.contains("-SYN-") ? 0 : 1, $1) }.prefix(count)
                for key in keys {
                    let p = s.products[key]!
                    s.products[key] = withStock(p, stockQuantity(p) + 1).setting(updatedKey, .string(now))
                }
                return keys.count
            }
            return .object(["touched": .number(Double(touched))])
        case "synthesize":
            let count = body["count"]?.string.flatMap { Int($0) } ?? 1000
            return .object(["created": .number(Double(synthesize(count, webhooks: false)))])
        default:
            throw ChangeError(description: "unknown action \(action)")
        }
    }

    func save(_ sku: String, _ product: JSONValue) {
        state.withLock {
            $0.products[sku] = product
            $0.changed.insert(sku)
        }
        persist()
    }

    /// Extra products cloned from the catalog, for load tests; they are not persisted.
    func synthesize(_ count: Int, webhooks: Bool) -> Int {
        let now = Timestamps.format(Date())
        return state.withLock { s -> Int in
            let templates = s.products.keys.filter { !$0.contains("-SYN-") }.sorted()
            guard !templates.isEmpty else { return 0 }
            var made = 0
            var n = s.products.keys.filter { $0.contains("-SYN-") }.count
            while made < count {
                n += 1
                let template = s.products[templates[n % templates.count]]!
                let sku = brand == .aurelia ? String(format: "AUR-X-SYN-%06d", n) : String(format: "NB-SYN-%06d", n)
                s.products[sku] = clone(template, sku: sku, title: nil).setting(updatedKey, .string(now))
                made += 1
            }
            return made
        }
    }

    func nextSku(_ template: String) -> String {
        state.withLock { s in
            var n = s.createdSeq
            while true {
                n += 1
                let sku = brand == .aurelia ? String(format: "AUR-N-%05d", n) : String(format: "NB-%05d", 90_000 + n)
                if s.products[sku] == nil { s.createdSeq = n; return sku }
            }
        }
    }

    func clone(_ template: JSONValue, sku: String, title: String?) -> JSONValue {
        var copy = template.setting(skuKey, .string(sku))
        if let title { copy = copy.setting("title", .string(title)) }
        switch brand {
        case .aurelia:
            copy = copy.setting("status", .string("active"))
        case .northbridge:
            copy = copy.setting("active", .bool(true)).setting("handle", .string(sku.lowercased()))
            if let variants = copy["variants"]?.array {
                copy = copy.setting("variants", .array(variants.enumerated().map { $1.setting("variantId", .string("\(sku)-\($0 + 1)")) }))
            }
        }
        return copy
    }

    func withPrice(_ product: JSONValue, cost: Int64) -> JSONValue {
        switch brand {
        case .aurelia:
            let old = Double(product["base_cost_cents"]?.string.flatMap { Int64($0) } ?? cost)
            let tiers = (product["price_tiers"]?.array ?? []).map { tier -> JSONValue in
                let unit = Double(tier["unit_cost_cents"]?.string.flatMap { Int64($0) } ?? cost)
                return tier.setting("unit_cost_cents", .number((unit * Double(cost) / max(old, 1)).rounded()))
            }
            return product.setting("base_cost_cents", .number(Double(cost))).setting("price_tiers", .array(tiers))
        case .northbridge:
            let decimal = String(format: "%d.%02d", cost / 100, cost % 100)
            let variants = (product["variants"]?.array ?? []).map { $0.setting("price", .string(decimal)) }
            return product.setting("variants", .array(variants))
        }
    }

    func withStock(_ product: JSONValue, _ qty: Int) -> JSONValue {
        switch brand {
        case .aurelia:
            return product.setting("stock_qty", .number(Double(qty)))
        case .northbridge:
            let variants = (product["variants"]?.array ?? []).enumerated().map { $1.setting("onHand", .number(Double($0 == 0 ? qty : 0))) }
            return product.setting("variants", .array(variants))
        }
    }

    // MARK: webhooks

    /// Signs and posts one event to Facet, retrying with backoff like a real sender.
    func sendWebhook(_ type: String, data: JSONValue) {
        let name = self.brand.rawValue
        let (url, secret, id, wrong) = state.withLock { s -> (String?, String?, String, Bool) in
            s.webhookSeq += 1
            return (s.webhookURL, s.webhookSecret, "wh_\(name)_\(UUID().uuidString.prefix(8))_\(s.webhookSeq)", s.faults.wrongSignature)
        }
        guard let url, let secret else { return }
        let body = JSONValue.object(["id": .string(id), "type": .string(type), "created_at": .string(Timestamps.format(Date())),
                                     "data": data]).encoded()
        let timestamp = Int(Date().timeIntervalSince1970)
        let signature = WebhookSignature.sign(secret: wrong ? secret + "-wrong" : secret, timestamp: timestamp, body: body)
        let request = HTTPClientRequest(method: "POST", url: url, headers: [
            ("X-Facet-Webhook-Id", id), ("X-Facet-Webhook-Timestamp", String(timestamp)), ("X-Facet-Webhook-Signature", signature),
        ], body: body, timeout: 5)
        let client = self.client
        let logger = self.logger
        let brand = name
        Task.detached { [self] in
            do {
                let response = try await client.send(request, backoff: Backoff(base: 0.5, cap: 5, maxAttempts: wrong ? 1 : 4))
                state.withLock { $0.webhooksSent += 1 }
                if !response.isSuccess {
                    logger.warning("webhook refused", metadata: ["brand": "\(brand)", "status": "\(response.status)", "type": "\(type)"])
                }
            } catch {
                logger.warning("webhook not delivered", metadata: ["brand": "\(brand)", "error": "\(error)"])
            }
        }
    }
}
