import FacetVision
import Foundation

/// The byte layout of stored features: the embedding as little-endian Float16, keypoints as
/// count, then x and y as Float16 pairs and four descriptor words each.
public enum FeatureCodec {
    public static func embedding(_ v: [Float]) -> Data {
        var data = Data(capacity: v.count * 2)
        for bits in Embedding.pack(v) { withUnsafeBytes(of: bits.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    public static func embedding(_ data: Data) -> [Float] {
        let bytes = [UInt8](data)
        var packed = [UInt16](repeating: 0, count: bytes.count / 2)
        for i in 0..<packed.count { packed[i] = UInt16(bytes[2 * i]) | UInt16(bytes[2 * i + 1]) << 8 }
        return Embedding.unpack(packed)
    }

    public static func keypoints(_ k: KeypointSet) -> Data {
        var data = Data()
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        put(UInt32(k.count))
        for i in 0..<k.count {
            put(Float16(k.x[i]).bitPattern); put(Float16(k.y[i]).bitPattern)
            for w in 0..<4 { put(k.descriptors[4 * i + w]) }
        }
        return data
    }

    public static func keypoints(_ data: Data) -> KeypointSet {
        let b = [UInt8](data)
        var k = KeypointSet()
        guard b.count >= 4 else { return k }
        func read<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> T {
            var v: T = 0
            for i in 0..<MemoryLayout<T>.size { v |= T(b[at + i]) << (8 * i) }
            return v
        }
        let n = Int(read(0, UInt32.self))
        let record = 4 + 32
        guard b.count >= 4 + n * record else { return k }
        for i in 0..<n {
            let o = 4 + i * record
            k.x.append(Float(Float16(bitPattern: read(o, UInt16.self))))
            k.y.append(Float(Float16(bitPattern: read(o + 2, UInt16.self))))
            for w in 0..<4 { k.descriptors.append(read(o + 4 + 8 * w, UInt64.self)) }
        }
        return k
    }

    public static func attributes(_ a: ExtractedAttributes) -> String {
        (try? String(decoding: JSONEncoder().encode(a), as: UTF8.self)) ?? "{}"
    }
}
