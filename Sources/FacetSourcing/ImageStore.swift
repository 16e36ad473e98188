import Crypto
import Foundation

/// Photos kept by their content: `<data>/images/<sha256>.<ext>`. The same bytes are
/// stored once whatever product or brand they came from. Only JPEG, PNG and WebP are
/// accepted (sniffed from magic bytes, never from a name or header), capped in size,
/// and JPEG metadata (EXIF, XMP, ICC, comments) is removed before hashing.
public struct ImageStore: Sendable {
    public enum Kind: String, Sendable { case jpeg, png, webp
        public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
        public var contentType: String { "image/\(rawValue)" }
    }

    public enum Failure: Error, Equatable, Sendable {
        case tooLarge(Int)
        case notAnImage
        case malformed
    }

    public struct Stored: Sendable, Equatable {
        public let sha256: String
        public let kind: Kind
        public let bytes: Int
        public let created: Bool
        public var fileName: String { "\(sha256).\(kind.fileExtension)" }
    }

    public let directory: URL
    public let maxBytes: Int

    public init(directory: URL, maxBytes: Int = 8 << 20) {
        self.directory = directory
        self.maxBytes = maxBytes
    }

    public static func sniff(_ bytes: [UInt8]) -> Kind? {
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        if bytes.count >= 8, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.count >= 12, bytes[0..<4].elementsEqual(Array("RIFF".utf8)), bytes[8..<12].elementsEqual(Array("WEBP".utf8)) { return .webp }
        return nil
    }

    /// Removes APP1…APP15 segments (EXIF, XMP, ICC, Photoshop) and COM comments; keeps
    /// APP0 (JFIF) and everything the decoder needs. The entropy-coded data after SOS is
    /// copied unchanged.
    public static func stripJPEGMetadata(_ bytes: [UInt8]) throws -> [UInt8] {
        guard sniff(bytes) == .jpeg else { throw Failure.notAnImage }
        var out: [UInt8] = [0xFF, 0xD8]
        out.reserveCapacity(bytes.count)
        var i = 2
        while i + 1 < bytes.count {
            guard bytes[i] == 0xFF else { throw Failure.malformed }
            var m = i + 1
            while m < bytes.count, bytes[m] == 0xFF { m += 1 } // fill bytes
            guard m < bytes.count else { throw Failure.malformed }
            let marker = bytes[m]
            i = m + 1
            if marker == 0xD9 { out += [0xFF, 0xD9]; return out }
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { out += [0xFF, marker]; continue }
            guard i + 1 < bytes.count else { throw Failure.malformed }
            let length = Int(bytes[i]) << 8 | Int(bytes[i + 1])
            guard length >= 2, i + length <= bytes.count else { throw Failure.malformed }
            let segmentEnd = i + length
            let drop = (0xE1...0xEF).contains(marker) || marker == 0xFE
            if !drop { out += [0xFF, marker]; out += bytes[i..<segmentEnd] }
            i = segmentEnd
            if marker == 0xDA { // start of scan: the rest is image data up to and including EOI
                out += bytes[i...]
                return out
            }
        }
        return out
    }

    /// Validates, cleans and stores; returns the name under which the bytes live.
    public func store(_ raw: [UInt8]) throws -> Stored {
        guard raw.count <= maxBytes else { throw Failure.tooLarge(maxBytes) }
        guard let kind = Self.sniff(raw) else { throw Failure.notAnImage }
        let clean = kind == .jpeg ? try Self.stripJPEGMetadata(raw) : raw
        let digest = SHA256.hash(data: clean).map { String(format: "%02x", $0) }.joined()
        let stored = Stored(sha256: digest, kind: kind, bytes: clean.count, created: false)
        let url = directory.appendingPathComponent(stored.fileName)
        if FileManager.default.fileExists(atPath: url.path) { return stored }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(digest).\(UUID().uuidString).tmp")
        try Data(clean).write(to: temporary)
        if rename(temporary.path, url.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
        return Stored(sha256: digest, kind: kind, bytes: clean.count, created: true)
    }

    /// The file for a stored name (`<sha256>.<ext>`), or nil for anything else.
    public func file(named name: String) -> URL? {
        let parts = name.split(separator: ".")
        guard parts.count == 2, parts[0].count == 64, parts[0].allSatisfy(\.isHexDigit),
              ["jpg", "png", "webp"].contains(parts[1]) else { return nil }
        let url = directory.appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}
