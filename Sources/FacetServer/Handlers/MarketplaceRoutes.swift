import FacetCore
import FacetHTTP
import FacetSearch
import FacetSourcing
import FacetStore
import Foundation
import Logging

/// Marketplace (tier 2) for staff: settings with their audit trail, source health, resuming
/// a paused source, and a trial search that shows the true source of each listing.
enum MarketplaceRoutes {
    static func register(_ routes: Routes) {
        routes.staff.get("/api/admin/marketplace", overview)
        routes.staff.put("/api/admin/marketplace", update)
        routes.staff.get("/api/admin/marketplace/audit", audit)
        routes.staff.post("/api/admin/marketplace/sources/:name/resume", resume)
        routes.staff.post("/api/admin/marketplace/search", search)
        routes.staff.get("/api/admin/marketplace/listings", listings)
        routes.staff.get("/api/admin/marketplace/coverage", coverage)
        routes.staff.post("/api/admin/marketplace/refresh", refresh)
    }

    /// Alerts go to every open admin panel as `marketplace.alert`.
    static func makeService(_ configuration: ServerConfiguration, database: FacetDatabase, publisher: Publisher,
                            logger: Logger) throws -> MarketplaceService? {
        guard let options = configuration.marketplace else { return nil }
        let images = ImageStore(directory: configuration.dataDirectory.appendingPathComponent("images"))
        return try MarketplaceService(database: database, imageStore: images, options: options, logger: logger) { alert in
            do { try publisher.publish(topic: "admin", event: "marketplace.alert", data: alert) } catch {
                logger.error("marketplace alert not published", metadata: ["error": "\(error)"])
            }
        }
    }

    static func service(_ context: RequestContext) throws -> MarketplaceService {
        guard let service = context.services.marketplace else {
            throw DomainError(.unavailable, code: "marketplace_disabled", "No marketplace is configured on this server.")
        }
        return service
    }

    struct Overview: Encodable {
        let configured: Bool
        let settings: MarketplaceSettings?
        let sources: [MarketplaceSourceStatus]
        let knownListings: Int
    }

    static func overview(_ service: MarketplaceService?) throws -> Overview {
        guard let service else { return Overview(configured: false, settings: nil, sources: [], knownListings: 0) }
        return Overview(configured: true, settings: service.settings, sources: service.status(), knownListings: try service.knownListings().count)
    }

    @Sendable static func overview(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        return .json(try overview(context.services.marketplace))
    }

    @Sendable static func update(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let service = try service(context)
        let patch: JSONValue
        do { patch = try JSONValue.parse(context.request.body) } catch { throw APIError.badJSON("\(error)") }
        guard case let .object(fields) = patch else { throw APIError(422, "validation_failed", "Send a JSON object of settings.") }
        let updated = try MarketplaceSettingsPatch.apply(fields, to: service.settings)
        try await service.update(updated, actorId: user.id, actorEmail: user.email)
        return .json(try overview(service))
    }

    struct AuditList: Encodable { let entries: [MarketplaceAuditEntry] }

    @Sendable static func audit(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        guard let service = context.services.marketplace else { return .json(AuditList(entries: [])) }
        let limit = try QueryValues.integer(context, "limit", in: 1...1000) ?? 100
        return .json(AuditList(entries: try service.audit(limit: limit)))
    }

    @Sendable static func resume(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let service = try service(context)
        let name = context.parameter("name")
        guard service.resume(source: name) else { throw APIError.notFound("No marketplace source \(name).") }
        return .json(try overview(service))
    }

    struct SearchInput: Decodable {
        let category: String
        let keywords: [String]?
        let maxPrice: Int64?
        let currency: String?
    }

    /// A listing as staff see it: everything, plus the range a buyer would be shown.
    struct ListingView: Encodable {
        let listing: MarketplaceListing
        let buyerPrice: MoneyRange
        let images: [String]

        init(_ listing: MarketplaceListing, markups: MarkupTable) throws {
            self.listing = listing
            self.buyerPrice = try markups.approximate(listing.price, category: listing.category)
            self.images = listing.imageFiles.map { "/api/images/\($0)" }
        }
    }

    /// A stored listing with the buyer's range beside the source's price, in one flat object.
    struct PricedListing: Encodable {
        let listing: MarketplaceListing
        let buyerPrice: MoneyRange?
        enum Keys: String, CodingKey { case buyerPrice }

        func encode(to encoder: Encoder) throws {
            try listing.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(buyerPrice, forKey: .buyerPrice)
        }
    }

    struct SearchResult: Encodable {
        let outcome: String
        let message: String?
        let listings: [ListingView]
        let stats: MarketplaceSearchStats?
    }

    @Sendable static func search(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(SearchInput.self)
        guard let category = Category(rawValue: input.category) else {
            throw ValidationFailure(field: "category", message: "category must be one of \(Category.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        if let max = input.maxPrice, !(1...Money.maximumPrice).contains(max) {
            throw ValidationFailure(field: "maxPrice", message: "maxPrice must be a positive amount in minor units, at most \(Money.maximumPrice).")
        }
        let service = try service(context)
        let markups = try context.services.markups.table()
        let query = MarketplaceQuery(category: category, keywords: input.keywords ?? [], maxPrice: input.maxPrice,
                                     currency: input.currency ?? service.settings.currency)
        var listings: [ListingView] = []
        var outcome = "finished", message: String?, stats: MarketplaceSearchStats?
        for await event in service.search(query) {
            switch event {
            case let .listings(page):
                listings += try page.map { try ListingView($0, markups: markups) }
            case let .paused(text): outcome = "paused"; message = text
            case let .failed(text): outcome = "failed"; message = text
            case let .finished(s): stats = s
            }
        }
        return .json(SearchResult(outcome: outcome, message: message, listings: listings, stats: stats))
    }

    struct Coverage: Encodable {
        let refreshMinutes: Int
        let refreshPages: Int
        let minLocalListings: Int
        let categories: [SourcingCoverage]
    }

    static func sourcingIndex(_ context: RequestContext) throws -> (MarketplaceService, SourcingIndex) {
        let service = try service(context)
        guard let index = context.services.search.sourcingIndex else {
            throw DomainError(.unavailable, code: "marketplace_disabled", "No marketplace is configured on this server.")
        }
        return (service, index)
    }

    @Sendable static func coverage(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let (service, index) = try sourcingIndex(context)
        let s = service.settings
        return .json(Coverage(refreshMinutes: s.refreshMinutes, refreshPages: s.refreshPages, minLocalListings: s.minLocalListings,
                              categories: index.coverage()))
    }

    struct RefreshInput: Decodable { let category: String }
    struct RefreshStarted: Encodable { let category: Category; let pages: Int }

    /// Queues a refresh of one category, run in the background after any already queued (202);
    /// coverage shows when it is done.
    @Sendable static func refresh(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(RefreshInput.self)
        guard let category = Category(rawValue: input.category) else {
            throw ValidationFailure(field: "category", message: "category must be one of \(Category.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let (service, index) = try sourcingIndex(context)
        guard service.settings.categories.contains(category) else {
            throw ValidationFailure(field: "category", message: "The marketplace is not searched for \(category.rawValue); add it to the categories first.")
        }
        let pages = service.settings.refreshPages
        index.enqueue(category, pages: pages)
        return .json(202, RefreshStarted(category: category, pages: pages))
    }

    struct ListingList: Encodable { let listings: [PricedListing]; let total: Int }

    @Sendable static func listings(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let service = try service(context)
        var all = try service.knownListings()
        if let raw = context.request.query["category"], !raw.isEmpty {
            guard let category = Category(rawValue: raw) else { throw ValidationFailure(field: "category", message: "Unknown category.") }
            all = all.filter { $0.category == category }
        }
        let limit = try QueryValues.integer(context, "limit", in: 1...1000) ?? 100
        let markups = try context.services.markups.table()
        let priced = all.prefix(limit).map { PricedListing(listing: $0, buyerPrice: try? markups.approximate($0.price, category: $0.category)) }
        return .json(ListingList(listings: priced, total: all.count))
    }
}

/// A partial settings update: only the fields sent change; `null` clears an optional price limit.
enum MarketplaceSettingsPatch {
    static func apply(_ fields: [String: JSONValue], to current: MarketplaceSettings) throws -> MarketplaceSettings {
        var s = current
        func fail(_ field: String, _ message: String) -> ValidationFailure { ValidationFailure(field: field, message: message) }
        func number(_ key: String, _ value: JSONValue) throws -> Double {
            guard case let .number(n) = value else { throw fail(key, "\(key) must be a number.") }
            return n
        }
        func integer(_ key: String, _ value: JSONValue) throws -> Int {
            let n = try number(key, value)
            guard n == n.rounded(), abs(n) < 1e15 else { throw fail(key, "\(key) must be a whole number.") }
            return Int(n)
        }
        func price(_ key: String, _ value: JSONValue) throws -> Int64? {
            if case .null = value { return nil }
            return Int64(try integer(key, value))
        }
        for (key, value) in fields {
            switch key {
            case "sources":
                guard case let .object(map) = value else { throw fail(key, "sources must be an object of name → enabled.") }
                for (name, enabled) in map {
                    guard case let .bool(on) = enabled else { throw fail(key, "sources.\(name) must be true or false.") }
                    s.sources[name] = on
                }
            case "categories":
                guard let list = value.array else { throw fail(key, "categories must be a list.") }
                s.categories = try list.map { item in
                    guard let raw = item.string, case .string = item, let category = Category(rawValue: raw) else {
                        throw fail(key, "categories must be among \(Category.allCases.map(\.rawValue).joined(separator: ", ")).")
                    }
                    return category
                }
            case "currency":
                guard case let .string(code) = value else { throw fail(key, "currency must be a string.") }
                s.currency = code
            case "minListedPrice": s.minListedPrice = try price(key, value)
            case "maxListedPrice": s.maxListedPrice = try price(key, value)
            case "requestsPerSecond": s.requestsPerSecond = try number(key, value)
            case "burst": s.burst = try integer(key, value)
            case "concurrency": s.concurrency = try integer(key, value)
            case "imageRequestsPerSecond": s.imageRequestsPerSecond = try number(key, value)
            case "cacheTTLSeconds": s.cacheTTLSeconds = try integer(key, value)
            case "pauseSeconds": s.pauseSeconds = try integer(key, value)
            case "maxPages": s.maxPages = try integer(key, value)
            case "imagesPerListing": s.imagesPerListing = try integer(key, value)
            case "refreshMinutes": s.refreshMinutes = try integer(key, value)
            case "refreshPages": s.refreshPages = try integer(key, value)
            case "minLocalListings": s.minLocalListings = try integer(key, value)
            default: throw fail(key, "Unknown setting \(key).")
            }
        }
        return s
    }
}
