import FacetCore
import FacetMatching
import FacetStore
import Foundation

/// Image search: upload, state, history, and the detail of one offer.
enum SearchRoutes {
    static func register(on router: Router) {
        router.on(.POST, "/api/searches", create)
        router.on(.GET, "/api/searches", history)
        router.on(.GET, "/api/searches/:id", show)
        router.on(.GET, "/api/offers/:id", offer)
        router.on(.GET, "/api/admin/search-index", indexStatus)
    }

    struct IndexStatus: Encodable {
        let loaded: Bool, images: Int, items: Int, bytesPerImage: Int, perCategory: [String: Int], queuedJobs: Int
    }

    @Sendable static func indexStatus(_ context: RequestContext) async throws -> HTTPResponse {
        _ = try context.requireStaff()
        let search = try service(context)
        let stats = search.indexer.index.stats
        return .json(IndexStatus(loaded: search.indexer.loaded, images: stats.images, items: stats.items, bytesPerImage: stats.bytesPerImage,
                                 perCategory: Dictionary(uniqueKeysWithValues: stats.perCategory.map { ($0.key.rawValue, $0.value) }),
                                 queuedJobs: search.pool.queued))
    }

    static func service(_ context: RequestContext) throws -> SearchService {
        guard let search = context.services.search else { throw APIError(503, "unavailable", "Search is not available on this server.") }
        return search
    }

    @Sendable static func create(_ context: RequestContext) async throws -> HTTPResponse {
        let buyer = try context.requireVerifiedBuyer()
        let search = try service(context)
        guard let boundary = MultipartForm.boundary(contentType: context.request.header("content-type")) else {
            throw APIError(415, "unsupported_media_type", "Send the search as multipart/form-data with the fields image, category and maxPrice.")
        }
        guard let form = MultipartForm.parse(context.request.body, boundary: boundary) else {
            throw APIError(400, "bad_multipart", "The multipart body is malformed or truncated.")
        }
        let upload = try SearchInput.parse(form, currency: search.options.currency)
        let record = try await search.start(upload, buyer: buyer)
        return .json(202, ["id": record.id, "status": record.status, "topic": "search:\(record.id)", "url": "/api/searches/\(record.id)"])
    }

    /// A search is visible to its buyer and to staff; to anyone else it does not exist.
    static func owned(_ context: RequestContext, _ id: String) throws -> SearchRecord {
        let user = try context.requireUser()
        guard let record = try service(context).searches.find(id: id),
              record.buyerId == user.id || user.role.isStaff else { throw APIError.notFound("No search \(id).") }
        return record
    }

    @Sendable static func show(_ context: RequestContext) async throws -> HTTPResponse {
        .json(SearchView(try owned(context, context.parameter("id"))))
    }

    struct HistoryItem: Encodable {
        let id: String, status: String, category: Category, image: String, createdAt: Date
        let maxPrice: Money?, exactMatch: Bool, alternatives: Int
    }

    @Sendable static func history(_ context: RequestContext) async throws -> HTTPResponse {
        let user = try context.requireUser()
        let limit = max(1, min(Int(context.request.query["limit"] ?? "") ?? 50, 200))
        let before = context.request.query["before"].flatMap { try? Date($0, strategy: .iso8601) }
        let rows = try service(context).searches.list(buyerId: user.id, limit: limit, before: before)
        return .json(["searches": rows.map { r in
            let view = SearchView(r)
            return HistoryItem(id: r.id, status: r.status, category: r.category, image: view.image, createdAt: r.createdAt,
                               maxPrice: view.maxPrice, exactMatch: view.exactMatch != nil, alternatives: view.alternatives.count)
        }])
    }

    struct OfferDetail: Encodable {
        let offer: Offer
        /// The upload's attributes next to the offer's, when opened from a search.
        let comparison: [String: AttributeMatch]?
        /// Staff only: where the offer really comes from.
        var origin: Origin?
    }

    struct Origin: Encodable {
        let kind: String
        let brand: String?
        let sku: String?
        let source: String?
        let offerId: String?
        let url: String?
        let supplier: String?
    }

    @Sendable static func offer(_ context: RequestContext) async throws -> HTTPResponse {
        let user = try context.requireUser()
        guard user.role.isStaff || (user.role == .buyer && user.isVerified) else { throw APIError.notVerified }
        let search = try service(context)
        let id = context.parameter("id")
        guard let (_, ref) = try search.searches.offerRef(id: id) else { throw APIError.notFound("No offer \(id).") }
        var attributes: QueryAttributes?
        var similarity = 0.0
        if let searchId = context.request.query["search"], let record = try? owned(context, searchId) {
            let view = SearchView(record)
            attributes = view.attributes.isEmpty ? nil : QueryAttributes(values: view.attributes)
            similarity = ([view.exactMatch].compactMap { $0 } + view.alternatives).first { $0.id == id }?.similarity ?? 0
        }
        let catalog = OfferCatalog(features: search.features, marketplace: search.marketplace, searches: search.searches,
                                   markups: try search.markups.table(), currency: search.options.currency, maxPrice: nil)
        try catalog.load(refs: [ref])
        guard let offer = catalog.offer(ref: ref, id: id, similarity: similarity, attributes: attributes) else {
            throw APIError.notFound("This item is no longer available.")
        }
        var origin: Origin?
        if user.role.isStaff {
            if let p = catalog.products[String(ref.dropFirst(4))]?.product, ref.hasPrefix("inv:") {
                origin = Origin(kind: "brand", brand: p.brand, sku: p.sku, source: nil, offerId: nil, url: nil, supplier: nil)
            } else if let l = catalog.listings[String(ref.dropFirst(3))] {
                origin = Origin(kind: "marketplace", brand: nil, sku: nil, source: l.source, offerId: l.offerId, url: l.url,
                                supplier: l.supplier.name)
            }
        }
        return .json(OfferDetail(offer: offer, comparison: attributes == nil ? nil : offer.matches, origin: origin))
    }
}

/// The form fields of `POST /api/searches`, checked before the image is decoded.
enum SearchInput {
    static func parse(_ form: MultipartForm, currency: String) throws -> SearchService.Upload {
        guard let rawCategory = form.text("category"), !rawCategory.isEmpty else {
            throw APIError.validation("category", "Choose a category: \(Category.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard let category = Category(rawValue: rawCategory.lowercased()) else {
            throw APIError.validation("category", "Unknown category \"\(rawCategory.prefix(40))\"; choose one of \(Category.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        var maxPrice: Int64?
        if let raw = form.text("maxPrice"), !raw.isEmpty {
            guard let amount = Self.minorUnits(raw, currency: currency), amount > 0 else {
                throw APIError.validation("maxPrice", "maxPrice must be a positive amount such as 250 or 249.99.")
            }
            maxPrice = amount
        }
        guard let image = form.part("image"), !image.data.isEmpty else {
            throw APIError.validation("image", "Attach a photo of the design in the field image.")
        }
        return SearchService.Upload(bytes: image.data, category: category, maxPrice: maxPrice)
    }

    /// "250", "249.9", "1,250.00" → minor units; nil for anything else (signs, exponents, letters).
    static func minorUnits(_ text: String, currency: String) -> Int64? {
        let cleaned = text.replacingOccurrences(of: ",", with: "")
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.count <= 12,
              whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber), let units = Int64(whole) else { return nil }
        let scale = Money.minorUnits(of: currency)
        var fraction: Int64 = 0
        if parts.count == 2 {
            let f = parts[1]
            guard scale == 100, (1...2).contains(f.count), f.allSatisfy(\.isASCII), f.allSatisfy(\.isNumber) else { return nil }
            fraction = Int64(f.count == 1 ? f + "0" : String(f))!
        }
        return units * scale + fraction
    }
}
