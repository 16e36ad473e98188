import ArgumentParser
import FacetCore
import FacetVision
import Foundation

/// Rows for --dump-embeddings, gathered by the parts as they analyse (one command per process).
nonisolated(unsafe) private var embeddingLines: [String] = []

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate image matching and attribute extraction, side by side with peer hashes.",
        discussion: """
            Part 1: near-duplicate detection on the photos under --photos (MANIFEST.tsv): every photo is the
            catalog; each gets --copies edited copies (JPEG quality 30–90, resize 25–200 %, crop ≤ 15 %,
            brightness/contrast ±25 %, rotation ±10°, background swap, small watermark; 1–3 edits each, fixed
            --seed) written as JPEG files. Each copy is searched within its category (a match query), and again
            with its original removed (a non-match query). Facet is compared with ImageHash's pHash and dHash
            and Meta's PDQ, computed by scripts/eval_peer_hashes.py on the very same files.
            Part 2: the demo world (seeds/catalog/images.jsonl): attribute accuracy and macro-F1, same-product
            recall@1/@8 across views. Part 3: metal and stone accuracy against LABELS.tsv when present (colour rules, and attribute heads k-fold cross-validated).
            Part 4: the demo world's marketplace listings (seeds/marketplace/listings.json), lightly edited
            (resize, JPEG quality, contrast), searched against the demo catalog with the live matcher:
            same_design listings found as the exact match, and false exact matches on variant, unrelated
            and same_design listings (with and without the colour veto). --world-only runs parts 2 and 4.
            """)

    @Option(help: "Folder laid out like the evaluation photos (MANIFEST.tsv, optional LABELS.tsv).")
    var photos: String = "../shared/data/jewelry"

    @Option(help: "Edited copies per photo.")
    var copies: Int = 4

    @Option(help: "Seed for the edits.")
    var seed: UInt64 = 5

    @Option(help: "Tier-1 similarity threshold, percent.")
    var threshold: Double = ExactMatch.defaultThreshold

    @Option(help: "Demo-world image list for part 2 (skipped when missing).")
    var world: String = "seeds/catalog/images.jsonl"

    @Option(help: "Python with ImageHash and pdqhash (make python-env).")
    var python: String = ".venv/bin/python"

    @Flag(help: "Skip the peer hashes.")
    var noPeers = false

    @Flag(help: "Skip parts 2 and 4 (demo world).")
    var noWorld = false

    @Option(help: "Demo-world marketplace listings for part 4 (skipped when missing).")
    var listings: String = "seeds/marketplace/listings.json"

    @Flag(help: "Skip part 4 (marketplace photos of our designs, variants and unrelated pieces).")
    var noCrossPhoto = false

    @Flag(help: "Only parts 2 and 4 (the demo world), without the photos under --photos.")
    var worldOnly = false

    @Flag(help: "Only part 4 (analyses the brands' demo photos and the listings, nothing else).")
    var crossPhotoOnly = false

    @Option(help: "Folds of the attribute heads' cross-validation on the labelled photos (part 3; 0: colour rules only).")
    var headFolds: Int = 5

    @Option(help: "Candidates verified geometrically per query (0: embedding only).")
    var shortlist: Int = 16

    @Option(help: "Write the edited copies to this folder and keep them.")
    var keepCopies: String?

    @Option(help: "Write per-query scores to this TSV file.")
    var dump: String?

    @Option(help: "Write each labelled image's attribute evidence to this TSV file.")
    var dumpAttributes: String?

    @Option(help: "Write every analysed photo's embedding to this TSV file (path, product or file, category, comma-separated floats).")
    var dumpEmbeddings: String?

    @Flag(help: "Print the figures as one JSON object.")
    var json = false

    @OptionGroup var embedding: EmbedderOptions

    func run() throws {
        var report = EvalReport()
        if crossPhotoOnly {
            let pipeline = try embedding.makePipeline()
            var catalog: [WorldPhoto] = []
            _ = try WorldEval.run(path: world, pipeline: pipeline, log: log, include: { !CrossPhotoEval.isMarketplacePhoto($0) }, photos: &catalog)
            embeddingLines += catalog.map { embeddingLine($0.path, $0.product, $0.category, $0.analysis.embedding) }
            try writeEmbeddings()
            report.crossPhoto = try CrossPhotoEval.run(listingsPath: listings, catalog: catalog, pipeline: pipeline,
                                                       threshold: threshold, seed: seed, log: log)
            return try output(report)
        }
        if worldOnly {
            try worldParts(&report, pipeline: try embedding.makePipeline()) { _ in }
            try writeEmbeddings()
            return try output(report)
        }
        let root = URL(fileURLWithPath: photos, isDirectory: true)
        let manifest = try TSV.read(root.appendingPathComponent("MANIFEST.tsv"))
        let entries = manifest.compactMap { row -> (file: String, category: String)? in
            guard let f = row["file"], let c = row["category"] else { return nil }
            return (f, c)
        }
        let pipeline = try embedding.makePipeline()
        log("analysing \(entries.count) photos")
        let originals: [ImageAnalysis?] = Parallel.map(entries) { e in
            guard let bytes = try? [UInt8](Data(contentsOf: root.appendingPathComponent(e.file))) else { return nil }
            return try? pipeline.analyze(bytes: bytes)
        }
        for (e, a) in zip(entries, originals) { if let a { embeddingLines.append(embeddingLine(e.file, e.file, e.category, a.embedding)) } }

        // Part 1: edited copies.
        let dir = keepCopies.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("facet-eval-\(seed)-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { if keepCopies == nil { try? FileManager.default.removeItem(at: dir) } }
        var plans: [(photo: Int, copy: Int, edits: [ImageEdit])] = []
        var rng = SeededRandom(seed: seed)
        for (i, _) in entries.enumerated() where originals[i] != nil {
            for c in 0..<copies { plans.append((i, c, ImageEdit.random(&rng))) }
        }
        log("writing \(plans.count) edited copies")
        let queryFiles: [String?] = Parallel.map(plans) { p in
            guard let bytes = try? [UInt8](Data(contentsOf: root.appendingPathComponent(entries[p.photo].file))),
                  let img = try? ImageDecoder.decode(bytes, limits: DecodeLimits(targetLongSide: 100_000)) else { return nil }
            let edited = ImageEdit.apply(p.edits, to: img)
            var quality = 95
            for case .jpeg(let q) in p.edits { quality = q }
            guard let out = try? ImageEncoder.jpeg(edited, quality: quality) else { return nil }
            let url = dir.appendingPathComponent("q\(p.photo)_\(p.copy).jpg")
            try? Data(out).write(to: url)
            return url.path
        }
        let t0 = Date()
        let queries: [ImageAnalysis?] = Parallel.map(queryFiles) { f in
            guard let f, let bytes = try? [UInt8](Data(contentsOf: URL(fileURLWithPath: f))) else { return nil }
            return try? pipeline.analyze(bytes: bytes)
        }
        let analyseMs = Date().timeIntervalSince(t0) * 1000 / Double(max(1, queries.count)) * Double(Parallel.workers)

        // Facet: calibrated similarity over the category.
        let calibration = pipeline.embedder.calibration
        var byCategory = [String: [Int]]()
        for (i, e) in entries.enumerated() where originals[i] != nil { byCategory[e.category, default: []].append(i) }
        var facetOutcomes: [QueryOutcome] = []
        var dumpLines: [String] = []
        let s0 = Date()
        for (qi, p) in plans.enumerated() {
            guard let q = queries[qi] else { continue }
            let candidates = (byCategory[entries[p.photo].category] ?? []).map { j in
                (j, Embedding.distance(q.embedding, originals[j]!.embedding))
            }.sorted { $0.1 < $1.1 }
            var outcome = QueryOutcome(correct: -1, bestOther: -1)
            // The same rule as the live matcher: inliers count only when they stand out from the runner-up's.
            let verified = candidates.prefix(shortlist).map { Keypoints.inliers(q.keypoints, originals[$0.0]!.keypoints) }
            let ranked = verified.sorted(by: >)
            for (rank, (j, d)) in candidates.enumerated() {
                let inliers = rank < shortlist ? verified[rank] : nil
                let runnerUp = inliers == ranked.first ? (ranked.count > 1 ? ranked[1] : 0) : (ranked.first ?? 0)
                let s = calibration.similarity(distance: d, inliers: inliers, runnerUp: runnerUp)
                if j == p.photo {
                    outcome.correct = s
                    dumpLines.append("\(qi)\tcorrect\t\(rank)\t\(d)\t\(inliers ?? -1)\t\(s)\t\(p.edits.map(\.description).joined(separator: ", "))")
                } else {
                    if s > outcome.bestOther { outcome.bestOther = s }
                    if rank < 2 { dumpLines.append("\(qi)\tother\t\(rank)\t\(d)\t\(inliers ?? -1)\t\(s)\t") }
                }
            }
            facetOutcomes.append(outcome)
        }
        if let dump { try dumpLines.joined(separator: "\n").write(toFile: dump, atomically: true, encoding: .utf8) }
        let searchMs = Date().timeIntervalSince(s0) * 1000 / Double(max(1, facetOutcomes.count))
        report.nearDuplicates["facet"] = DetectionMetrics.figures(facetOutcomes, threshold: threshold,
                                                                 label: "\(threshold) %", msPerQuery: analyseMs + searchMs)
        report.editedCopies = facetOutcomes.count
        report.photos = originals.compactMap { $0 }.count

        // Peers on the same files.
        if !noPeers {
            let originalPaths = entries.map { root.appendingPathComponent($0.file).path }
            let all = originalPaths + queryFiles.compactMap { $0 }
            log("peer hashes for \(all.count) files")
            let peer = try PeerHashes.compute(files: all, python: python)
            for (name, bits, customary) in [("phash", 64, 10), ("dhash", 64, 10), ("pdq", 256, 31)] {
                var outcomes: [QueryOutcome] = []
                for (qi, p) in plans.enumerated() {
                    guard let qf = queryFiles[qi], let qh = peer[qf]?[name] else { continue }
                    var o = QueryOutcome(correct: -Double(bits + 1), bestOther: -Double(bits + 1))
                    for j in byCategory[entries[p.photo].category] ?? [] {
                        guard let h = peer[originalPaths[j]]?[name] else { continue }
                        let s = -Double(PeerHashes.hamming(qh, h))
                        if j == p.photo { o.correct = s } else { o.bestOther = max(o.bestOther, s) }
                    }
                    outcomes.append(o)
                }
                report.nearDuplicates[name] = DetectionMetrics.figures(outcomes, threshold: -Double(customary),
                                                                      label: "≤ \(customary) bits", msPerQuery: nil)
            }
        }

        var attributeLines: [String] = []
        var catalog: [WorldPhoto] = []
        if !noWorld { catalog = try worldParts(&report, pipeline: pipeline) { attributeLines.append($0) } }

        // Part 3: labels. The colour rules, and heads cross-validated on these photos (each read by
        // heads fitted on the demo renders and the other folds), never the shipped heads, which
        // `make model-heads` fits on these photos too.
        let labelsURL = root.appendingPathComponent("LABELS.tsv")
        if FileManager.default.fileExists(atPath: labelsURL.path) {
            let labels = try TSV.read(labelsURL)
            var byFile = [String: [String: String]]()
            for row in labels { if let f = row["file"] { byFile[f] = row } }
            var samples = catalog.filter { !CrossPhotoEval.isMarketplacePhoto($0.path) }.map {
                HeadSample($0.analysis, group: $0.product, domain: .render, metal: $0.labels["metal"], stones: $0.labels["stones"])
            }
            for (i, e) in entries.enumerated() {
                guard let a = originals[i], let row = byFile[e.file] else { continue }
                let sample = HeadSample(a, group: e.file, domain: .real, metal: row["metal"], stones: row["stones"])
                attributeLines.append("real\t\(e.file)\t\(row["metal"] ?? "")\t\(row["stones"] ?? "")\t\(EvalReport.evidenceJSON(sample.rules))")
                samples.append(sample)
            }
            log("part 3: \(headFolds)-fold cross-validation of the attribute heads")
            let predicted = headFolds > 1
                ? HeadsTraining.crossValidated(samples, folds: headFolds, embedder: pipeline.headsSpace, settings: .init())
                : [:]
            report.labelled = HeadsTraining.figures(samples, heads: predicted, folds: headFolds)
        }
        try writeEmbeddings()
        if let dumpAttributes { try attributeLines.joined(separator: "\n").write(toFile: dumpAttributes, atomically: true, encoding: .utf8) }

        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys]
            print(String(decoding: try enc.encode(report), as: UTF8.self))
        } else {
            print(report.render())
        }
    }

    /// Parts 2 and 4: the demo catalog, then the marketplace listings searched against it.
    @discardableResult
    func worldParts(_ report: inout EvalReport, pipeline: VisionPipeline, dump: (String) -> Void) throws -> [WorldPhoto] {
        var catalog: [WorldPhoto] = []
        report.world = try? WorldEval.run(path: world, pipeline: pipeline, log: log, dump: dump, photos: &catalog)
        embeddingLines += catalog.map { embeddingLine($0.path, $0.product, $0.category, $0.analysis.embedding) }
        if !noCrossPhoto {
            report.crossPhoto = try CrossPhotoEval.run(listingsPath: listings, catalog: catalog, pipeline: pipeline,
                                                       threshold: threshold, seed: seed, log: log)
        }
        return catalog
    }

    func embeddingLine(_ path: String, _ product: String, _ category: String, _ v: [Float]) -> String {
        "\(path)\t\(product)\t\(category)\t" + v.map { String($0) }.joined(separator: ",")
    }

    func writeEmbeddings() throws {
        guard let dumpEmbeddings else { return }
        try embeddingLines.joined(separator: "\n").write(toFile: dumpEmbeddings, atomically: true, encoding: .utf8)
    }

    func output(_ report: EvalReport) throws {
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys]
            print(String(decoding: try enc.encode(report), as: UTF8.self))
        } else {
            print(report.render())
        }
    }

    func log(_ s: String) {
        FileHandle.standardError.write(Data("eval: \(s)\n".utf8))
    }
}

struct EvalReport: Codable {
    static func evidenceJSON(_ a: ExtractedAttributes) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return (try? String(decoding: enc.encode(a.evidence), as: UTF8.self)) ?? "{}"
    }

    var photos = 0
    var editedCopies = 0
    var nearDuplicates: [String: DetectionFigures] = [:]
    var labelled: [String: ClassificationFigures] = [:]
    var world: WorldFigures?
    var crossPhoto: CrossPhotoFigures?

    func render() -> String {
        var s = "Part 1 — near-duplicates: \(photos) photos as catalog, \(editedCopies) edited copies, each searched within its category\n"
        s += "  (match query) and again without its original (non-match query)\n"
        s += "  method  threshold     precision  recall   recall@1  recall@P≥0.99  ms/query\n"
        for name in ["facet", "phash", "dhash", "pdq"] {
            guard let f = nearDuplicates[name] else { continue }
            s += "  " + name.padding(toLength: 8, withPad: " ", startingAt: 0)
            s += f.thresholdLabel.padding(toLength: 14, withPad: " ", startingAt: 0)
            s += String(format: "%.3f      %.3f    %.3f     %.3f          %@\n", f.precisionAtThreshold, f.recallAtThreshold,
                        f.recallAt1, f.recallAtPrecision099, f.msPerQuery.map { String(format: "%.1f", $0) } ?? "-")
        }
        if let w = world {
            s += "\nPart 2 — demo world: \(w.images) rendered images, \(w.products) products\n"
            if let r1 = w.recallAt1, let r8 = w.recallAt8 {
                s += String(format: "  same-product recall@1 %.3f  recall@8 %.3f over %d images with another view of their product\n", r1, r8, w.sameProductQueries)
            } else {
                s += "  same-product recall: n/a (no product has two rendered views yet)\n"
            }
            if let a = w.sameProductDistance, let b = w.otherProductDistance {
                s += "  distance, another view of the product (p5 p25 p50 p75 p95): " + a.map { String(format: "%.3f", $0) }.joined(separator: " ") + "\n"
                s += "  distance, 40 nearest other products (p5 p25 p50 p75 p95):   " + b.map { String(format: "%.3f", $0) }.joined(separator: " ") + "\n"
            }
            for row in w.catalogExact ?? [] {
                s += String(format: "  exact band on the catalog (%@): another view found %.3f, another product taken %.4f (%d photos)\n",
                            row.calibration, row.anotherViewFoundExact, row.otherProductTakenExact, row.queries)
            }
            for (k, f) in w.attributes.sorted(by: { $0.key < $1.key }) {
                s += f.render(k, classes: k.hasPrefix("metal") ? AttributeExtractor.metalValues : AttributeExtractor.stoneValues)
            }
        }
        if let c = crossPhoto {
            s += "\nPart 4 — demo-world marketplace photos (resize, JPEG quality, contrast) against the demo catalog: "
            s += c.queries.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + "\n"
            s += String(format: "  same_design found as the exact match: %d (recall %.3f; %.3f without the colour veto)\n",
                        c.sameDesignFoundExact, c.sameDesignRecall, c.sameDesignRecallWithoutVeto)
            s += String(format: "  false exact matches: %d (rate %.4f; %.4f without the colour veto) — ", c.falseExact.values.reduce(0, +),
                        c.falseExactRate, c.falseExactRateWithoutVeto)
            s += c.falseExact.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
            s += String(format: "  same_design product ranked first %.3f, in the first 8 %.3f (what alternatives are chosen from)\n",
                        c.sameDesignRankedFirst, c.sameDesignInTop8)
            for (k, t) in (c.listingLabels ?? [:]).sorted(by: { $0.key < $1.key }) {
                s += "  listing \(k): right \(t.right), wrong \(t.wrong), not given \(t.missing)\n"
            }
            for (k, t) in (c.alternatives ?? [:]).sorted(by: { $0.key < $1.key }) {
                s += String(format: "  alternatives, %@: %d shown; same metal %.3f, same stones %.3f, same stone colour %.3f (coloured listings); same_design product shown %d\n",
                            k, t.shown, t.metalShare, t.stonesShare, t.stoneColourShare, t.sameDesignShown)
            }
        }
        if !labelled.isEmpty {
            s += "\nPart 3 — attributes against LABELS.tsv (what a person saw; 'unsure' labels left out)\n"
            for (k, f) in labelled.sorted(by: { $0.key < $1.key }) {
                s += f.render(k, classes: k.hasPrefix("metal") ? AttributeExtractor.metalValues : AttributeExtractor.stoneValues)
            }
        }
        return s
    }
}

enum TSV {
    static func read(_ url: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { String($0) }
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        return lines.map { line in
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            var row = [String: String]()
            for (i, h) in header.enumerated() where i < cols.count { row[h] = cols[i] }
            return row
        }
    }
}

enum PeerHashes {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static func compute(files: [String], python: String) throws -> [String: [String: String]] {
        let script = URL(fileURLWithPath: "scripts/eval_peer_hashes.py")
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw Failure(description: "scripts/eval_peer_hashes.py not found: run facet eval from the repository root")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [script.path]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(files.joined(separator: "\n").utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure(description: "peer hash script failed (make python-env installs ImageHash and pdqhash)") }
        let decoded = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        var out = [String: [String: String]]()
        for (k, v) in decoded { if let d = v as? [String: String] { out[k] = d } }
        return out
    }

    static func hamming(_ a: String, _ b: String) -> Int {
        var d = 0
        for (x, y) in zip(a, b) {
            guard let xv = x.hexDigitValue, let yv = y.hexDigitValue else { continue }
            d += (xv ^ yv).nonzeroBitCount
        }
        return d
    }
}

/// Runs a closure over items on every core, keeping the order of results.
enum Parallel {
    static let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    final class Results<T>: @unchecked Sendable {
        var values: [T?]
        let lock = NSLock()
        init(_ n: Int) { values = [T?](repeating: nil, count: n) }
    }

    static func map<A, T>(_ items: [A], _ body: (A) -> T) -> [T] {
        let results = Results<T>(items.count)
        withoutActuallyEscaping(body) { body in
            let box = UnsafeBox(body: body, items: items)
            DispatchQueue.concurrentPerform(iterations: items.count) { i in
                let v = box.body(box.items[i])
                results.lock.lock(); results.values[i] = v; results.lock.unlock()
            }
        }
        return results.values.map { $0! }
    }

    struct UnsafeBox<A, T>: @unchecked Sendable {
        let body: (A) -> T
        let items: [A]
    }
}
