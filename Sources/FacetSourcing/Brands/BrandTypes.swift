import FacetCore
import Foundation

/// Sync health of one brand, as `GET /api/admin/sync` shows it.
public struct BrandHealth: Codable, Sendable, Equatable {
    public var brand: String
    public var name: String
    public var baseURL: String
    public var lastSuccessAt: Date?
    public var lastAttemptAt: Date?
    public var lastFullSyncAt: Date?
    public var lagSeconds: Int?
    public var itemsSynced: Int
    public var errors24h: Int
    public var webhooksReceived: Int
    public var products: Int
    public var activeProducts: Int
    public var lastError: String?
    public var cursor: String?
    public var syncing: Bool
    public var healthy: Bool

    enum CodingKeys: String, CodingKey {
        case brand, name, baseURL, lastSuccessAt, lastAttemptAt, lastFullSyncAt, lagSeconds, itemsSynced, errors24h,
             webhooksReceived, products, activeProducts, lastError, cursor, syncing, healthy
    }

    /// Fields not known yet are sent as null rather than left out.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(brand, forKey: .brand)
        try c.encode(name, forKey: .name)
        try c.encode(baseURL, forKey: .baseURL)
        try c.encode(lastSuccessAt, forKey: .lastSuccessAt)
        try c.encode(lastAttemptAt, forKey: .lastAttemptAt)
        try c.encode(lastFullSyncAt, forKey: .lastFullSyncAt)
        try c.encode(lagSeconds, forKey: .lagSeconds)
        try c.encode(itemsSynced, forKey: .itemsSynced)
        try c.encode(errors24h, forKey: .errors24h)
        try c.encode(webhooksReceived, forKey: .webhooksReceived)
        try c.encode(products, forKey: .products)
        try c.encode(activeProducts, forKey: .activeProducts)
        try c.encode(lastError, forKey: .lastError)
        try c.encode(cursor, forKey: .cursor)
        try c.encode(syncing, forKey: .syncing)
        try c.encode(healthy, forKey: .healthy)
    }
}

/// The answer of a live stock and price check.
public struct LiveCheck: Codable, Sendable, Equatable {
    public var sku: String
    public var brand: String
    public var stock: Int
    public var baseCost: CatalogProduct.Cost
    public var status: String
    /// True when the brand answered now; false when these are cached values.
    public var live: Bool
    public var asOf: Date
    public var ageSeconds: Int
    public var reason: String?
}

public enum WebhookOutcome: Sendable, Equatable {
    case applied(changes: Int)
    case duplicate
}

public enum SourcingError: Error, Sendable, Equatable {
    case unknownBrand(String)
    case unknownProduct(String)
    case rejected(String)
    case badPayload(String)
    case failed(String)
}
