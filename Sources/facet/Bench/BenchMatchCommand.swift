import ArgumentParser
import FacetCore
import FacetMatching
import FacetSearch
import FacetSourcing
import FacetStore
import FacetVision
import Foundation

struct BenchMatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Search latency per stage at 1k/10k/100k indexed photos, searches per second, ingest rate and index memory.",
        discussion: """
            Ingest: every demo-world photo under --seeds/images is decoded and analysed (features, keypoints) on all \
            cores and stored in a fresh SQLite feature table, as the server does for new catalog photos. Index: the real \
            embeddings, topped up to each size with synthetic neighbours of them (noise added, renormalised) that point \
            at real photos, so verification reads real keypoints. Queries: demo photos upscaled to about 2 MP, \
            slightly cropped and re-encoded as JPEG, searched in their own category with the server's code path: \
            bounded decode, re-encode and store of the upload, analysis, index scan, keypoint verification of the \
            shortlist (keypoints read from SQLite), attribute voting and diverse alternatives. HTTP and WebSocket \
            delivery are measured by `facet bench ws`.
            """)

    @Option(help: ArgumentHelp("The demo world.", valueName: "dir")) var seeds: String = "seeds"
    @Option(parsing: .upToNextOption, help: "Index sizes to measure, e.g. --sizes 1000 10000 100000.") var sizes: [Int] = [1_000, 10_000, 100_000]
    @Option(help: "Queries per size.") var queries: Int = 60
    @Option(help: "Worker threads for the throughput run.") var workers: Int = 2
    @OptionGroup var embedding: EmbedderOptions

    func run() async throws {
        let pipeline = try embedding.makePipeline()
        print("embedder: \(pipeline.embedder.identifier)")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("facet-bench-match-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let database = try FacetDatabase(dataDirectory: root)
        let features = FeatureStore(database: database)
        let uploads = ImageStore(directory: root.appendingPathComponent("images"))

        // Ingest.
        let photos = try Self.demoPhotos(URL(fileURLWithPath: seeds, isDirectory: true))
        guard !photos.isEmpty else { throw ValidationError("no photos under \(seeds)/images") }
        say("ingest: \(photos.count) demo photos")
        let t0 = Date()
        let analysed: [StoredFeature?] = Parallel.map(photos) { photo in
            guard let bytes = try? [UInt8](Data(contentsOf: photo.url)), let a = try? pipeline.analyze(bytes: bytes) else { return nil }
            return StoredFeature(fileName: photo.url.lastPathComponent, embedder: pipeline.embedder.identifier,
                                 embedding: FeatureCodec.embedding(a.embedding), keypoints: FeatureCodec.keypoints(a.keypoints),
                                 attributes: FeatureCodec.attributes(a.attributes))
        }
        try features.put(analysed.compactMap { $0 })
        let ingestSeconds = Date().timeIntervalSince(t0)
        let real = zip(photos, analysed).compactMap { p, f in f.map { (photo: p, feature: $0, vector: FeatureCodec.embedding($0.embedding)) } }
        say(String(format: "  %d photos analysed and stored in %.1f s: %.0f images/s (%d threads)", real.count, ingestSeconds,
                   Double(real.count) / ingestSeconds, Parallel.workers))

        // Queries: ~2 MP edited copies of photos that are in every index.
        var generator = SplitMix(seed: 7)
        let picks = (0..<queries).map { _ in real[Int(generator.next() % UInt64(min(real.count, sizes.min() ?? real.count)))] }
        let queryFiles: [(bytes: [UInt8], category: Category)] = try picks.map { p in
            let img = try ImageDecoder.decode([UInt8](Data(contentsOf: p.photo.url)))
            let big = ImageEdit.apply([.crop(fraction: 0.05, offsetX: 0.4, offsetY: 0.6), .resize(scale: 5.3)], to: img)
            return (try ImageEncoder.jpeg(big, quality: 90), p.photo.category)
        }
        if let learned = (pipeline.embedder as? LearnedEmbedder) ?? ((pipeline.embedder as? ProjectedEmbedder)?.base as? LearnedEmbedder) {
            // The model's forward pass alone (resize to 224 px included), one thread.
            let image = try ImageDecoder.decode(queryFiles[0].bytes, limits: pipeline.limits)
            var times: [Double] = []
            for _ in 0..<20 {
                let s = DispatchTime.now().uptimeNanoseconds
                _ = learned.model.run(image)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - s) / 1e6)
            }
            times.sort()
            say(String(format: "learned model forward pass (one thread): p50 %.1f ms  p95 %.1f ms", Self.percentile(times, 0.5), Self.percentile(times, 0.95)))
        }
        let q0 = try ImageDecoder.header(queryFiles[0].bytes)
        say("queries: \(queries) JPEGs of \(q0.width) × \(q0.height) (\(String(format: "%.1f", Double(q0.width * q0.height) / 1e6)) MP), ~\(queryFiles.map(\.bytes.count).reduce(0, +) / queryFiles.count / 1024) KB each")

        let before = Self.residentBytes()
        let index = CatalogIndex(dimension: pipeline.embedder.dimension)
        var filled = 0
        for size in sizes.sorted() {
            while filled < size {
                let source = real[filled % real.count]
                let vector = filled < real.count ? source.vector : Self.neighbour(of: source.vector, generator: &generator)
                index.upsert(IndexedItem(ref: "inv:bench-\(filled)", source: filled % 5 == 0 ? .marketplace : .inventory,
                                         labels: ["metal": "yellow", "stones": "none", "style": "modern"]),
                             category: source.photo.category, images: [(fileName: source.feature.fileName, embedding: vector)])
                filled += 1
            }
            let grown = Self.residentBytes() - before
            let matcher = Matcher(index: index, calibration: pipeline.embedder.calibration) { files in
                ((try? features.features(files, embedder: pipeline.embedder.identifier, withKeypoints: true)) ?? [:])
                    .mapValues { FeatureCodec.keypoints($0.keypoints) }
            }
            var stages: [String: [Double]] = [:]
            func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
                let s = DispatchTime.now().uptimeNanoseconds
                defer { stages[name, default: []].append(Double(DispatchTime.now().uptimeNanoseconds - s) / 1e6) }
                return try body()
            }
            for q in queryFiles {
                let start = DispatchTime.now().uptimeNanoseconds
                let image = try time("decode") { try ImageDecoder.decode(q.bytes, limits: pipeline.limits) }
                _ = try time("store upload") { try uploads.store(try UploadCleaning.clean(q.bytes, decoded: image)) }
                let analysis = time("analyse") { pipeline.analyze(image) }
                let neighbours = time("index scan") { matcher.neighbours(analysis.embedding, category: q.category) }
                let candidates = time("verify") { matcher.candidates(neighbours, queryKeypoints: analysis.keypoints) }
                _ = time("rank") { () -> Int in
                    let attributes = AttributeComparison.resolve(analysis.attributes, neighbours: neighbours)
                    let exact = matcher.exactMatch(candidates, photo: analysis.attributes) { $0.source == .inventory }
                    let alternatives = matcher.alternatives(candidates, exact: exact) { _ in true }
                    return alternatives.map { AttributeComparison.matches(attributes, $0.item.labels).count }.reduce(0, +)
                }
                stages["total", default: []].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            say("\nindex of \(size) photos (\(index.stats.items) items): \(String(format: "%.0f", Double(grown) / Double(size))) B resident per photo, \(index.stats.bytesPerImage) B held in the index per photo")
            for name in ["decode", "store upload", "analyse", "index scan", "verify", "rank", "total"] {
                let v = stages[name]!.sorted()
                say(String(format: "  %-13@ p50 %7.1f ms   p95 %7.1f ms", name as NSString, Self.percentile(v, 0.5), Self.percentile(v, 0.95)))
            }
            // Throughput: `workers` threads searching at once.
            let count = max(queries, 4 * workers)
            let w0 = Date()
            let group = DispatchGroup()
            for w in 0..<workers {
                let share = stride(from: w, to: count, by: workers).map { queryFiles[$0 % queryFiles.count] }
                group.enter()
                Thread {
                    for q in share {
                        guard let image = try? ImageDecoder.decode(q.bytes, limits: pipeline.limits) else { continue }
                        let analysis = pipeline.analyze(image)
                        let neighbours = matcher.neighbours(analysis.embedding, category: q.category)
                        let candidates = matcher.candidates(neighbours, queryKeypoints: analysis.keypoints)
                        _ = matcher.alternatives(candidates, exact: nil) { _ in true }
                    }
                    group.leave()
                }.start()
            }
            group.wait()
            say(String(format: "  throughput with %d workers: %.1f searches/s", workers, Double(count) / Date().timeIntervalSince(w0)))
        }
    }

    struct Photo { let url: URL; let category: Category }

    /// Every photo of the demo world with its category, from seeds/catalog/images.jsonl.
    static func demoPhotos(_ seeds: URL) throws -> [Photo] {
        let lines = try String(contentsOf: seeds.appendingPathComponent("catalog/images.jsonl"), encoding: .utf8).split(separator: "\n")
        let root = seeds.deletingLastPathComponent()
        return lines.compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let path = object["path"] as? String, let raw = object["category"] as? String, let category = Category(rawValue: raw) else { return nil }
            let url = root.appendingPathComponent(path)
            return FileManager.default.fileExists(atPath: url.path) ? Photo(url: url, category: category) : nil
        }
    }

    /// A different design near an existing one: Gaussian noise (per-dimension σ 0.035, about 0.65 away), renormalised.
    static func neighbour(of v: [Float], generator: inout SplitMix) -> [Float] {
        Embedding.normalised(v.map { x in
            let u1 = max(1e-9, Double(generator.next() % 1_000_000) / 1_000_000), u2 = Double(generator.next() % 1_000_000) / 1_000_000
            return x + Float(0.035 * (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
        })
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
