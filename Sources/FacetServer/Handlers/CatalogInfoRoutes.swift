import FacetCore
import FacetHTTP

/// Facts every page needs and only the server should state: the categories a buyer picks from.
enum CatalogInfoRoutes {
    static func register(_ routes: Routes) {
        routes.everyone.get("/api/categories", categories)
    }

    struct CategoryView: Encodable { let id: String; let label: String; let plural: String }

    @Sendable static func categories(_ context: RequestContext) async throws -> HTTPResponse {
        .json(["categories": Category.allCases.map { CategoryView(id: $0.rawValue, label: $0.label, plural: $0.plural) }])
    }
}
