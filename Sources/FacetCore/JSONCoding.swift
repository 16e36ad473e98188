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

    /// Reads back what `encoder` wrote into the database (ISO 8601 dates, with or without fractions).
    public static let stored: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
            return try Date(text, strategy: .iso8601)
        }
        return decoder
    }()

    /// A value as the JSON text stored in a column; "null" if it cannot be encoded.
    public static func text<T: Encodable>(_ value: T) -> String {
        (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "null"
    }

    public static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    /// Decodes a request body; a decoder failure becomes a `DomainError` naming the field at fault.
    /// `lines[0].quantity`: the member as the client wrote it, array positions in brackets.
    static func path(_ keys: [CodingKey]) -> String {
        keys.reduce(into: "") { text, key in
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
    }

    public static func decode<T: Decodable>(_ type: T.Type, from body: [UInt8]) throws -> T {
        guard !body.isEmpty else { throw malformed("the body is empty") }
        do {
            return try decoder.decode(type, from: Data(body))
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw malformed(context.debugDescription)
        } catch let DecodingError.keyNotFound(key, context) {
            let field = path(context.codingPath + [key])
            throw DomainError.invalid(field, "\(field) is required.")
        } catch let DecodingError.typeMismatch(_, context) where context.codingPath.isEmpty {
            throw malformed("send a JSON object (\(context.debugDescription))")
        } catch let DecodingError.valueNotFound(_, context) where context.codingPath.isEmpty {
            throw malformed("send a JSON object (\(context.debugDescription))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = path(context.codingPath)
            throw DomainError.invalid(field, "\(field) has the wrong type.")
        } catch let DecodingError.dataCorrupted(context) {
            let field = path(context.codingPath)
            throw DomainError.invalid(field, "\(field) has an invalid value.")
        } catch {
            throw malformed("\(error)")
        }
    }

    public static func malformed(_ detail: String) -> DomainError {
        DomainError(.malformed, code: "bad_json", "The request body is not valid JSON: \(detail)")
    }
}
