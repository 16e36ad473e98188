/// An 8-bit RGBA image, rows top to bottom, no padding.
public struct RGBAImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 4)
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public init(width: Int, height: Int, fill: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 255)) {
        var p = [UInt8](repeating: 0, count: width * height * 4)
        for i in stride(from: 0, to: p.count, by: 4) {
            p[i] = fill.0; p[i + 1] = fill.1; p[i + 2] = fill.2; p[i + 3] = fill.3
        }
        self.init(width: width, height: height, pixels: p)
    }

    /// RGB without alpha, alpha composited over `background`.
    public func rgb(over background: (UInt8, UInt8, UInt8) = (255, 255, 255)) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width * height * 3)
        pixels.withUnsafeBufferPointer { p in
            for i in 0..<(width * height) {
                let a = Int(p[i * 4 + 3])
                if a == 255 {
                    out[i * 3] = p[i * 4]; out[i * 3 + 1] = p[i * 4 + 1]; out[i * 3 + 2] = p[i * 4 + 2]
                } else {
                    out[i * 3] = UInt8((Int(p[i * 4]) * a + Int(background.0) * (255 - a)) / 255)
                    out[i * 3 + 1] = UInt8((Int(p[i * 4 + 1]) * a + Int(background.1) * (255 - a)) / 255)
                    out[i * 3 + 2] = UInt8((Int(p[i * 4 + 2]) * a + Int(background.2) * (255 - a)) / 255)
                }
            }
        }
        return out
    }

    public init(width: Int, height: Int, rgb: [UInt8]) {
        precondition(rgb.count == width * height * 3)
        var p = [UInt8](repeating: 255, count: width * height * 4)
        for i in 0..<(width * height) {
            p[i * 4] = rgb[i * 3]; p[i * 4 + 1] = rgb[i * 3 + 1]; p[i * 4 + 2] = rgb[i * 3 + 2]
        }
        self.init(width: width, height: height, pixels: p)
    }
}

/// A float RGB image (0…1), planar-free interleaved, used by the normalisation and features.
public struct FloatImage: Sendable {
    public let width: Int
    public let height: Int
    public var data: [Float]   // width * height * 3

    public init(width: Int, height: Int, data: [Float]) {
        self.width = width; self.height = height; self.data = data
    }
}
