import Foundation

// MARK: - Brand and marketplace records (the shapes written to seeds/)

/// Aurelia Fine Jewelry: one flat snake_case record per SKU, costs in cents.
public struct AureliaProduct: Codable, Sendable, Equatable {
    public struct PriceTier: Codable, Sendable, Equatable {
        public var min_qty: Int
        public var unit_cost_cents: Int
    }
    public var sku: String
    public var title: String
    public var category: String
    public var sub_type: String
    public var metal_type: String
    public var metal_purity: String
    public var plating: String
    public var gemstone_type: String
    public var gemstone_color: String
    public var gemstone_cut: String
    public var gemstone_count: Int
    public var accent_gemstone_type: String
    public var accent_gemstone_count: Int
    public var style: String
    public var craftsmanship: String
    public var pattern: String
    public var setting_type: String
    public var ring_sizes: String?
    public var chain_lengths_cm: String?
    public var base_cost_cents: Int
    public var currency: String
    public var moq: Int
    public var price_tiers: [PriceTier]
    public var stock_qty: Int
    public var lead_time_ready_days: Int
    public var lead_time_made_to_order_days: Int
    public var image_paths: [String]
    public var status: String
    public var updated_at: String
}

/// Northbridge Silver: nested product with variants, decimal-string prices and its own names.
public struct NorthbridgeItem: Codable, Sendable, Equatable {
    public struct Stone: Codable, Sendable, Equatable {
        public var stone: String
        public var hue: String
        public var shape: String
        public var qty: Int
    }
    public struct Details: Codable, Sendable, Equatable {
        public var material: String
        public var fineness: String
        public var finish: String
        public var stones: [Stone]
        public var look: String
        public var technique: String
        public var motif: String
        public var mount: String
        public var silhouette: String
    }
    public struct Tier: Codable, Sendable, Equatable {
        public var fromQty: Int
        public var price: String
    }
    public struct LeadTime: Codable, Sendable, Equatable {
        public var inStockDays: Int
        public var madeToOrderDays: Int
    }
    public struct Variant: Codable, Sendable, Equatable {
        public var variantId: String
        public var option: [String: String]
        public var price: String
        public var currency: String
        public var onHand: Int
        public var minOrder: Int
        public var tiers: [Tier]
        public var leadTime: LeadTime
    }
    public struct Media: Codable, Sendable, Equatable {
        public var src: String
        public var angle: String
        public var position: Int
    }
    public var itemId: String
    public var handle: String
    public var title: String
    public var productType: String
    public var details: Details
    public var variants: [Variant]
    public var media: [Media]
    public var active: Bool
    public var lastModified: String
}

/// One Alibaba-style search result.
public struct MarketplaceListing: Codable, Sendable, Equatable {
    public struct Supplier: Codable, Sendable, Equatable {
        public var name: String
        public var country: String
        public var yearsOnPlatform: Int
        public var rating: Double
        public var reviewCount: Int
        public var responseRate: String
        public var responseTime: String
        public var verified: Bool
    }
    public struct GroundTruth: Codable, Sendable, Equatable {
        public var attributes: Attributes
        public var designId: String
        /// "same_design", "variant" or "unrelated".
        public var relation: String
        public var sameDesignAs: String?
        public var variantOf: String?
        /// What a variant changes: "metal" or "gemstone".
        public var differs: [String]?
    }
    public var id: String
    public var url: String
    public var title: String
    public var category: String
    public var priceText: String
    public var moqText: String
    public var leadTimeText: String
    public var shippingText: String
    public var soldText: String
    public var supplier: Supplier
    public var mainImage: String
    public var extraImages: [String]
    public var groundTruth: GroundTruth
}

/// The complete demo world for one seed.
public struct SeedWorld: Sendable {
    public var seed: UInt64
    public var aurelia: [AureliaProduct]
    public var northbridge: [NorthbridgeItem]
    public var listings: [MarketplaceListing]
    public var images: [ImageRecord]

    /// Counts used by tests and the closing summary.
    public var productCounts: [Source: Int] {
        [.aurelia: aurelia.count, .northbridge: northbridge.count, .marketplace: listings.count]
    }
}
