import FacetCore
import FacetStore
import Foundation

/// Signed webhook deliveries: verified, recorded once by delivery id, then applied; a
/// delivery that fails to apply is forgotten so the brand's redelivery works.
public final class BrandWebhooks: Sendable {
    let brands: Brands
    let photos: BrandPhotos
    let monitor: BrandHealthMonitor

    init(brands: Brands, photos: BrandPhotos, monitor: BrandHealthMonitor) {
        self.brands = brands
        self.photos = photos
        self.monitor = monitor
    }

    public func receive(brand: String, headers: [String: String], body: [UInt8], now: Date = Date()) async throws -> WebhookOutcome {
        let connector = try brands.connector(for: brand)
        do {
            try WebhookSignature.verify(secrets: connector.config.webhookSecrets, timestamp: headers[WebhookSignature.timestampHeader],
                                        signature: headers[WebhookSignature.signatureHeader], body: body, now: now,
                                        window: brands.options.webhookWindow)
        } catch let rejection as WebhookSignature.Rejection {
            try? brands.syncState.recordError(brand: brand, message: "webhook rejected: \(rejection)", kind: "webhook")
            monitor.push(brand)
            throw SourcingError.rejected(rejection.description)
        }
        guard let payload = try? JSONValue.parse(body), let type = payload["type"]?.string else {
            throw SourcingError.badPayload("The body must be a JSON event with a type.")
        }
        guard let id = headers[WebhookSignature.idHeader] ?? payload["id"]?.string, !id.isEmpty else {
            throw SourcingError.badPayload("The delivery has no id.")
        }
        let fresh = try await brands.database.writer.write { db in try BrandSyncStore.recordDelivery(db, brand: brand, id: id, type: type, at: now) }
        guard fresh else { return .duplicate }
        do {
            let changes = try await apply(type: type, data: payload["data"] ?? .null, connector: connector)
            monitor.push(brand)
            return .applied(changes: changes)
        } catch {
            // Let the brand redeliver: the delivery was not applied.
            try? brands.syncState.forgetDelivery(brand: brand, id: id)
            try? brands.syncState.recordError(brand: brand, message: "webhook \(type) failed: \(error)", kind: "webhook")
            monitor.push(brand)
            throw error
        }
    }

    func apply(type: String, data: JSONValue, connector: BrandConnector) async throws -> Int {
        let brand = connector.brand
        switch type {
        case "product.updated", "product.discontinued":
            var native = data["product"]
            let sku = data["sku"]?.string ?? native.flatMap { try? connector.mapping.catalogProduct(from: $0, baseURL: connector.config.baseURL).sku }
            guard let sku else { throw SourcingError.badPayload("A product event needs data.sku or data.product.") }
            if native == nil { native = try await connector.product(sku: sku) }
            if native == nil, type == "product.discontinued" {
                let changes = try await brands.database.writer.write { db -> [CatalogChange] in
                    guard var product = try CatalogStore.entry(db, sku: sku)?.product, product.brand == brand else { return [] }
                    product.status = .discontinued
                    return try CatalogStore.upsert(db, [.init(product: product, native: "{}", images: nil)], at: Date())
                }
                brands.announce(changes)
                return changes.count
            }
            guard let native else { throw SourcingError.failed("\(brand) has no product \(sku)") }
            var product = try connector.mapping.catalogProduct(from: native, baseURL: connector.config.baseURL)
            if type == "product.discontinued" { product.status = .discontinued }
            let photos = await self.photos.fetch(product.imageURLs, connector: connector, retryMissing: nil)
            let item = CatalogStore.Incoming(product: product, native: String(decoding: native.encoded(), as: UTF8.self), images: photos)
            let changes = try await brands.database.writer.write { db in
                let changes = try CatalogStore.upsert(db, [item], at: Date())
                try BrandSyncStore.recordProgress(db, brand: brand, cursor: nil, items: 1)
                return changes
            }
            brands.announce(changes)
            return changes.count
        case "stock.changed":
            let entries = data["items"]?.array ?? [data]
            let readings: [(String, Int)] = entries.compactMap { entry in
                guard let sku = entry["sku"]?.string, let qty = entry["stock_qty"]?.string.flatMap({ Int($0) }) else { return nil }
                return (sku, qty)
            }
            guard !readings.isEmpty else { throw SourcingError.badPayload("stock.changed needs data.items[].sku and stock_qty.") }
            let changes = try await brands.database.writer.write { db in
                try readings.compactMap { try CatalogStore.applyStock(db, brand: brand, sku: $0.0, stock: $0.1, cost: nil, at: Date()) }
            }
            brands.announce(changes)
            return changes.count
        default:
            return 0 // unknown event types are accepted and ignored, as the contract says
        }
    }
}
