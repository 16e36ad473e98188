import FacetCore
import FacetHTTP
import FacetSearch
import FacetStore
import Foundation

/// Saved searches (named, optionally watched), "search again", and the ranked results of a search.
enum SavedSearchRoutes {
    static func register(_ routes: Routes) {
        let buyer = routes.verifiedBuyer
        buyer.post("/api/saved-searches", create)
        buyer.get("/api/saved-searches", list)
        buyer.patch("/api/saved-searches/:id", update)
        buyer.delete("/api/saved-searches/:id", remove)
        buyer.post("/api/searches/:id/again", again)
        routes.signedIn.get("/api/searches/:id/results", results)
    }

    struct CreateInput: Decodable { let searchId: String; let name: String; let watch: Bool?; let minSimilarity: Double? }
    struct Envelope: Encodable { let savedSearch: SearchService.SavedSearchView }

    @Sendable static func create(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(CreateInput.self)
        guard let search = try? SearchRoutes.visible(context, buyer, input.searchId) else {
            throw DomainError(.notFound, code: "not_found", "No search \(input.searchId).", field: "searchId")
        }
        let saved = try context.services.search.saveSearch(buyerId: buyer.id, search: search, name: input.name, watch: input.watch ?? false,
                                                           minSimilarity: input.minSimilarity)
        return .json(201, Envelope(savedSearch: saved))
    }

    @Sendable static func list(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        .json(["savedSearches": try context.services.search.savedSearches(buyerId: buyer.id)])
    }

    struct UpdateInput: Decodable { let name: String?; let watch: Bool?; let minSimilarity: Double? }

    @Sendable static func update(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(UpdateInput.self)
        let saved = try context.services.search.updateSavedSearch(buyerId: buyer.id, id: context.parameter("id"), name: input.name,
                                                                  watch: input.watch, minSimilarity: input.minSimilarity)
        return .json(Envelope(savedSearch: saved))
    }

    @Sendable static func remove(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        try context.services.search.deleteSavedSearch(buyerId: buyer.id, id: context.parameter("id"))
        return .noContent()
    }

    @Sendable static func again(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let previous = try SearchRoutes.visible(context, buyer, context.parameter("id"))
        let record = try await context.services.search.searchAgain(previous, buyerId: buyer.id)
        return .json(202, ["id": record.id, "status": record.status, "topic": "search:\(record.id)", "url": "/api/searches/\(record.id)"])
    }

    @Sendable static func results(_ context: RequestContext, _ user: UserRecord) async throws -> HTTPResponse {
        let record = try SearchRoutes.visible(context, user, context.parameter("id"))
        var filter = SearchResults.Filter()
        filter.maxPrice = try QueryValues.integer(context, "maxPrice", in: 1...Int(Money.maximumPrice)).map(Int64.init)
        filter.deliveryWithin = try QueryValues.integer(context, "deliveryWithin", in: 1...365)
        filter.maxMoq = try QueryValues.integer(context, "maxMoq", in: 1...CartRules.maximumQuantity)
        if let raw = context.query("source") {
            guard let source = OfferSource(rawValue: raw) else { throw DomainError.invalid("source", "source must be inventory or marketplace.") }
            filter.source = source
        }
        if let raw = context.query("sort") {
            guard let sort = SearchResults.Sort(rawValue: raw) else { throw DomainError.invalid("sort", "sort must be relevance, price or delivery.") }
            filter.sort = sort
        }
        let offset = try QueryValues.integer(context, "offset", in: 0...SearchResults.maximum) ?? 0
        let limit = try QueryValues.integer(context, "limit", in: 1...SearchResults.maximum) ?? 24
        return .json(context.services.search.results(record, filter: filter, offset: offset, limit: limit))
    }
}
