import FacetCore
import FacetHTTP
import FacetSourcing
import FacetStore
import Foundation
import Logging

/// Brand sync for staff (health, catalog with its true sources, live checks, order
/// notifications), the photo store, and the brands' webhook receiver.
enum SourcingRoutes {
    static func register(_ routes: Routes) {
        routes.staff.get("/api/admin/sync", syncHealth)
        routes.staff.post("/api/admin/sync/:brand", runSync)
        routes.everyone.post("/api/webhooks/brands/:brand", webhook)
        routes.staff.get("/api/admin/catalog", catalog)
        routes.staff.get("/api/admin/catalog/:sku", product)
        routes.staff.get("/api/admin/catalog/:sku/live", live)
        routes.staff.get("/api/admin/brand-orders", brandOrders)
        routes.staff.post("/api/admin/brand-orders", notifyBrand)
        routes.everyone.get("/api/images/:name", image)
    }

    static func sourcing(_ context: RequestContext) throws -> SourcingService {
        guard let sourcing = context.services.sourcing else {
            throw DomainError(.unavailable, code: "sourcing_disabled", "No brand is connected to this server.")
        }
        return sourcing
    }

    // MARK: events

    struct ChangeSummary: Encodable {
        let kind: String
        let sku: String
        let brand: String
        let category: String
        let fields: [String]
        let status: String
        let stock: Int
        let baseCost: CatalogProduct.Cost
        let at: Date
    }

    struct CatalogChanged: Encodable { let count: Int; let changes: [ChangeSummary] }

    /// One `catalog.changed` event on the admin topic per committed batch.
    static func publish(_ changes: [CatalogChange], publisher: Publisher, logger: Logger) {
        guard !changes.isEmpty else { return }
        let summaries = changes.map {
            ChangeSummary(kind: $0.kind.rawValue, sku: $0.sku, brand: $0.brand, category: $0.category.rawValue, fields: $0.fields,
                          status: $0.product.status.rawValue, stock: $0.product.stock, baseCost: $0.product.baseCost, at: $0.at)
        }
        for start in stride(from: 0, to: summaries.count, by: 200) {
            let slice = Array(summaries[start..<min(start + 200, summaries.count)])
            do {
                try publisher.publish(topic: "admin", event: "catalog.changed", data: CatalogChanged(count: slice.count, changes: slice))
            } catch {
                logger.error("catalog event not published", metadata: ["error": "\(error)"])
            }
        }
    }

    // MARK: sync

    struct SyncList: Encodable { let brands: [BrandHealth] }

    @Sendable static func syncHealth(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        guard let sourcing = context.services.sourcing else { return .json(SyncList(brands: [])) }
        return .json(SyncList(brands: try sourcing.monitor.health()))
    }

    struct RunView: Encodable {
        let brand: String
        let full: Bool
        let pages: Int
        let items: Int
        let changes: Int
        let seconds: Double
        let skipped: Bool
    }

    @Sendable static func runSync(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let sourcing = try sourcing(context)
        let brand = context.parameter("brand")
        guard sourcing.names.contains(brand) else { throw APIError.notFound("No brand \(brand).") }
        let full = context.request.query["full"] == "true" || context.request.query["full"] == "1"
        do {
            guard let report = try await sourcing.runs.sync(brand: brand, full: full) else {
                return .json(202, RunView(brand: brand, full: full, pages: 0, items: 0, changes: 0, seconds: 0, skipped: true))
            }
            return .json(RunView(brand: brand, full: full, pages: report.pages, items: report.items, changes: report.changes,
                                 seconds: report.seconds, skipped: false))
        } catch {
            throw APIError(502, "brand_unavailable", "The sync failed: \(error)")
        }
    }

    // MARK: webhooks

    struct WebhookReceipt: Encodable { let ok: Bool; let duplicate: Bool; let changes: Int }

    @Sendable static func webhook(_ context: RequestContext) async throws -> HTTPResponse {
        let sourcing = try sourcing(context)
        let brand = context.parameter("brand")
        do {
            switch try await sourcing.webhooks.receive(brand: brand, headers: context.request.headers, body: context.request.body) {
            case .duplicate: return .json(WebhookReceipt(ok: true, duplicate: true, changes: 0))
            case let .applied(changes): return .json(WebhookReceipt(ok: true, duplicate: false, changes: changes))
            }
        } catch let error as SourcingError {
            switch error {
            case .unknownBrand: throw APIError.notFound("No brand \(brand).")
            case let .rejected(reason): throw APIError(401, "bad_signature", "Webhook rejected: \(reason).")
            case let .badPayload(reason): throw APIError(400, "bad_payload", reason)
            case .unknownProduct, .failed: throw APIError(502, "not_applied", "The event could not be applied; deliver it again.")
            }
        } catch {
            throw APIError(502, "not_applied", "The event could not be applied; deliver it again.")
        }
    }

    // MARK: catalog

    struct ImageView: Encodable { let position: Int; let url: String; let sourceURL: String }

    struct Source: Encodable { let brand: String; let name: String?; let native: JSONValue }

    struct ProductView: Encodable {
        let sku: String
        let brand: String
        let title: String
        let category: String
        let attributes: [String: AttributeValue]
        let gemstones: [CatalogProduct.Gemstone]
        let baseCost: CatalogProduct.Cost
        let moq: Int
        let priceTiers: [CatalogProduct.PriceTier]
        let stock: Int
        let leadTimes: CatalogProduct.LeadTimes
        let status: String
        let images: [ImageView]
        let sourceImageURLs: [String]
        let sourceUpdatedAt: Date?
        let syncedAt: Date
        let stockCheckedAt: Date
        let updatedAt: Date
        let source: Source?

        init(_ entry: CatalogEntry, withNative: Bool, brandName: String?) {
            let p = entry.product
            sku = p.sku
            brand = p.brand
            title = p.title
            category = p.category.rawValue
            attributes = p.attributes
            gemstones = p.gemstones
            baseCost = p.baseCost
            moq = p.moq
            priceTiers = p.priceTiers
            stock = p.stock
            leadTimes = p.leadTimes
            status = p.status.rawValue
            images = entry.images.map { ImageView(position: $0.position, url: "/api/images/\($0.fileName)", sourceURL: $0.sourceURL) }
            sourceImageURLs = p.imageURLs
            sourceUpdatedAt = p.sourceUpdatedAt
            syncedAt = entry.syncedAt
            stockCheckedAt = entry.stockCheckedAt
            updatedAt = entry.updatedAt
            source = withNative ? Source(brand: p.brand, name: brandName, native: (try? JSONValue.parse(Array(entry.native.utf8))) ?? .null) : nil
        }
    }

    struct CatalogPage: Encodable { let products: [ProductView]; let total: Int; let limit: Int; let offset: Int }

    @Sendable static func catalog(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let q = context.request.query
        var query = CatalogStore.Query()
        query.brand = q["brand"].flatMap { $0.isEmpty ? nil : $0 }
        query.category = q["category"].flatMap { $0.isEmpty ? nil : $0 }
        query.status = q["status"].flatMap { $0.isEmpty ? nil : $0 }
        query.text = q["q"]
        query.limit = try QueryValues.integer(context, "limit", in: 1...1000) ?? 100
        query.offset = try QueryValues.integer(context, "offset", in: 0...Int(Int32.max)) ?? 0
        let store = CatalogStore(database: context.services.database)
        let (entries, total) = try await store.list(query)
        return .json(CatalogPage(products: entries.map { ProductView($0, withNative: false, brandName: nil) }, total: total,
                                 limit: query.limit, offset: query.offset))
    }

    @Sendable static func product(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let sku = context.parameter("sku")
        guard let entry = try await CatalogStore(database: context.services.database).entry(sku: sku) else {
            throw APIError.notFound("No product \(sku).")
        }
        let name = context.services.sourcing?.brands.connector(entry.product.brand)?.mapping.name
        return .json(ProductView(entry, withNative: true, brandName: name))
    }

    @Sendable static func live(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let sourcing = try sourcing(context)
        do {
            let check = try await sourcing.stock.check(sku: context.parameter("sku"))
            // Only answers the brand gave now count toward the supply report's stock-out rate.
            if check.live { context.services.operations.recordStockCheck(sku: check.sku, brand: check.brand, inStock: check.stock > 0) }
            return .json(check)
        } catch SourcingError.unknownProduct(let sku) {
            throw APIError.notFound("No product \(sku).")
        }
    }

    // MARK: order notifications

    struct OrderInput: Decodable {
        let brand: String?
        let facetOrderId: String
        let lines: [BrandConnector.OrderLine]
        let idempotencyKey: String?
    }

    struct OrderView: Encodable {
        let idempotencyKey: String
        let brand: String
        let facetOrderId: String
        let status: String
        let brandOrderId: String?
        let brandStatus: String?
        let attempts: Int
        let lastError: String?
        let createdAt: Date
        let updatedAt: Date

        init(_ r: BrandOrderRecord) {
            idempotencyKey = r.idempotencyKey
            brand = r.brand
            facetOrderId = r.facetOrderId
            status = r.status
            brandOrderId = r.brandOrderId
            brandStatus = r.brandStatus
            attempts = r.attempts
            lastError = r.lastError
            createdAt = r.createdAt
            updatedAt = r.updatedAt
        }
    }

    @Sendable static func notifyBrand(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let sourcing = try sourcing(context)
        let input = try context.body(OrderInput.self)
        let reference = try AccountRules.requiredText(input.facetOrderId, field: "facetOrderId", maxLength: 64)
        guard !input.lines.isEmpty, input.lines.allSatisfy({ $0.quantity > 0 && !$0.sku.isEmpty }) else {
            throw ValidationFailure(field: "lines", message: "lines must name SKUs with positive quantities.")
        }
        var brand = input.brand
        if brand == nil {
            guard let product = try await sourcing.products.product(sku: input.lines[0].sku) else {
                throw ValidationFailure(field: "lines", message: "Unknown SKU \(input.lines[0].sku).")
            }
            brand = product.brand
        }
        guard let brand, sourcing.names.contains(brand) else { throw ValidationFailure(field: "brand", message: "Unknown brand.") }
        if let key = input.idempotencyKey, key.isEmpty || key.count > 128 {
            throw ValidationFailure(field: "idempotencyKey", message: "idempotencyKey must be 1 to 128 characters.")
        }
        let record = try await sourcing.orders.notify(brand: brand, facetOrderId: reference, lines: input.lines,
                                                    idempotencyKey: input.idempotencyKey)
        return .json(record.status == "sent" ? 201 : 202, OrderView(record))
    }

    struct OrderList: Encodable { let orders: [OrderView] }

    @Sendable static func brandOrders(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let store = BrandOrderStore(database: context.services.database)
        return .json(OrderList(orders: try store.brandOrders().map(OrderView.init)))
    }

    // MARK: photos

    @Sendable static func image(_ context: RequestContext) async throws -> HTTPResponse {
        let name = context.parameter("name")
        let store = ImageStore(directory: context.services.configuration.dataDirectory.appendingPathComponent("images"))
        guard let url = store.file(named: name), let data = try? Data(contentsOf: url) else { throw APIError.notFound("No image \(name).") }
        let type = name.hasSuffix(".png") ? "image/png" : name.hasSuffix(".webp") ? "image/webp" : "image/jpeg"
        return HTTPResponse(status: 200, contentType: type, headers: [("cache-control", "public, max-age=31536000, immutable")], body: Array(data))
    }
}
