import COpenCVDNN
import Foundation

/// Why the learned model could not be used.
public struct ModelUnavailable: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String {
        "the embedding model \(path) cannot be used (\(reason)); `make model` fetches and converts it"
    }
}

/// One forward pass of the ImageNet MobileNetV2 (see docs/model.md): the 1280-d pooled feature
/// and the 1000 class logits.
public struct ModelOutput: Sendable {
    public let feature: [Float]
    public let logits: [Float]
}

/// The ONNX model run through OpenCV's dnn module. Several network copies let concurrent
/// callers run in parallel; each copy serialises its own passes.
public final class ImageModel: @unchecked Sendable {
    public static let environmentVariable = "FACET_MODEL"
    public static let defaultPath = ".cache/models/mobilenet_v2.onnx"
    public let path: String
    private let handle: OpaquePointer

    /// The path the Makefile exports (FACET_MODEL), else the cache folder of the working directory.
    public static var configuredPath: String {
        ProcessInfo.processInfo.environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
    }

    public init(path: String, instances: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw ModelUnavailable(path: path, reason: "no such file") }
        var error = [CChar](repeating: 0, count: 512)
        guard let h = facet_dnn_open(path, Int32(instances), &error, error.count) else {
            throw ModelUnavailable(path: path, reason: String(cString: error))
        }
        self.path = path
        self.handle = h
    }

    deinit { facet_dnn_close(handle) }

    /// The whole image (alpha over white) squashed to 224 × 224.
    public func run(_ image: RGBAImage, logits wantLogits: Bool = false) -> ModelOutput? {
        var feature = [Float](repeating: 0, count: Int(FACET_DNN_FEATURE))
        var logits = [Float](repeating: 0, count: wantLogits ? Int(FACET_DNN_CLASSES) : 0)
        var error = [CChar](repeating: 0, count: 256)
        let rc = image.pixels.withUnsafeBufferPointer { p in
            feature.withUnsafeMutableBufferPointer { f in
                logits.withUnsafeMutableBufferPointer { l in
                    facet_dnn_run(handle, p.baseAddress, Int32(image.width), Int32(image.height), f.baseAddress,
                                  wantLogits ? l.baseAddress : nil, &error, error.count)
                }
            }
        }
        return rc == 0 ? ModelOutput(feature: feature, logits: logits) : nil
    }
}

/// The learned embedder: MobileNetV2's pooled ImageNet feature of the whole photo, with the
/// hand-made chroma histogram of the piece appended at a small weight (colour is what ImageNet
/// features know least: a yellow and a white ring of one shape are near neighbours otherwise).
public struct LearnedEmbedder: Embedder {
    public let model: ImageModel
    public static let chromaWeight: Float = 0.35
    public var identifier: String { "facet-mobilenetv2-gap+chroma-v1" }
    public var dimension: Int { Int(FACET_DNN_FEATURE) + 36 }

    public init(model: ImageModel) { self.model = model }

    /// Set from the demo catalog's own distances (`facet eval` part 2), not from the evaluation
    /// listings: between products of one category p5 0.30 / p50 0.53; between two views of one
    /// product p50 0.51 (the spaces overlap, so only keypoints tell a second view apart). The
    /// exact band (d95) and the keypoint support stop at 0.20, a margin below the closest 5 % of
    /// other products; many inliers confirm only below 0.30; the falloff puts a typical other
    /// design of the category near 55 %.
    public var calibration: SimilarityCalibration {
        SimilarityCalibration(d95: 0.20, falloff: 0.60, supportDistance: 0.20, confirmDistance: 0.30)
    }

    public func embed(_ piece: NormalizedPiece) -> [Float] {
        // Without the source photo, the crop stands in for it (callers normally use embed(image:piece:)).
        let n = NormalizedPiece.side
        var px = [UInt8](repeating: 255, count: n * n * 4)
        for i in 0..<(n * n) {
            for c in 0..<3 { px[i * 4 + c] = UInt8(max(0, min(255, (piece.crop.data[i * 3 + c] * 255).rounded()))) }
        }
        return embed(image: RGBAImage(width: n, height: n, pixels: px), piece: piece)
    }

    public func embed(image: RGBAImage, piece: NormalizedPiece) -> [Float] {
        let feature = model.run(image)?.feature ?? [Float](repeating: 0, count: Int(FACET_DNN_FEATURE))
        var v = Embedding.normalised(feature)
        let chroma = Embedding.normalised(Features.chromaHistogram(piece))
        v += chroma.map { $0 * Self.chromaWeight }
        return Embedding.normalised(v)
    }
}
