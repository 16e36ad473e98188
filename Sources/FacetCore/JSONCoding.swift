import Foundation

/// One JSON dialect for the API, the event log and stored documents: camelCase keys as
/// declared, ISO 8601 UTC dates with milliseconds, sorted keys so equal values are equal bytes.
public enum JSONCoding {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(iso8601(date))
        }
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    public static let decoder = JSONDecoder()

    public static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    /// Decodes a request body; a decoder failure becomes a `DomainError` naming the field at fault.
    public static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws -> T {
        guard !body.isEmpty else { throw malformed("the body is empty") }
        do {
            return try decoder.decode(type, from: Data(body))
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw malformed(context.debugDescription)
        } catch let DecodingError.keyNotFound(key, context) {
            let field = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw DomainError.invalid(field, "\(field) is required.")
        } catch let DecodingError.typeMismatch(_, context) where context.codingPath.isEmpty {
            throw malformed("send a JSON object (\(context.debugDescription))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw DomainError.invalid(field, "\(field) has the wrong type.")
        } catch let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw DomainError.invalid(field, "\(field) has an invalid value.")
        } catch {
            throw malformed("\(error)")
        }
    }

    static func malformed(_ detail: String) -> DomainError {
        DomainError(.malformed, code: "bad_json", "The request body is not valid JSON: \(detail)")
    }
}
