import FacetCore
import FacetStore
import Foundation
import Synchronization

/// Each brand's sync health, and a push when something an operator cares about moved.
public final class BrandHealthMonitor: Sendable {
    let brands: Brands
    let onHealth: @Sendable (BrandHealth) -> Void
    private let lastPushed = Mutex<[String: String]>([:])

    init(brands: Brands, onHealth: @escaping @Sendable (BrandHealth) -> Void) {
        self.brands = brands
        self.onHealth = onHealth
    }

    public func health(brand: String, now: Date = Date()) throws -> BrandHealth {
        let connector = try brands.connector(for: brand)
        let state = try brands.syncState.syncState(brand: brand, now: now)
        let lag = state.lastSuccessAt.map { Int(now.timeIntervalSince($0).rounded()) }
        let healthy = state.lastError == nil && (lag.map { Double($0) <= max(brands.options.syncInterval * 3, 180) } ?? false)
        return BrandHealth(brand: brand, name: connector.mapping.name, baseURL: connector.config.baseURL,
                           lastSuccessAt: state.lastSuccessAt, lastAttemptAt: state.lastAttemptAt, lastFullSyncAt: state.lastFullSyncAt,
                           lagSeconds: lag, itemsSynced: state.itemsSynced, errors24h: state.errors24h,
                           webhooksReceived: state.webhooksReceived, products: state.products, activeProducts: state.activeProducts,
                           lastError: state.lastError, cursor: state.cursor, syncing: brands.running.withLock { $0.contains(brand) },
                           healthy: healthy)
    }

    public func health() throws -> [BrandHealth] { try brands.names.map { try health(brand: $0) } }

    /// Pushes a brand's health when something an operator cares about moved (not the
    /// lag ticking), or at least once a minute while it syncs.
    func push(_ brand: String) {
        guard let health = try? health(brand: brand) else { return }
        let signature = "\(health.itemsSynced)|\(health.errors24h)|\(health.webhooksReceived)|\(health.products)|\(health.activeProducts)|\(health.healthy)|\(health.lastFullSyncAt.map { "\($0.timeIntervalSince1970)" } ?? "")|\(Int((health.lastSuccessAt?.timeIntervalSince1970 ?? 0) / 60))"
        let changed = lastPushed.withLock { pushed -> Bool in
            if pushed[brand] == signature { return false }
            pushed[brand] = signature
            return true
        }
        if changed { onHealth(health) }
    }
}
