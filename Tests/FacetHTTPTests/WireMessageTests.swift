@testable import FacetHTTP
import XCTest

final class WireMessageTests: XCTestCase {
    func testClientMessages() throws {
        XCTAssertEqual(try ClientMessage.parse(Array(#"{"type":"ping"}"#.utf8)), .ping)
        XCTAssertEqual(try ClientMessage.parse(Array(#"{"type":"subscribe","topic":"buyers","since":7}"#.utf8)),
                       .subscribe(topic: "buyers", since: 7))
        XCTAssertEqual(try ClientMessage.parse(Array(#"{"type":"subscribe","topic":"buyers"}"#.utf8)),
                       .subscribe(topic: "buyers", since: nil))
        XCTAssertEqual(try ClientMessage.parse(Array(#"{"type":"unsubscribe","topic":"buyers"}"#.utf8)), .unsubscribe(topic: "buyers"))
        for bad in [#"{"type":"subscribe","topic":"x","since":-1}"#, #"{"type":"subscribe","topic":"x","since":1.5}"#,
                    #"{"type":"subscribe","topic":"x","since":"3"}"#, #"{"type":"subscribe"}"#, #"{"type":"dance"}"#,
                    "[1]", "not json"] {
            XCTAssertThrowsError(try ClientMessage.parse(Array(bad.utf8)), bad)
        }
    }

    func testEventsAreValidJSONWithEscapedStrings() throws {
        let event = RealtimeEvent(topic: "buyer:u_1", seq: 3, event: "notice", data: #"{"title":"a"}"#, at: Date(timeIntervalSince1970: 0))
        let object = try JSONSerialization.jsonObject(with: Data(WireMessage.event(event).utf8)) as? [String: Any]
        XCTAssertEqual(object?["seq"] as? Int, 3)
        XCTAssertEqual(object?["at"] as? String, "1970-01-01T00:00:00.000Z")
        let tricky = "quote\" back\\ newline\n tab\t nul\u{1} sep\u{2028}"
        let error = try JSONSerialization.jsonObject(with: Data(WireMessage.error(code: "x", message: tricky).utf8)) as? [String: Any]
        XCTAssertEqual(error?["message"] as? String, tricky)
    }
}
