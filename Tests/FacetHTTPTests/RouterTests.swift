@testable import FacetHTTP
import FacetCore
import XCTest

final class RouterTests: XCTestCase {
    func testMatchesParametersAndDistinguishes404From405() throws {
        let router = Router<String>()
        router.on(.GET, "/api/quotes/:id", "show")
        router.on(.DELETE, "/api/quotes/:id", "withdraw")
        router.on(.POST, "/api/quotes", "create")
        router.freeze()
        guard case let .route(name, parameters) = router.match(.GET, path: "/api/quotes/q_42") else { return XCTFail() }
        XCTAssertEqual(name, "show")
        XCTAssertEqual(parameters["id"], "q_42")
        guard case let .methodNotAllowed(allowed) = router.match(.PUT, path: "/api/quotes/q_42") else { return XCTFail() }
        XCTAssertEqual(allowed, [.GET, .HEAD, .DELETE])
        guard case .notFound = router.match(.GET, path: "/api/orders") else { return XCTFail() }
        guard case .route("show", _) = router.match(.HEAD, path: "/api/quotes/1") else { return XCTFail("HEAD falls back to GET") }
        XCTAssertEqual(router.routes.map { "\($0.method.rawValue) \($0.path)" },
                       ["POST /api/quotes", "DELETE /api/quotes/:id", "GET /api/quotes/:id"])
    }

    func testErrorShapeCarriesFieldAndHeaders() throws {
        let response = HTTPResponse.error(.rateLimited(retryAfter: 30))
        XCTAssertEqual(response.status, 429)
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: [String: String]]
        XCTAssertEqual(object?["error"]?["code"], "rate_limited")
        XCTAssertNotNil(object?["error"]?["message"])
        XCTAssertNil(object?["error"]?["field"])
        XCTAssertTrue(response.headers.contains { $0 == ("retry-after", "30") })

        let invalid = HTTPResponse.error(.validation("maxPrice", "maxPrice must be positive."))
        let body = try JSONSerialization.jsonObject(with: Data(invalid.body)) as? [String: [String: String]]
        XCTAssertEqual(invalid.status, 422)
        XCTAssertEqual(body?["error"]?["field"], "maxPrice")

        let wrongMethod = HTTPResponse.error(.methodNotAllowed(allowed: [.GET, .HEAD]))
        XCTAssertEqual(wrongMethod.status, 405)
        XCTAssertTrue(wrongMethod.headers.contains { $0 == ("allow", "GET, HEAD") })
    }

    func testDecodeErrorsNameTheField() {
        struct Body: Decodable { let email: String; let count: Int; let address: Address? }
        struct Address: Decodable { let city: String }
        func failure(_ json: String) -> DomainError? {
            do { _ = try JSONCoding.decode(Body.self, from: Array(json.utf8)); return nil } catch { return error as? DomainError }
        }
        XCTAssertEqual(failure("{bad")?.kind, .malformed)
        XCTAssertEqual(failure("")?.code, "bad_json")
        XCTAssertEqual(failure("[1, 2, 3]")?.kind, .malformed, "a body that is not an object names no field")
        XCTAssertEqual(failure(#"{"count":1}"#)?.field, "email")
        XCTAssertEqual(failure(#"{"email":"a","count":"x"}"#)?.field, "count")
        XCTAssertEqual(failure(#"{"email":"a","count":1,"address":{}}"#)?.field, "address.city")
    }
}
