@testable import FacetServer
import XCTest

final class RouterTests: XCTestCase {
    func testMatchesParametersAndDistinguishes404From405() async throws {
        let router = Router()
        router.on(.GET, "/api/quotes/:id") { context in HTTPResponse(status: 200, body: Array(context.parameter("id").utf8)) }
        router.on(.POST, "/api/quotes") { _ in HTTPResponse(status: 201) }
        router.freeze()
        guard case let .handler(_, parameters) = router.match(.GET, path: "/api/quotes/q_42") else { return XCTFail() }
        XCTAssertEqual(parameters.get("id"), "q_42")
        guard case .methodNotAllowed = router.match(.DELETE, path: "/api/quotes/q_42") else { return XCTFail() }
        guard case .notFound = router.match(.GET, path: "/api/orders") else { return XCTFail() }
        guard case .handler = router.match(.HEAD, path: "/api/quotes/1") else { return XCTFail("HEAD falls back to GET") }
    }

    func testErrorShape() throws {
        let response = HTTPResponse.error(.rateLimited(retryAfter: 30))
        XCTAssertEqual(response.status, 429)
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: [String: String]]
        XCTAssertEqual(object?["error"]?["code"], "rate_limited")
        XCTAssertNotNil(object?["error"]?["message"])
        XCTAssertTrue(response.headers.contains { $0 == ("retry-after", "30") })
    }

    func testDecodeErrorsNameTheField() {
        struct Body: Decodable { let email: String; let count: Int }
        XCTAssertEqual((try? JSONCoding.decode(Body.self, from: Array("{".utf8))).map { _ in "" }, nil)
        do { _ = try JSONCoding.decode(Body.self, from: Array("{bad".utf8)); XCTFail() } catch let error as APIError {
            XCTAssertEqual(error.code, "bad_json")
        } catch { XCTFail("\(error)") }
        do { _ = try JSONCoding.decode(Body.self, from: Array(#"{"count":1}"#.utf8)); XCTFail() } catch let error as APIError {
            XCTAssertEqual(error.code, "validation_failed")
            XCTAssertTrue(error.message.contains("email"))
        } catch { XCTFail("\(error)") }
        do { _ = try JSONCoding.decode(Body.self, from: Array(#"{"email":"a","count":"x"}"#.utf8)); XCTFail() } catch let error as APIError {
            XCTAssertEqual(error.code, "validation_failed")
            XCTAssertTrue(error.message.contains("count"))
        } catch { XCTFail("\(error)") }
    }
}
