import Foundation

/// One product of a brand as Facet's catalog holds it, whatever shape the brand's own
/// system uses. Money is in minor units with its currency; times are UTC.
public struct CatalogProduct: Codable, Sendable, Equatable {
    public struct Cost: Codable, Sendable, Equatable, Hashable {
        public var amount: Int64
        public var currency: String
        public init(amount: Int64, currency: String) {
            self.amount = amount
            self.currency = currency
        }
    }

    public struct PriceTier: Codable, Sendable, Equatable {
        public var minQuantity: Int
        public var unitCost: Int64
        public init(minQuantity: Int, unitCost: Int64) {
            self.minQuantity = minQuantity
            self.unitCost = unitCost
        }
    }

    public struct Gemstone: Codable, Sendable, Equatable {
        public var type: String
        public var color: String?
        public var cut: String?
        public var count: Int
        public var role: String
        public init(type: String, color: String?, cut: String?, count: Int, role: String) {
            self.type = type
            self.color = color
            self.cut = cut
            self.count = count
            self.role = role
        }
    }

    public struct LeadTimes: Codable, Sendable, Equatable {
        public var readyDays: Int?
        public var madeToOrderDays: Int?
        public init(readyDays: Int?, madeToOrderDays: Int?) {
            self.readyDays = readyDays
            self.madeToOrderDays = madeToOrderDays
        }
    }

    public enum Status: String, Codable, Sendable { case active, discontinued }

    public var sku: String
    public var brand: String
    public var title: String
    public var category: Category
    /// The vocabulary of protocol/attributes.md: type, metal, purity, plating, setting,
    /// craftsmanship, pattern, style (strings), ringSizes (strings), chainLengthsCm (integers as strings).
    public var attributes: [String: AttributeValue]
    public var gemstones: [Gemstone]
    public var baseCost: Cost
    public var moq: Int
    public var priceTiers: [PriceTier]
    public var stock: Int
    public var leadTimes: LeadTimes
    public var status: Status
    /// Source URLs of the photos, main view first, as the brand lists them.
    public var imageURLs: [String]
    /// The brand's own modification time.
    public var sourceUpdatedAt: Date?

    public init(sku: String, brand: String, title: String, category: Category, attributes: [String: AttributeValue],
                gemstones: [Gemstone], baseCost: Cost, moq: Int, priceTiers: [PriceTier], stock: Int,
                leadTimes: LeadTimes, status: Status, imageURLs: [String], sourceUpdatedAt: Date?) {
        self.sku = sku
        self.brand = brand
        self.title = title
        self.category = category
        self.attributes = attributes
        self.gemstones = gemstones
        self.baseCost = baseCost
        self.moq = moq
        self.priceTiers = priceTiers
        self.stock = stock
        self.leadTimes = leadTimes
        self.status = status
        self.imageURLs = imageURLs
        self.sourceUpdatedAt = sourceUpdatedAt
    }
}

/// An attribute value: one word, or a list (sizes, lengths).
public enum AttributeValue: Codable, Sendable, Equatable {
    case text(String)
    case list([String])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([String].self) { self = .list(list) } else { self = .text(try container.decode(String.self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .text(value): try container.encode(value)
        case let .list(values): try container.encode(values)
        }
    }
}

/// One change to the catalog, as the sync announces it to other parts of Facet (the
/// search index, the admin dashboard).
public struct CatalogChange: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case created, updated, discontinued }

    public var kind: Kind
    public var sku: String
    public var brand: String
    public var category: Category
    /// Which parts changed: any of title, category, attributes, gemstones, baseCost, moq, priceTiers,
    /// stock, leadTimes, status, images (all of them for `created`).
    public var fields: [String]
    public var product: CatalogProduct
    public var at: Date

    public init(kind: Kind, sku: String, brand: String, category: Category, fields: [String], product: CatalogProduct, at: Date) {
        self.kind = kind
        self.sku = sku
        self.brand = brand
        self.category = category
        self.fields = fields
        self.product = product
        self.at = at
    }

    /// Compares two versions of a product and names what differs.
    public static func differences(_ old: CatalogProduct, _ new: CatalogProduct) -> [String] {
        var fields: [String] = []
        if old.title != new.title { fields.append("title") }
        if old.category != new.category { fields.append("category") }
        if old.attributes != new.attributes { fields.append("attributes") }
        if old.gemstones != new.gemstones { fields.append("gemstones") }
        if old.baseCost != new.baseCost { fields.append("baseCost") }
        if old.moq != new.moq { fields.append("moq") }
        if old.priceTiers != new.priceTiers { fields.append("priceTiers") }
        if old.stock != new.stock { fields.append("stock") }
        if old.leadTimes != new.leadTimes { fields.append("leadTimes") }
        if old.status != new.status { fields.append("status") }
        if old.imageURLs != new.imageURLs { fields.append("images") }
        return fields
    }
}
