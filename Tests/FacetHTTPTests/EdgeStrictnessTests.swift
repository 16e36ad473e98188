@testable import FacetHTTP
import XCTest

final class EdgeStrictnessTests: XCTestCase {
    func testContentLengthIsOnePlainDecimal() {
        XCTAssertEqual(EdgeStrictness.contentLength("0"), 0)
        XCTAssertEqual(EdgeStrictness.contentLength(" 42 "), 42)
        for bad in ["", "-5", "+5", "5 5", "5,5", "5x", "0x10", "99999999999999999999999", "18446744073709551621", "٣"] {
            XCTAssertNil(EdgeStrictness.contentLength(bad), bad)
        }
    }

    func testForwardedForIsBelievedOnlyFromATrustedProxy() {
        let proxies: Set<String> = ["10.0.0.1"]
        XCTAssertEqual(ClientAddress.resolve(peer: "203.0.113.9", forwardedFor: "1.2.3.4", trustedProxies: proxies), "203.0.113.9")
        XCTAssertEqual(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: "1.2.3.4", trustedProxies: proxies), "1.2.3.4")
        // A client writing its own header cannot pick the address: the proxy's appended hop wins.
        XCTAssertEqual(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: "9.9.9.9, 1.2.3.4", trustedProxies: proxies), "1.2.3.4")
        XCTAssertEqual(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: "1.2.3.4, 10.0.0.1", trustedProxies: proxies), "1.2.3.4")
        XCTAssertEqual(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: "<script>", trustedProxies: proxies), "10.0.0.1")
        XCTAssertEqual(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: nil, trustedProxies: proxies), "10.0.0.1")
        XCTAssertEqual(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: "1.2.3.4", trustedProxies: []), "10.0.0.1")
    }
}
