import FacetCore
import Foundation

/// Server → client messages, rendered as JSON text directly: an event is serialised
/// once and the same bytes go to every subscriber.
enum WireMessage {
    static func event(_ e: RealtimeEvent) -> String {
        #"{"type":"event","topic":\#(quote(e.topic)),"seq":\#(e.seq),"event":\#(quote(e.event)),"data":\#(e.data),"at":\#(quote(JSONCoding.iso8601(e.at)))}"#
    }

    static func subscribed(topic: String, seq: Int64) -> String {
        #"{"type":"subscribed","topic":\#(quote(topic)),"seq":\#(seq)}"#
    }

    static func unsubscribed(topic: String) -> String {
        #"{"type":"unsubscribed","topic":\#(quote(topic))}"#
    }

    static func resync(topic: String, seq: Int64) -> String {
        #"{"type":"resync","topic":\#(quote(topic)),"seq":\#(seq),"message":"Missed events are no longer available; reload this view."}"#
    }

    static func error(code: String, message: String, topic: String? = nil) -> String {
        let topicField = topic.map { #","topic":\#(quote($0))"# } ?? ""
        return #"{"type":"error","code":\#(quote(code)),"message":\#(quote(message))\#(topicField)}"#
    }

    static let pong = #"{"type":"pong"}"#

    static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}":
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Client → server messages.
enum ClientMessage: Equatable {
    case subscribe(topic: String, since: Int64?)
    case unsubscribe(topic: String)
    case ping

    struct Invalid: Error { let message: String }

    private struct Raw: Decodable {
        let type: String
        let topic: String?
        let since: Int64?
    }

    static func parse(_ bytes: [UInt8]) throws -> ClientMessage {
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: Data(bytes))
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.first?.stringValue == "since" {
            throw Invalid(message: "since must be a non-negative integer.")
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.first?.stringValue == "since" {
            throw Invalid(message: "since must be a non-negative integer.")
        } catch {
            throw Invalid(message: "Messages must be JSON objects with a string type.")
        }
        switch raw.type {
        case "ping":
            return .ping
        case "subscribe":
            guard let topic = raw.topic else { throw Invalid(message: "subscribe needs a topic.") }
            if let since = raw.since, since < 0 { throw Invalid(message: "since must be a non-negative integer.") }
            return .subscribe(topic: topic, since: raw.since)
        case "unsubscribe":
            guard let topic = raw.topic else { throw Invalid(message: "unsubscribe needs a topic.") }
            return .unsubscribe(topic: topic)
        default:
            throw Invalid(message: "Unknown message type; expected subscribe, unsubscribe or ping.")
        }
    }
}
