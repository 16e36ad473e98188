import FacetCore
import Foundation

/// How one brand's native API maps onto Facet's contract and catalog. It is data
/// (seeds/brands/<brand>/mapping.json), so a new brand needs a file, not code.
public struct BrandMapping: Codable, Sendable {
    public var brand: String
    public var name: String
    public var currency: String
    public var api: API
    public var product: ProductFields

    public struct API: Codable, Sendable {
        public var list: List
        /// Path template of one product, `{sku}` replaced.
        public var product: String
        /// Where the product sits in that answer ("" for the whole body).
        public var productItem: String?
        public var stock: Stock
        public var orders: String
        /// Path template of one order, `{id}` replaced.
        public var order: String
        /// Where the brand's order id and status are in an order answer.
        public var orderId: String
        public var orderStatus: String
        /// How the order body names things.
        public var orderBody: OrderBody
        /// Header carrying the API key; `Authorization` sends `Bearer <key>`.
        public var authHeader: String?
    }

    public struct List: Codable, Sendable {
        public var path: String
        public var items: String
        public var nextCursor: String
        public var cursorParam: String
        public var sinceParam: String
        public var limitParam: String
        public var pageSize: Int
    }

    public struct Stock: Codable, Sendable {
        public var path: String
        public var skusParam: String
        public var items: String
        public var sku: Field
        public var stock: Field
        public var cost: Field?
    }

    public struct OrderBody: Codable, Sendable {
        public var reference: String
        public var lines: String
        public var sku: String
        public var quantity: String
    }

    public struct ProductFields: Codable, Sendable {
        public var sku: Field
        public var title: Field
        public var category: Field
        public var status: Field
        public var updatedAt: Field
        public var baseCost: Field
        public var currency: Field?
        public var moq: Field
        public var stock: Field
        public var leadTimeReadyDays: Field
        public var leadTimeMadeToOrderDays: Field
        public var images: Field
        public var attributes: [String: Field]
        public var gemstones: [Gemstones]
        public var priceTiers: Tiers?
    }

    public struct Gemstones: Codable, Sendable {
        /// Path of a list of stone groups; absent: the fields are read from the product itself.
        public var list: String?
        public var type: Field
        public var color: Field?
        public var cut: Field?
        public var count: Field
        /// Role of every group, or by position (first `center`, then `accent`) when `roles` is given.
        public var role: String?
        public var roles: [String]?
    }

    public struct Tiers: Codable, Sendable {
        public var list: String
        public var minQuantity: Field
        public var unitCost: Field
    }

    /// Where one value comes from and how it is turned into Facet's vocabulary.
    public struct Field: Codable, Sendable {
        public var path: String?
        public var constant: String?
        /// first (default), list, sum, min, max
        public var reduce: String?
        /// applied in order: lower, snake, trim, split (on commas), int (leading digits)
        public var transform: [String]?
        /// value dictionary applied after the transforms; unknown values pass through
        public var map: [String: String]?
        /// money: "minor" (integer minor units) or "decimal" ("42.50")
        public var money: String?
        public var fallback: String?

        public init(path: String) { self.path = path }

        public init(from decoder: Decoder) throws {
            if let path = try? decoder.singleValueContainer().decode(String.self) {
                self.path = path
                return
            }
            let c = try decoder.container(keyedBy: Keys.self)
            path = try c.decodeIfPresent(String.self, forKey: .path)
            constant = try c.decodeIfPresent(String.self, forKey: .constant)
            reduce = try c.decodeIfPresent(String.self, forKey: .reduce)
            transform = try c.decodeIfPresent([String].self, forKey: .transform)
            map = try c.decodeIfPresent([String: String].self, forKey: .map)
            money = try c.decodeIfPresent(String.self, forKey: .money)
            fallback = try c.decodeIfPresent(String.self, forKey: .fallback)
        }

        enum Keys: String, CodingKey { case path, constant, reduce, transform, map, money, fallback }

        /// Every value after transforms and the dictionary, before reduction.
        public func strings(in json: JSONValue) -> [String] {
            var values: [String]
            if let constant { values = [constant] } else if let path {
                values = json.values(at: path).compactMap(\.string)
            } else { values = [] }
            for step in transform ?? [] {
                switch step {
                case "lower": values = values.map { $0.lowercased() }
                case "trim": values = values.map { $0.trimmingCharacters(in: .whitespaces) }
                case "snake": values = values.map { $0.lowercased().trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "_") }
                case "split": values = values.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                case "int": values = values.compactMap { value in
                    let digits = value.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber }
                    return digits.isEmpty ? nil : String(digits)
                }
                default: break
                }
            }
            if let map { values = values.map { map[$0] ?? $0 } }
            if values.isEmpty, let fallback { values = [fallback] }
            return values
        }

        public func string(in json: JSONValue) -> String? {
            let values = strings(in: json)
            switch reduce {
            case "list": return values.joined(separator: ",")
            default: return values.first
            }
        }

        /// A number (money converted to minor units), reduced.
        public func integer(in json: JSONValue) -> Int64? {
            let numbers: [Int64] = strings(in: json).compactMap { value in
                switch money {
                case "decimal": return DecimalAmount.minorUnits(value)
                default: return DecimalAmount.integer(value)
                }
            }
            guard !numbers.isEmpty else { return nil }
            switch reduce {
            case "sum":
                // A brand's payload must not be able to overflow a total: an impossible sum is no value.
                var total: Int64 = 0
                for n in numbers {
                    let (next, overflow) = total.addingReportingOverflow(n)
                    if overflow { return nil }
                    total = next
                }
                return total
            case "min": return numbers.min()
            case "max": return numbers.max()
            default: return numbers.first
            }
        }
    }

    public static func load(_ url: URL) throws -> BrandMapping {
        try JSONDecoder().decode(BrandMapping.self, from: Data(contentsOf: url))
    }
}

/// Amounts in a brand's payload, read exactly and bounded: nothing a brand sends can
/// overflow or trap.
public enum DecimalAmount {
    /// The largest magnitude accepted (a quantity or an amount in minor units).
    public static let limit: Int64 = 1_000_000_000_000_000

    /// "42.5" → 4250, "10.10" → 1010, "7" → 700 (two-decimal currencies); nil when not a
    /// number or beyond `limit`.
    public static func minorUnits(_ decimal: String, exponent: Int = 2) -> Int64? {
        let text = decimal.trimmingCharacters(in: .whitespaces)
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts[0].count <= 15, (0...6).contains(exponent),
              parts[0].allSatisfy(\.isNumber), let whole = Int64(parts[0].isEmpty ? "0" : String(parts[0])) else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let roundUp = fraction.count > exponent && (fraction[fraction.index(fraction.startIndex, offsetBy: exponent)] >= "5")
        fraction = String(fraction.prefix(exponent)).padding(toLength: exponent, withPad: "0", startingAt: 0)
        var scale: Int64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        let value = scaled + (Int64(fraction) ?? 0) + (roundUp ? 1 : 0)
        guard value <= limit else { return nil }
        return negative ? -value : value
    }

    /// A whole number; a decimal one is rounded. nil when not finite or beyond `limit`.
    public static func integer(_ text: String) -> Int64? {
        if let value = Int64(text) { return value.magnitude <= limit.magnitude ? value : nil }
        guard let value = Double(text), value.isFinite, abs(value) <= Double(limit) else { return nil }
        return Int64(value.rounded())
    }
}

public struct MappingError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension BrandMapping {
    /// Turns one native product into Facet's catalog shape. Relative image paths are
    /// resolved against `baseURL`.
    public func catalogProduct(from json: JSONValue, baseURL: String) throws -> CatalogProduct {
        let fields = product
        guard let sku = fields.sku.string(in: json), !sku.isEmpty else { throw MappingError(description: "\(brand): a product has no SKU") }
        guard let categoryText = fields.category.string(in: json), let category = Category(rawValue: categoryText) else {
            throw MappingError(description: "\(brand) \(sku): unknown category \(fields.category.string(in: json) ?? "nil")")
        }
        guard let cost = fields.baseCost.integer(in: json) else { throw MappingError(description: "\(brand) \(sku): no cost") }
        // A negative cost or minimum order would be sold as one: refused like a missing cost, so the
        // stored product keeps its last good state and the sync reports it (found by the fuzzer).
        guard cost >= 0 else { throw MappingError(description: "\(brand) \(sku): a negative cost (\(cost))") }
        let moq = fields.moq.integer(in: json) ?? 1
        guard moq >= 0 else { throw MappingError(description: "\(brand) \(sku): a negative minimum order (\(moq))") }
        let status = fields.status.string(in: json) == "discontinued" ? CatalogProduct.Status.discontinued : .active
        var attributes: [String: AttributeValue] = [:]
        for (name, field) in fields.attributes {
            if field.reduce == "list" {
                var seen = Set<String>()
                let values = field.strings(in: json).filter { !$0.isEmpty && seen.insert($0).inserted }
                if !values.isEmpty { attributes[name] = .list(values) }
            } else if let value = field.string(in: json), !value.isEmpty {
                attributes[name] = .text(value)
            }
        }
        var gemstones: [CatalogProduct.Gemstone] = []
        for spec in fields.gemstones {
            let groups = spec.list.map { json.values(at: $0) } ?? [json]
            for group in groups {
                guard let type = spec.type.string(in: group), type != "none", !type.isEmpty,
                      let count = spec.count.integer(in: group), count > 0 else { continue }
                let role = spec.roles.map { $0[min(gemstones.count, $0.count - 1)] } ?? spec.role ?? "center"
                gemstones.append(.init(type: type, color: spec.color?.string(in: group).flatMap { $0 == "none" ? nil : $0 },
                                       cut: spec.cut?.string(in: group).flatMap { $0 == "none" ? nil : $0 },
                                       count: Int(count), role: role))
            }
        }
        var tiers: [CatalogProduct.PriceTier] = []
        if let spec = fields.priceTiers {
            for tier in json.values(at: spec.list) {
                guard let qty = spec.minQuantity.integer(in: tier), let unit = spec.unitCost.integer(in: tier),
                      qty > 0, unit >= 0 else { continue }
                tiers.append(.init(minQuantity: Int(qty), unitCost: unit))
            }
            tiers.sort { $0.minQuantity < $1.minQuantity }
        }
        let images = fields.images.strings(in: json).map { Self.resolve($0, against: baseURL) }
        return CatalogProduct(
            sku: sku, brand: brand, title: fields.title.string(in: json) ?? sku, category: category,
            attributes: attributes, gemstones: gemstones,
            baseCost: .init(amount: cost, currency: fields.currency?.string(in: json) ?? currency),
            moq: Int(max(1, moq)), priceTiers: tiers,
            stock: Int(max(0, fields.stock.integer(in: json) ?? 0)),
            leadTimes: .init(readyDays: fields.leadTimeReadyDays.integer(in: json).map(Int.init),
                             madeToOrderDays: fields.leadTimeMadeToOrderDays.integer(in: json).map(Int.init)),
            status: status, imageURLs: images,
            sourceUpdatedAt: fields.updatedAt.string(in: json).flatMap(Timestamps.parse))
    }

    static func resolve(_ path: String, against base: String) -> String {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        return trimmed + (path.hasPrefix("/") ? path : "/" + path)
    }
}

public enum Timestamps {
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }

    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }
}
