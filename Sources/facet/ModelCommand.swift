import ArgumentParser
import FacetVision
import Foundation

struct Model: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The learned embedder's fitted parts.",
        subcommands: [FitProjection.self])
}

/// Fits the learned embedder's projection (FacetVision `Projection`) on the brands' demo photos:
/// products with two or more views say what "another photo of this design" is. Marketplace
/// photos are left out; they are what `facet eval` part 4 measures with. Deterministic: the same
/// photos and model give the same file.
struct FitProjection: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit-projection",
        abstract: "Fit the learned embedder's projection on the brands' demo photos and write it (make model-projection).")

    @Option(help: "Demo-world image list (seeds/catalog/images.jsonl).")
    var world: String = "seeds/catalog/images.jsonl"

    @Option(help: ArgumentHelp("Where to write it (default: projection.bin beside the model).", valueName: "file"))
    var out: String?

    @Option(help: "Principal components kept before whitening.")
    var principal: Int = 256

    @Option(help: "Numbers per photo after projecting.")
    var dimensions: Int = 128

    @Option(help: "Share of the mean within-product variance added to every direction.")
    var regularisation: Double = 0.1

    @OptionGroup var embedding: EmbedderOptions

    func run() throws {
        let base = try embedding.makeBase()
        let photos = try Self.brandPhotos(world)
        guard !photos.isEmpty else { throw ValidationError("no brand photos listed in \(world) exist on disk") }
        let pipeline = VisionPipeline(embedder: base)
        let started = Date()
        let vectors: [[Float]?] = Parallel.map(photos) { p in
            guard let bytes = try? [UInt8](Data(contentsOf: URL(fileURLWithPath: p.path))) else { return nil }
            return try? pipeline.analyze(bytes: bytes).embedding
        }
        let kept = zip(photos, vectors).compactMap { p, v in v.map { (p.product, $0) } }
        let projection = try Projection.fit(vectors: kept.map(\.1), groups: kept.map(\.0), principal: principal,
                                            output: dimensions, regularisation: regularisation)
        let path = out ?? embedding.projectionPath
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(projection.serialised()).write(to: URL(fileURLWithPath: path), options: .atomic)
        print(String(format: "projection %@: %d photos of %d products, %d → %d numbers, %.0f s; written to %@",
                     projection.identifier, kept.count, Set(kept.map(\.0)).count, projection.inputDimension,
                     projection.outputDimension, Date().timeIntervalSince(started), path))
    }

    /// Brand photos (not the marketplace's) with their product, in the list's order.
    static func brandPhotos(_ list: String) throws -> [(path: String, product: String)] {
        let text = try String(contentsOfFile: list, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let path = o["path"] as? String, let product = o["productId"] as? String,
                  let source = o["source"] as? String, source != "marketplace",
                  FileManager.default.fileExists(atPath: path) else { return nil }
            return (path, product)
        }
    }
}
