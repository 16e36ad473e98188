/// Why an upload could not be turned into pixels.
public enum VisionError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case unsupportedType(detected: String)
    case tooLarge(bytes: Int, limit: Int)
    case tooManyPixels(width: Int, height: Int, limit: Int)
    case corrupt(format: ImageFormat, reason: String)

    public static let acceptedTypesText = "JPEG, PNG, WebP, HEIC/HEIF or GIF"

    public var description: String {
        switch self {
        case .empty: return "the file is empty"
        case .unsupportedType(let detected):
            return "unsupported image type (\(detected)); accepted: \(Self.acceptedTypesText)"
        case .tooLarge(let bytes, let limit):
            return "the file is \(bytes) bytes; the limit is \(limit) bytes"
        case .tooManyPixels(let w, let h, let limit):
            return "the image is \(w) × \(h) pixels; the limit is \(limit / 1_000_000) megapixels"
        case .corrupt(let format, let reason):
            return "the \(format.displayName) file is corrupt or truncated (\(reason))"
        }
    }
}
