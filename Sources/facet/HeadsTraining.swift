import FacetVision
import Foundation

/// One labelled photo the attribute heads learn from or are measured on.
struct HeadSample {
    enum Domain { case render, real }
    /// What folds keep together (a product's views, or one real photo).
    let group: String
    let domain: Domain
    let inputs: [Float]
    /// nil where the label is not one of the extractor's classes ('unsure', platinum-as-label…).
    let metal: String?
    let stones: String?
    let rules: ExtractedAttributes

    init(_ analysis: ImageAnalysis, group: String, domain: Domain, metal: String?, stones: String?) {
        let rules = AttributeExtractor.extract(analysis.piece)
        self.group = group; self.domain = domain; self.rules = rules
        self.inputs = AttributeHeads.inputs(piece: analysis.piece, rules: rules, embedding: analysis.headsEmbedding)
        self.metal = metal.flatMap { AttributeExtractor.metalValues.contains($0) ? $0 : nil }
        self.stones = stones.flatMap { AttributeExtractor.stoneValues.contains($0) ? $0 : nil }
    }
}

/// Fitting and cross-validating the heads (`facet model fit-heads`, `facet eval` part 3).
enum HeadsTraining {
    struct Settings {
        var l2: Float = 0.01
        var iterations = 300
        /// Folds whose held-out logits set each head's temperature (below 2: none, temperature 1).
        var calibrationFolds = 0
    }

    /// Renders and real photos weigh the same in total: there are ten renders to a real photo,
    /// and real photos are what buyers upload. With `calibrationFolds`, each head's temperature
    /// comes from its own samples read by heads fitted without them, weighted the same way.
    static func fit(_ samples: [HeadSample], embedder: String, settings: Settings) -> AttributeHeads {
        let renders = samples.filter { $0.domain == .render }.count, real = samples.count - renders
        let realWeight: Float = renders > 0 && real > 0 ? Float(renders) / Float(real) : 1
        func train(_ used: [HeadSample], _ label: (HeadSample) -> String?, _ classes: [String]) -> SoftmaxHead {
            SoftmaxHead.train(inputs: used.map(\.inputs), labels: used.map { classes.firstIndex(of: label($0)!)! },
                              classes: classes, sampleWeights: used.map { $0.domain == .real ? realWeight : 1 },
                              l2: settings.l2, iterations: settings.iterations)
        }
        func head(_ label: (HeadSample) -> String?, _ classes: [String]) -> SoftmaxHead {
            let used = samples.filter { label($0) != nil }
            var fitted = train(used, label, classes)
            let k = settings.calibrationFolds
            guard k >= 2 else { return fitted }
            var logits: [[Float]] = [], labels: [Int] = [], weights: [Float] = []
            for held in 0..<k {
                let inFold = used.filter { fold("calibration " + $0.group, of: k) == held }
                let rest = used.filter { fold("calibration " + $0.group, of: k) != held }
                guard !inFold.isEmpty, Set(rest.compactMap(label)).count > 1 else { continue }
                let without = train(rest, label, classes)
                for s in inFold {
                    logits.append(without.logits(s.inputs)); labels.append(classes.firstIndex(of: label(s)!)!)
                    weights.append(s.domain == .real ? realWeight : 1)
                }
            }
            fitted.temperature = SoftmaxHead.fitTemperature(logits: logits, labels: labels, weights: weights)
            return fitted
        }
        let metal = head(\.metal, AttributeExtractor.metalValues), stones = head(\.stones, AttributeExtractor.stoneValues)
        let calibrated = settings.calibrationFolds >= 2
            ? String(format: "; temperature metal %.2f, stones %.2f", metal.temperature, stones.temperature) : ""
        return AttributeHeads(embedder: embedder,
                              fittedOn: "\(renders) demo renders and \(real) labelled photos; l2 \(settings.l2), \(settings.iterations) iterations" + calibrated,
                              metal: metal, stones: stones)
    }

    static func fold(_ group: String, of folds: Int) -> Int {
        Int(group.utf8.reduce(UInt32(2166136261)) { ($0 ^ UInt32($1)) &* 16777619 } % UInt32(max(1, folds)))
    }

    /// Every real photo read by heads fitted without its fold (on all renders and the other folds'
    /// photos): what the heads would do on photos they never saw. Indexed like `samples`.
    static func crossValidated(_ samples: [HeadSample], folds: Int, embedder: String, settings: Settings) -> [Int: ExtractedAttributes] {
        let fitted: [AttributeHeads] = Parallel.map(Array(0..<folds)) { held in
            fit(samples.filter { $0.domain == .render || fold($0.group, of: folds) != held }, embedder: embedder, settings: settings)
        }
        var out: [Int: ExtractedAttributes] = [:]
        for (i, s) in samples.enumerated() where s.domain == .real {
            out[i] = fitted[fold(s.group, of: folds)].apply(s.rules, inputs: s.inputs)
        }
        return out
    }

    /// Macro-F1 and the rest for the colour rules and the cross-validated heads on the real photos.
    static func figures(_ samples: [HeadSample], heads predicted: [Int: ExtractedAttributes], folds: Int) -> [String: ClassificationFigures] {
        var out: [String: ClassificationFigures] = [:]
        for (key, classes) in [("metal", AttributeExtractor.metalValues), ("stones", AttributeExtractor.stoneValues)] {
            func truth(_ s: HeadSample) -> String? { key == "metal" ? s.metal : s.stones }
            func guess(_ a: ExtractedAttributes) -> AttributeGuess { key == "metal" ? a.metal : a.stones }
            func value(_ a: ExtractedAttributes) -> String { guess(a).value }
            let labelled = samples.indices.filter { samples[$0].domain == .real && truth(samples[$0]) != nil }
            out[key] = ClassificationFigures(truth: labelled.map { truth(samples[$0])! }, predicted: labelled.map { value(samples[$0].rules) },
                                             classes: classes)
            let read = labelled.filter { predicted[$0] != nil }
            if !read.isEmpty {
                var f = ClassificationFigures(truth: read.map { truth(samples[$0])! }, predicted: read.map { value(predicted[$0]!) }, classes: classes)
                f.confidence = ConfidenceFigures(read.map { i in (guess(predicted[i]!).confidence, value(predicted[i]!) == truth(samples[i])!) })
                out["\(key) (heads, \(folds)-fold)"] = f
            }
        }
        return out
    }

    /// The brand photos of the demo world (not the marketplace's: `facet eval` part 4 measures with
    /// them), analysed, with their labels.
    static func renders(world: String, pipeline: VisionPipeline) throws -> [HeadSample] {
        let photos = try FitProjection.brandPhotos(world)
        return Parallel.map(photos) { p -> HeadSample? in
            guard let bytes = try? [UInt8](Data(contentsOf: URL(fileURLWithPath: p.path))),
                  let a = try? pipeline.analyze(bytes: bytes) else { return nil }
            let truth = WorldEval.labels(p.attributes)
            return HeadSample(a, group: p.product, domain: .render, metal: truth.metal, stones: truth.stones)
        }.compactMap { $0 }
    }

    /// The labelled real photos (LABELS.tsv beside MANIFEST.tsv), analysed; empty without labels.
    static func realPhotos(folder: String, pipeline: VisionPipeline) throws -> [HeadSample] {
        let root = URL(fileURLWithPath: folder, isDirectory: true)
        let labels = root.appendingPathComponent("LABELS.tsv")
        guard FileManager.default.fileExists(atPath: labels.path) else { return [] }
        let rows = try TSV.read(labels).compactMap { r -> (String, String?, String?)? in r["file"].map { ($0, r["metal"], r["stones"]) } }
        return Parallel.map(rows) { (file, metal, stones) -> HeadSample? in
            guard let bytes = try? [UInt8](Data(contentsOf: root.appendingPathComponent(file))),
                  let a = try? pipeline.analyze(bytes: bytes) else { return nil }
            return HeadSample(a, group: file, domain: .real, metal: metal, stones: stones)
        }.compactMap { $0 }
    }
}
