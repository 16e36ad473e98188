/// Opaque identifiers: a short type prefix for humans reading logs, then random
/// base-62 characters. Nothing may parse meaning out of them beyond the prefix.
public enum Identifier {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    public static func make(_ prefix: String, length: Int = 16) -> String {
        var generator = SystemRandomNumberGenerator()
        var id = prefix + "_"
        for _ in 0..<length { id.append(alphabet.randomElement(using: &generator)!) }
        return id
    }
}
