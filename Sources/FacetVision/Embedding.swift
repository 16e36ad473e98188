import Foundation

/// Turns an image into one fixed-length, L2-normalised vector. The hand-built embedder below
/// is the default; a learned model can take its place behind this protocol.
public protocol Embedder: Sendable {
    /// A name and version; vectors from different identifiers are not comparable.
    var identifier: String { get }
    var dimension: Int { get }
    func embed(_ piece: NormalizedPiece) -> [Float]
    /// The whole decoded photo as well as its normalised piece, for embedders that look at both.
    func embed(image: RGBAImage, piece: NormalizedPiece) -> [Float]
    var calibration: SimilarityCalibration { get }
}

extension Embedder {
    /// Distances → calibrated similarity for this embedder's vector space.
    public var calibration: SimilarityCalibration { .standard }
    public func embed(image: RGBAImage, piece: NormalizedPiece) -> [Float] { embed(piece) }
}

/// Concatenated, weighted, per-block L2-normalised hand-built descriptors.
public struct HandcraftedEmbedder: Embedder {
    public struct Weights: Sendable {
        public var thumbnail: Float = 1.0
        public var edges: Float = 0.8
        public var chroma: Float = 0.5
        public var texture: Float = 0.35
        public var shape: Float = 0.3
        public init() {}
    }
    public let weights: Weights
    public static let thumbSide = 12
    public var identifier: String { "facet-handcrafted-v1" }
    public var dimension: Int { Self.thumbSide * Self.thumbSide + 128 + 36 + 20 + 9 }

    public init(weights: Weights = Weights()) { self.weights = weights }

    /// Checked on the demo catalog itself (`facet eval` part 2: each brand photo searched against
    /// the other brands' products with the live keypoint rule). With `.standard` (many inliers
    /// confirming at any distance) another product was taken as the exact match for 10 % of the
    /// photos: renders of one template share keypoints, and in this space another view of a
    /// product is no nearer than other products. Here the band stops at 0.26, keypoints confirm
    /// only within it, and only 64 or more standing-out inliers (more than any other product got
    /// there, max 63) confirm beyond it: 0.6 % taken. An edited copy of the photo itself keeps its
    /// keypoints, so it is still found.
    public var calibration: SimilarityCalibration {
        SimilarityCalibration(d95: 0.26, falloff: 0.25, supportDistance: 0.26, confirmDistance: 0.26, certainInliers: 64)
    }

    public func embed(_ piece: NormalizedPiece) -> [Float] {
        var v: [Float] = []
        v.reserveCapacity(dimension)
        func add(_ block: [Float], _ w: Float) {
            let n = sqrtf(block.reduce(0) { $0 + $1 * $1 })
            v += block.map { n > 0 ? $0 / n * w : 0 }
        }
        add(Features.thumbnail(piece, side: Self.thumbSide), weights.thumbnail)
        add(Features.edgeOrientation(piece), weights.edges)
        add(Features.chromaHistogram(piece), weights.chroma)
        add(Features.texture(piece), weights.texture)
        add(Features.shape(piece), weights.shape)
        return Embedding.normalised(v)
    }
}

public enum Embedding {
    public static func normalised(_ v: [Float]) -> [Float] {
        let n = sqrtf(v.reduce(0) { $0 + $1 * $1 })
        return n > 0 ? v.map { $0 / n } : v
    }

    /// Euclidean distance between two unit vectors (0 … 2).
    public static func distance(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        var s: Float = 0
        for i in 0..<a.count { let d = a[i] - b[i]; s += d * d }
        return sqrtf(s)
    }

    /// Compact storage: Float16 bits, two bytes per dimension.
    public static func pack(_ v: [Float]) -> [UInt16] { v.map { Float16($0).bitPattern } }
    public static func unpack(_ p: [UInt16]) -> [Float] { p.map { Float(Float16(bitPattern: $0)) } }
}

/// Everything the search needs from one photo.
public struct ImageAnalysis: Sendable {
    public let width: Int
    public let height: Int
    public let piece: NormalizedPiece
    public let perceptualHash: UInt64
    public let embedding: [Float]
    public let attributes: ExtractedAttributes
    /// Keypoints for geometric verification of a shortlist (may be kept on disk).
    public let keypoints: KeypointSet
    /// What the attribute heads read: the embedder's vector before any projection (a projection
    /// fitted to tell products apart drops much of what tells metals and stones apart).
    public let headsEmbedding: [Float]

    /// The same analysis with another embedding (the raw vector through a projection).
    public func with(embedding: [Float]) -> ImageAnalysis {
        ImageAnalysis(width: width, height: height, piece: piece, perceptualHash: perceptualHash, embedding: embedding,
                      attributes: attributes, keypoints: keypoints, headsEmbedding: headsEmbedding)
    }
}

/// An embedder whose vectors are another embedder's (`base`) mapped by `project`; the attribute
/// heads read the base's vector (`VisionPipeline.headsSpace`).
public protocol ProjectingEmbedder: Embedder {
    var base: any Embedder { get }
    func project(_ raw: [Float]) -> [Float]
}

public struct VisionPipeline: Sendable {
    public let embedder: any Embedder
    public let limits: DecodeLimits
    /// Metal and stone heads fitted for this embedder; nil (or fitted for another) keeps the colour rules.
    public let heads: AttributeHeads?

    public init(embedder: any Embedder = HandcraftedEmbedder(), limits: DecodeLimits = .standard, heads: AttributeHeads? = nil) {
        self.embedder = embedder; self.limits = limits
        self.heads = heads?.embedder == Self.headsSpace(of: embedder) ? heads : nil
    }

    /// The vector space attribute heads are fitted in for an embedder: a projected embedder's base.
    public static func headsSpace(of embedder: any Embedder) -> String {
        (embedder as? any ProjectingEmbedder)?.base.identifier ?? embedder.identifier
    }

    public var headsSpace: String { Self.headsSpace(of: embedder) }

    /// The embedding and the vector the heads read (the same unless the embedder projects).
    func embeddings(_ image: RGBAImage, _ piece: NormalizedPiece) -> (embedding: [Float], forHeads: [Float]) {
        guard let projected = embedder as? any ProjectingEmbedder else {
            let e = embedder.embed(image: image, piece: piece)
            return (e, e)
        }
        let raw = projected.base.embed(image: image, piece: piece)
        return (projected.project(raw), raw)
    }

    public func analyze(bytes: [UInt8]) throws -> ImageAnalysis {
        analyze(try ImageDecoder.decode(bytes, limits: limits))
    }

    public func analyze(_ image: RGBAImage) -> ImageAnalysis {
        let piece = Normaliser.normalise(image)
        let n = NormalizedPiece.side
        var grey = Resample.grey(piece.crop)
        for i in 0..<grey.count { grey[i] = grey[i] * piece.mask[i] + (1 - piece.mask[i]) }
        let hash = Features.perceptualHash(grey: grey, width: n, height: n)
        let (embedding, forHeads) = embeddings(image, piece)
        let rules = AttributeExtractor.extract(piece)
        let attributes = heads.map { $0.read(piece, rules: rules, embedding: forHeads) } ?? rules
        return ImageAnalysis(width: image.width, height: image.height, piece: piece, perceptualHash: hash,
                             embedding: embedding, attributes: attributes,
                             keypoints: Keypoints.detect(grey: Self.keypointCrop(image, piece)), headsEmbedding: forHeads)
    }

    /// A contrast-normalised grey crop of the piece at `Keypoints.side`, from the full image.
    static func keypointCrop(_ image: RGBAImage, _ piece: NormalizedPiece) -> [Float] {
        let k = Keypoints.side
        let sidePx = piece.cropInSource.side * Float(image.width)
        let scale = min(4, Float(k) / max(1, sidePx))
        let fw = max(8, Int(Float(image.width) * scale)), fh = max(8, Int(Float(image.height) * scale))
        let bg = (Float(1), Float(1), Float(1))
        let cx = piece.cropInSource.x * Float(fw), cy = piece.cropInSource.y * Float(fh), side = piece.cropInSource.side * Float(fw)
        // Only the part of the scaled photo the crop reads, with a margin for the bilinear taps:
        // scaling the whole photo up to 4× to keep a 192-pixel square of it was a fifth of the
        // analysis. The pixels are the same either way.
        let x0 = max(0, min(fw - 1, Int(floorf(cx)) - 2)), y0 = max(0, min(fh - 1, Int(floorf(cy)) - 2))
        let x1 = max(x0 + 1, min(fw, Int(ceilf(cx + side)) + 2)), y1 = max(y0 + 1, min(fh, Int(ceilf(cy + side)) + 2))
        let window = Resample.toFloat(image, width: fw, height: fh, window: (x0, y0, x1 - x0, y1 - y0))
        let crop = Resample.crop(window, x: cx - Float(x0), y: cy - Float(y0), width: side, height: side, to: k, k, fill: bg)
        var g = Resample.grey(crop)
        // Normalise contrast on the piece (per its mask), so light changes and a changed
        // background do not move the FAST threshold. (Flattening the background to a constant
        // was tried and lost more than it gained: enclosed background regions that a cut-out
        // leaves behind then change the descriptors around the piece's edges.)
        let n = NormalizedPiece.side
        var mask = [Float](repeating: 1, count: k * k)
        if piece.foregroundFound {
            for y in 0..<k {
                for x in 0..<k {
                    let fx = (Float(x) + 0.5) * Float(n) / Float(k) - 0.5, fy = (Float(y) + 0.5) * Float(n) / Float(k) - 0.5
                    let ix = max(0, min(n - 1, Int(fx.rounded()))), iy = max(0, min(n - 1, Int(fy.rounded())))
                    mask[y * k + x] = piece.mask[iy * n + ix]
                }
            }
        }
        var sum: Float = 0, sq: Float = 0, ws: Float = 0
        for i in 0..<g.count { sum += mask[i] * g[i]; sq += mask[i] * g[i] * g[i]; ws += mask[i] }
        let mean = ws > 0 ? sum / ws : 0.5
        let sd = sqrtf(max(1e-4, sq / max(ws, 1) - mean * mean))
        for i in 0..<g.count { g[i] = (g[i] - mean) / (4 * sd) + 0.5 }
        return g
    }
}
