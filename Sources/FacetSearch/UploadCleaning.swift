import FacetSourcing
import FacetVision

/// A buyer's photo as Facet keeps it: only pixels, no camera metadata (EXIF, GPS, XMP, text
/// chunks). A JPEG or PNG is cleaned as it is, without decoding and encoding it again, which
/// was a quarter of a search's CPU; a JPEG that must be rotated and a WebP are re-encoded.
public enum UploadCleaning {
    public static func clean(_ bytes: [UInt8], decoded image: RGBAImage) throws -> [UInt8] {
        switch ImageStore.sniff(bytes) {
        case .jpeg? where Orientation.exifOrientation(bytes) == 1:
            return try ImageStore.stripJPEGMetadata(bytes)
        case .png?:
            if let clean = stripPNGText(bytes) { return clean }
            return try ImageEncoder.jpeg(image, quality: 88)
        default:
            // The orientation lives in the metadata we drop: bake it into the pixels instead.
            return try ImageEncoder.jpeg(image, quality: 88)
        }
    }

    /// Chunks a PNG may carry about the camera or the author; everything else is kept.
    static let droppedChunks: Set<String> = ["tEXt", "zTXt", "iTXt", "eXIf", "tIME"]

    /// The PNG without its text and EXIF chunks; nil when the chunk structure is not sound.
    static func stripPNGText(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count >= 8 else { return nil }
        var out = Array(bytes[0..<8])
        out.reserveCapacity(bytes.count)
        var i = 8
        while i + 12 <= bytes.count {
            let length = Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            guard length >= 0, length <= bytes.count - i - 12 else { return nil }
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            let end = i + 12 + length
            if !droppedChunks.contains(type) { out += bytes[i..<end] }
            i = end
            if type == "IEND" { return out }
        }
        return nil
    }
}
