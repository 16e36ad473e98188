import Crypto
import _CryptoExtras
import Foundation

/// scrypt with a per-password salt, encoded with its parameters so they can be raised
/// later without invalidating stored hashes.
public struct PasswordHasher: Sendable {
    public let logRounds: Int
    let blockSize = 8
    let parallelism = 1

    /// 2^14 rounds is about 16 MiB and tens of milliseconds per hash in a release build.
    /// FACET_SCRYPT_LOG_N lowers or raises it (10...20); stored hashes keep their own cost.
    public static var defaultLogRounds: Int {
        let configured = ProcessInfo.processInfo.environment["FACET_SCRYPT_LOG_N"].flatMap { Int($0) } ?? 14
        return min(max(configured, 10), 20)
    }

    public init(logRounds: Int = PasswordHasher.defaultLogRounds) {
        self.logRounds = logRounds
    }

    public func hash(_ password: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = generator.next() }
        let key = try derive(password, salt: salt, logRounds: logRounds, blockSize: blockSize, parallelism: parallelism)
        return ["scrypt", String(logRounds), String(blockSize), String(parallelism),
                Data(salt).base64EncodedString(), Data(key).base64EncodedString()].joined(separator: "$")
    }

    public func verify(_ password: String, against encoded: String) -> Bool {
        let parts = encoded.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt",
              let logN = Int(parts[1]), (1...20).contains(logN),
              let r = Int(parts[2]), (1...32).contains(r),
              let p = Int(parts[3]), (1...16).contains(p),
              let salt = Data(base64Encoded: parts[4]),
              let expected = Data(base64Encoded: parts[5]),
              let actual = try? derive(password, salt: Array(salt), logRounds: logN, blockSize: r, parallelism: p)
        else { return false }
        return constantTimeEqual(Array(expected), actual)
    }

    private func derive(_ password: String, salt: [UInt8], logRounds: Int, blockSize: Int, parallelism: Int) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(from: Array(password.utf8), salt: salt, outputByteCount: 32,
                                           rounds: 1 << logRounds, blockSize: blockSize, parallelism: parallelism)
        return key.withUnsafeBytes { Array($0) }
    }
}

func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for i in a.indices { difference |= a[i] ^ b[i] }
    return difference == 0
}
