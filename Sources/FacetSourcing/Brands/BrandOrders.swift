import FacetCore
import FacetStore
import Foundation
import Synchronization

/// Order notifications to brands. The idempotency key is stored before the first attempt
/// and reused by every retry (in the request, then from a background loop).
public final class BrandOrders: Sendable {
    let brands: Brands
    private let inFlight = Mutex<Set<String>>([])
    private let retryLoop = Mutex<Task<Void, Never>?>(nil)

    init(brands: Brands) { self.brands = brands }

    func start() {
        let task = Task.detached { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(max(5, brands.options.syncInterval) * 1e9))
                for brand in brands.names { await retryPending(brand: brand) }
            }
        }
        retryLoop.withLock { $0 = task }
    }

    func stop() { retryLoop.withLock { $0?.cancel(); $0 = nil } }

    /// Notifies the owning brand of a confirmed order. The idempotency key is stored first
    /// and reused on every retry, so the brand creates the order at most once.
    public func notify(brand: String, facetOrderId: String, lines: [BrandConnector.OrderLine], idempotencyKey: String? = nil) async throws -> BrandOrderRecord {
        let connector = try brands.connector(for: brand)
        let key = idempotencyKey ?? "facet-\(brand)-\(facetOrderId)"
        let body = connector.orderBody(reference: facetOrderId, lines: lines)
        let record = try brands.brandOrders.brandOrder(key: key, brand: brand, facetOrderId: facetOrderId, request: String(decoding: body, as: UTF8.self))
        if record.status == "sent" { return record }
        return try await send(record, connector: connector)
    }

    func send(_ record: BrandOrderRecord, connector: BrandConnector) async throws -> BrandOrderRecord {
        // One attempt at a time per key; a concurrent caller gets the record as it stands.
        guard inFlight.withLock({ $0.insert(record.idempotencyKey).inserted }) else { return record }
        defer { inFlight.withLock { _ = $0.remove(record.idempotencyKey) } }
        do {
            let result = try await connector.createOrder(key: record.idempotencyKey, body: Array(record.request.utf8))
            return try brands.brandOrders.updateBrandOrder(key: record.idempotencyKey, status: "sent", brandOrderId: result.orderId,
                                              brandStatus: result.status, error: nil) ?? record
        } catch {
            try? brands.syncState.recordError(brand: connector.brand, message: "order \(record.facetOrderId): \(error)", kind: "order")
            return try brands.brandOrders.updateBrandOrder(key: record.idempotencyKey, status: "pending", brandOrderId: nil, brandStatus: nil,
                                              error: "\(error)") ?? record
        }
    }

    func retryPending(brand: String) async {
        guard let connector = brands.connector(brand), let pending = try? brands.brandOrders.pendingBrandOrders() else { return }
        for record in pending where record.brand == brand { _ = try? await send(record, connector: connector) }
    }
}
