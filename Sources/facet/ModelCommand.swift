import ArgumentParser
import FacetVision
import Foundation

struct Model: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The learned embedder's fitted parts.",
        subcommands: [FitProjection.self, FitHeads.self])
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

    /// Brand photos (not the marketplace's) with their product and attributes, in the list's order.
    static func brandPhotos(_ list: String) throws -> [(path: String, product: String, attributes: [String: Any])] {
        let text = try String(contentsOfFile: list, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let path = o["path"] as? String, let product = o["productId"] as? String,
                  let source = o["source"] as? String, source != "marketplace",
                  FileManager.default.fileExists(atPath: path) else { return nil }
            return (path, product, (o["attributes"] as? [String: Any]) ?? [:])
        }
    }
}

/// Fits the metal and stone heads (FacetVision `AttributeHeads`) for one embedder: on the brands'
/// demo renders, and on the labelled real photos when the folder has them. Prints what k-fold
/// cross-validation on those photos measures (each read by heads fitted without it) before
/// fitting on all of them. Deterministic: the same photos, embedder and options give the same file.
struct FitHeads: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit-heads",
        abstract: "Fit the metal and stone heads for an embedder and write them (make model-heads).")

    @Option(help: "Demo-world image list (seeds/catalog/images.jsonl).")
    var world: String = "seeds/catalog/images.jsonl"

    @Option(help: "Folder of labelled real photos (LABELS.tsv); left out when it has none.")
    var photos: String = "../shared/data/jewelry"

    @Option(help: ArgumentHelp("Where to write them (default: heads-<embedder>.json beside the model).", valueName: "file"))
    var out: String?

    @Option(help: "Folds of the cross-validation on the real photos (0: none).")
    var folds: Int = 5

    @Option(help: "L2 penalty on the weights.")
    var l2: Float = 0.01

    @Option(help: "Training iterations (full batch).")
    var iterations: Int = 300

    @Option(help: "Folds whose held-out readings set each head's temperature, how sure it says it is (0, the default: none; docs/search.md).")
    var calibrationFolds: Int = 0

    @OptionGroup var embedding: EmbedderOptions

    func run() throws {
        let embedder = try embedding.make() ?? HandcraftedEmbedder()
        let pipeline = VisionPipeline(embedder: embedder)
        let started = Date()
        let renders = try HeadsTraining.renders(world: world, pipeline: pipeline)
        guard !renders.isEmpty else { throw ValidationError("no brand photos listed in \(world) exist on disk") }
        let real = try HeadsTraining.realPhotos(folder: photos, pipeline: pipeline)
        let samples = renders + real
        let settings = HeadsTraining.Settings(l2: l2, iterations: iterations, calibrationFolds: calibrationFolds)
        if folds > 1 && !real.isEmpty {
            let predicted = HeadsTraining.crossValidated(samples, folds: folds, embedder: pipeline.headsSpace, settings: settings)
            let figures = HeadsTraining.figures(samples, heads: predicted, folds: folds)
            print("\(real.count) labelled photos, each read by heads fitted without its fold:")
            for (key, f) in figures.sorted(by: { $0.key < $1.key }) {
                print("  " + key.padding(toLength: 24, withPad: " ", startingAt: 0)
                      + String(format: "macro-F1 %.3f  accuracy %.3f  unknown %.3f  (%d photos)", f.macroF1, f.accuracy, f.unknownRate, f.items))
                if let c = f.confidence { print("    " + c.line) }
            }
        }
        let heads = HeadsTraining.fit(samples, embedder: pipeline.headsSpace, settings: settings)
        let path = out ?? embedding.headsPath(for: embedder)
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        try heads.serialised().write(to: URL(fileURLWithPath: path), options: .atomic)
        print(String(format: "heads for %@ (%@), %.0f s; written to %@", pipeline.headsSpace, heads.fittedOn,
                     Date().timeIntervalSince(started), path))
    }
}
