import FacetCore
import FacetStore
import Foundation

/// The live stock and price check of one SKU with its brand, with the cached values as the fallback.
public final class LiveStockCheck: Sendable {
    let brands: Brands

    init(brands: Brands) { self.brands = brands }

    /// Stock and cost straight from the brand within `liveTimeout`; otherwise the cached
    /// values with the time they were last confirmed.
    public func check(sku: String) async throws -> LiveCheck {
        guard let entry = try await brands.products.entry(sku: sku) else { throw SourcingError.unknownProduct(sku) }
        let product = entry.product
        let connector = try brands.connector(for: product.brand)
        let cached = { (reason: String) -> LiveCheck in
            LiveCheck(sku: sku, brand: product.brand, stock: product.stock, baseCost: product.baseCost, status: product.status.rawValue,
                      live: false, asOf: entry.stockCheckedAt, ageSeconds: Int(Date().timeIntervalSince(entry.stockCheckedAt).rounded()),
                      reason: reason)
        }
        do {
            let readings = try await connector.stock(skus: [sku], timeout: brands.options.liveTimeout)
            guard let reading = readings.first(where: { $0.sku == sku }) else { return cached("the brand did not list this SKU") }
            let now = Date()
            let change = try await brands.database.writer.write { db in
                try CatalogStore.applyStock(db, brand: product.brand, sku: sku, stock: reading.stock, cost: reading.cost, at: now)
            }
            if let change { brands.announce([change]) }
            let fresh = change?.product ?? product
            return LiveCheck(sku: sku, brand: product.brand, stock: reading.stock,
                             baseCost: .init(amount: reading.cost ?? fresh.baseCost.amount, currency: fresh.baseCost.currency),
                             status: fresh.status.rawValue, live: true, asOf: now, ageSeconds: 0, reason: nil)
        } catch {
            try? brands.syncState.recordError(brand: product.brand, message: "live check \(sku): \(error)", kind: "live")
            return cached("\(error)")
        }
    }
}
