import ArgumentParser
import FacetSearch
import FacetVision
import Foundation

/// Which embedder turns photos into vectors. `learned` needs the ONNX model that `make model`
/// writes; without it the command says so on stderr and falls back to the hand-made embedder, so
/// a checkout without the model still works (with the weaker matching). Every command defaults to
/// `learned`: it ranks another photo of a design first about three times as often as the hand-made
/// one at the same false-exact rate, for about 50 ms more per photo (docs/search.md, "Embedders").
struct EmbedderOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable { case learned, handcrafted }

    @Option(help: "learned (MobileNetV2 ImageNet features + colour; needs the model) or handcrafted (env FACET_EMBEDDER; default learned).")
    var embedder: Kind?


    @Option(help: ArgumentHelp("ONNX model for the learned embedder (env FACET_MODEL, which the Makefile sets).", valueName: "file"))
    var embeddingModel: String = ImageModel.configuredPath

    @Option(help: ArgumentHelp("Projection fitted on the catalog for the learned embedder (`facet model fit-projection`; env FACET_PROJECTION, `off` for none; default: projection.bin beside the model). Without it the learned embedder's full 1316-number vectors are used.", valueName: "file"))
    var projection: String?

    @Flag(help: "Use the learned embedder's full vectors even when a fitted projection is there.")
    var noProjection = false

    @Option(help: ArgumentHelp("Metal and stone heads fitted for the embedder in use (`facet model fit-heads`; env FACET_ATTRIBUTE_HEADS, `off` for none; default: heads-learned.json or heads-handcrafted.json beside the model). Without them metal and stones come from the colour rules.", valueName: "file"))
    var attributeHeads: String?

    @Flag(help: "Read metal and stones with the colour rules even when fitted heads are there.")
    var noAttributeHeads = false

    @Flag(help: "Refuse to start when the learned embedder's model is missing instead of falling back.")
    var requireModel = false

    var projectionPath: String {
        projection ?? env("FACET_PROJECTION").flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: embeddingModel).deletingLastPathComponent().appendingPathComponent("projection.bin").path
    }

    func headsPath(for embedder: any Embedder) -> String {
        attributeHeads ?? env("FACET_ATTRIBUTE_HEADS").flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: embeddingModel).deletingLastPathComponent()
                .appendingPathComponent("heads-\(embedder is HandcraftedEmbedder ? "handcrafted" : "learned").json").path
    }

    /// The fitted heads for `embedder`, or nil (said on stderr) when there are none or they were
    /// fitted for another vector space (the learned embedder's heads read its vector before the
    /// projection, so a refitted projection keeps them).
    func heads(for embedder: any Embedder) -> AttributeHeads? {
        let path = headsPath(for: embedder)
        guard !noAttributeHeads, path != "off" else { return nil }
        func warn(_ why: String) {
            FileHandle.standardError.write(Data("note: \(why); metal and stones come from the colour rules (`make model-heads` fits the heads)\n".utf8))
        }
        guard let data = FileManager.default.contents(atPath: path) else { warn("no attribute heads at \(path)"); return nil }
        do {
            let heads = try AttributeHeads(serialised: data)
            guard heads.embedder == VisionPipeline.headsSpace(of: embedder) else {
                warn("the attribute heads at \(path) were fitted for \(heads.embedder), not \(VisionPipeline.headsSpace(of: embedder))"); return nil
            }
            return heads
        } catch {
            warn("the attribute heads at \(path) cannot be read (\(error))"); return nil
        }
    }

    /// The embedder (hand-made when nil comes back from `make`) with its heads.
    func makePipeline(default fallback: Kind = .learned) throws -> VisionPipeline {
        let embedder = try make(default: fallback) ?? HandcraftedEmbedder()
        return VisionPipeline(embedder: embedder, heads: heads(for: embedder))
    }

    /// The learned embedder without its projection: what `facet model fit-projection` fits on.
    func makeBase() throws -> LearnedEmbedder {
        do { return LearnedEmbedder(model: try ImageModel(path: embeddingModel)) } catch let error as ModelUnavailable {
            throw ValidationError(error.description)
        }
    }

    /// The embedder asked for: the flag, else FACET_EMBEDDER, else the command's default.
    func requested(default fallback: Kind = .learned) -> Kind {
        embedder ?? Kind(rawValue: env("FACET_EMBEDDER") ?? "") ?? fallback
    }

    /// The server's embedder, its heads, and what staff are told when the learned embedder was asked
    /// for but its model is missing (the console's search tile shows it).
    func configure(_ search: inout SearchService.Options) throws {
        search.embedder = try make()
        search.attributeHeads = heads(for: search.embedder ?? HandcraftedEmbedder())
        search.embedderWarning = search.embedder == nil && requested() == .learned
            ? "Image model missing (\(embeddingModel)): searches use the weaker hand-made embedder until make model is run and the server restarted."
            : nil
    }

    /// The embedder to use, or nil for the hand-made one; a missing model is reported loudly.
    func make(default fallback: Kind = .learned) throws -> (any Embedder)? {
        guard requested(default: fallback) == .learned else { return nil }
        do {
            let base = LearnedEmbedder(model: try ImageModel(path: embeddingModel))
            guard !noProjection, projectionPath != "off" else { return base }
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
