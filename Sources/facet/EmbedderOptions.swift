import ArgumentParser
import FacetVision
import Foundation

/// Which embedder turns photos into vectors. `learned` needs the ONNX model that `make model`
/// writes; without it the command says so on stderr and falls back to the hand-made embedder, so
/// a checkout without the model still works (with the weaker matching). The measuring commands
/// (eval, bench match) default to `learned`; the server keeps `handcrafted` until the learned
/// space's exact tier is measured safe (docs/search.md, "Embedders").
struct EmbedderOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable { case learned, handcrafted }

    @Option(help: "learned (MobileNetV2 ImageNet features + colour; needs the model) or handcrafted (env FACET_EMBEDDER; default learned for eval and bench, handcrafted for serve and demo).")
    var embedder: Kind?


    @Option(help: ArgumentHelp("ONNX model for the learned embedder (env FACET_MODEL, which the Makefile sets).", valueName: "file"))
    var embeddingModel: String = ImageModel.configuredPath

    @Option(help: ArgumentHelp("Projection fitted on the catalog for the learned embedder (`facet model fit-projection`; env FACET_PROJECTION; default: projection.bin beside the model). Without it the learned embedder's full 1316-number vectors are used.", valueName: "file"))
    var projection: String?

    @Flag(help: "Use the learned embedder's full vectors even when a fitted projection is there.")
    var noProjection = false

    @Flag(help: "Refuse to start when the learned embedder's model is missing instead of falling back.")
    var requireModel = false

    var projectionPath: String {
        projection ?? env("FACET_PROJECTION").flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: embeddingModel).deletingLastPathComponent().appendingPathComponent("projection.bin").path
    }

    /// The learned embedder without its projection: what `facet model fit-projection` fits on.
    func makeBase() throws -> LearnedEmbedder {
        do { return LearnedEmbedder(model: try ImageModel(path: embeddingModel)) } catch let error as ModelUnavailable {
            throw ValidationError(error.description)
        }
    }

    /// The embedder to use, or nil for the hand-made one; a missing model is reported loudly.
    func make(default fallback: Kind = .learned) throws -> (any Embedder)? {
        guard (embedder ?? Kind(rawValue: env("FACET_EMBEDDER") ?? "") ?? fallback) == .learned else { return nil }
        do {
            let base = LearnedEmbedder(model: try ImageModel(path: embeddingModel))
            guard !noProjection else { return base }
            guard let bytes = FileManager.default.contents(atPath: projectionPath) else {
                FileHandle.standardError.write(Data("""
                    warning: no fitted projection at \(projectionPath) (`make model-projection` fits it); \
                    using the learned embedder's full vectors, which tell designs apart less well.

                    """.utf8))
                return base
            }
            return try ProjectedEmbedder(base: base, projection: try Projection(serialised: [UInt8](bytes)))
        } catch let error as ModelUnavailable {
            if requireModel { throw ValidationError(error.description) }
            let line = String(repeating: "!", count: 78)
            FileHandle.standardError.write(Data("""
                \(line)
                !! WARNING: \(error.description).
                !! Falling back to the hand-made embedder: exact matches and alternatives are much weaker.
                !! Run `make model` (or pass --embedding-model FILE / set FACET_MODEL) and restart.
                \(line)

                """.utf8))
            return nil
        }
    }
}
