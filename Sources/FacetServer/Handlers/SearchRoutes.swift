import FacetCore
import FacetHTTP
import FacetSearch
import FacetStore
import Foundation

/// Image search: upload, state, history, and the detail of one offer.
enum SearchRoutes {
    static func register(_ routes: Routes) {
        routes.verifiedBuyer.post("/api/searches", create)
        routes.signedIn.get("/api/searches", history)
        routes.signedIn.get("/api/searches/:id", show)
        routes.verifiedOrStaff.get("/api/offers/:id", offer)
        routes.staff.get("/api/admin/search-index", indexStatus)
    }

    @Sendable static func indexStatus(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        .json(context.services.search.indexStatus)
    }

    @Sendable static func create(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let search = context.services.search
        guard let boundary = MultipartForm.boundary(contentType: context.request.header("content-type")) else {
            throw APIError(415, "unsupported_media_type", "Send the search as multipart/form-data with the fields image, category and maxPrice.")
        }
        guard let form = MultipartForm.parse(context.request.body, boundary: boundary) else {
            throw APIError(400, "bad_multipart", "The multipart body is malformed or truncated.")
        }
        var upload = try SearchInput.parse(form, currency: search.options.currency)
        upload.startedAt = context.request.receivedAt
        let record = try await search.start(upload, buyerId: buyer.id)
        return .json(202, ["id": record.id, "status": record.status, "topic": "search:\(record.id)", "url": "/api/searches/\(record.id)"])
    }

    /// A search is visible to its buyer and to staff; to anyone else it does not exist.
    static func visible(_ context: RequestContext, _ user: UserRecord, _ id: String) throws -> SearchRecord {
        guard try context.services.ownership.isVisible(.search, id: id, to: user.viewer),
              let record = try context.services.search.record(id: id) else { throw DomainError.notFound("No search \(id).") }
        return record
    }

    @Sendable static func show(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let search = context.services.search
        return .json(search.view(try visible(context, user, context.parameter("id"))))
    }

    @Sendable static func history(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let limit = try QueryValues.integer(context, "limit", in: 1...200) ?? 50
        let before = try QueryValues.date(context, "before")
        var category: Category?
        if let raw = context.query("category") {
            guard let c = Category(rawValue: raw) else { throw DomainError.invalid("category", "Unknown category \(raw.prefix(40)).") }
            category = c
        }
        let items = try context.services.search.history(buyerId: user.id, limit: limit, before: before, category: category,
                                                        from: try QueryValues.date(context, "from"), to: try QueryValues.date(context, "to"))
        // A full page may have more behind it: the page asks again with before = the oldest shown.
        return .json(History(searches: items, nextBefore: items.count == limit ? items.last?.createdAt : nil))
    }

    @Sendable static func offer(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let search = context.query("search").flatMap { try? visible(context, user, $0) }
        return .json(try context.services.search.offerDetail(id: context.parameter("id"), search: search, withOrigin: user.role.isStaff))
    }
}

struct History: Encodable {
    let searches: [SearchService.HistoryItem]
    let nextBefore: Date?
    enum CodingKeys: String, CodingKey { case searches, nextBefore }
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(searches, forKey: .searches)
        try c.encode(nextBefore, forKey: .nextBefore)
    }
}

/// The form fields of `POST /api/searches`, checked before the image is decoded.
enum SearchInput {
    static func parse(_ form: MultipartForm, currency: String) throws -> SearchService.Upload {
        guard let rawCategory = form.text("category"), !rawCategory.isEmpty else {
            throw DomainError.invalid("category", "Choose a category: \(Category.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard let category = Category(rawValue: rawCategory.lowercased()) else {
            throw DomainError.invalid("category", "Unknown category \"\(rawCategory.prefix(40))\"; choose one of \(Category.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        var maxPrice: Int64?
        if let raw = form.text("maxPrice"), !raw.isEmpty {
            guard let amount = Money.parseMinorUnits(raw, currency: currency), amount > 0, amount <= Money.maximumPrice else {
                throw DomainError.invalid("maxPrice", "maxPrice must be a positive amount such as 250 or 249.99, at most \(Money.maximumPrice / 100).")
            }
            maxPrice = amount
        }
        guard let image = form.part("image"), !image.data.isEmpty else {
            throw DomainError.invalid("image", "Attach a photo of the design in the field image.")
        }
        return SearchService.Upload(bytes: image.data, category: category, maxPrice: maxPrice)
    }
}
