import FacetVision
import Foundation

struct WorldFigures: Codable {
    var images: Int
    var products: Int
    /// Images with another rendered view of the same product (the queries of the recall figures).
    var sameProductQueries: Int
    var recallAt1: Double?
    var recallAt8: Double?
    var attributes: [String: ClassificationFigures]
    /// Embedding distances between two views of one product and between products of one
    /// category (percentiles 5, 25, 50, 75, 95): what the similarity calibration is set from.
    var sameProductDistance: [Float]?
    var otherProductDistance: [Float]?
    /// The exact band on the catalog itself, for the embedder's calibration and wider ones.
    var catalogExact: [CatalogExactRow]?
}

/// One analysed catalog photo of the demo world, for the parts that search it.
struct WorldPhoto {
    let path: String
    let product: String
    let category: String
    let labels: [String: String]
    let analysis: ImageAnalysis
}

/// Part 2: the rendered demo world, whose attributes are known.
enum WorldEval {
    /// A rendered photo's metal and stone classes, as the extractor names them, from its attributes.
    static func labels(_ attrs: [String: Any]) -> (metal: String, stones: String, stoneColour: String?) {
        let metalRaw = (attrs["metalColor"] as? String) ?? ""
        let metal = metalRaw == "two_tone" ? "two-tone" : metalRaw
        let gems = (attrs["gemstones"] as? [[String: Any]]) ?? []
        var stones = "none"
        if gems.contains(where: { ($0["type"] as? String) == "pearl" }) { stones = "pearl" }
        else if gems.contains(where: { let c = ($0["color"] as? String) ?? ""; return c != "colorless" && c != "white" && !c.isEmpty }) { stones = "coloured" }
        else if !gems.isEmpty { stones = "clear" }
        let colour = gems.compactMap { $0["color"] as? String }.first { !["colorless", "white", ""].contains($0) }
        return (metal, stones, stones == "coloured" ? colour : nil)
    }

    static func run(path: String, pipeline: VisionPipeline, log: (String) -> Void,
                    dump: (String) -> Void = { _ in }, include: (String) -> Bool = { _ in true },
                    photos: inout [WorldPhoto]) throws -> WorldFigures? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        struct Row { let path: String; let product: String; let category: String; let metal: String; let stones: String; let stoneColour: String? }
        var rows: [Row] = []
        for line in text.split(separator: "\n") {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let p = obj["path"] as? String, include(p), FileManager.default.fileExists(atPath: p),
                  let product = obj["productId"] as? String, let category = obj["category"] as? String,
                  let attrs = obj["attributes"] as? [String: Any] else { continue }
            let truth = labels(attrs)
            rows.append(Row(path: p, product: product, category: category, metal: truth.metal, stones: truth.stones,
                            stoneColour: truth.stoneColour))
        }
        guard !rows.isEmpty else { return nil }
        log("demo world: analysing \(rows.count) rendered images")
        // A fitted projection is fitted on these very brand photos: part 2 measures it cross-fitted
        // (each brand product through a projection fitted without it), and hands part 4 the
        // catalog through the full fit.
        let projected = pipeline.embedder as? ProjectedEmbedder
        let analysing = projected.map { VisionPipeline(embedder: $0.base, limits: pipeline.limits) } ?? pipeline
        let raw: [ImageAnalysis?] = Parallel.map(rows) { r in
            guard let b = try? [UInt8](Data(contentsOf: URL(fileURLWithPath: r.path))) else { return nil }
            return try? analysing.analyze(bytes: b)
        }
        var analyses = raw
        var spaces = [raw]
        var spaceOf = [Int](repeating: 0, count: rows.count)
        if let projected {
            analyses = raw.map { $0.map { $0.with(embedding: projected.projection.apply($0.embedding)) } }
            (spaces, spaceOf) = try crossFitted(rows.map(\.product), isBrand: rows.map { !$0.path.contains("/images/marketplace/") },
                                                raw: raw, full: analyses, projection: projected.projection, log: log)
        }
        let catalogAnalyses = analyses
        photos = rows.indices.compactMap { i in
            catalogAnalyses[i].map { a in
                var labels = ["metal": rows[i].metal, "stones": rows[i].stones]
                labels["stoneColour"] = rows[i].stoneColour
                return WorldPhoto(path: rows[i].path, product: rows[i].product, category: rows[i].category, labels: labels, analysis: a)
            }
        }
        var hit1 = 0, hit8 = 0, asked = 0
        var same: [Float] = [], other: [Float] = []
        for (i, r) in rows.enumerated() {
            let space = spaces[spaceOf[i]]
            guard let a = space[i] else { continue }
            let others = rows.indices.filter { $0 != i && rows[$0].category == r.category && space[$0] != nil }
            guard others.contains(where: { rows[$0].product == r.product }) else { continue }
            asked += 1
            let ranked = others.map { ($0, Embedding.distance(a.embedding, space[$0]!.embedding)) }.sorted { $0.1 < $1.1 }
            for (j, d) in ranked where rows[j].product == r.product { same.append(d) }
            for (j, d) in ranked.prefix(40) where rows[j].product != r.product { other.append(d) }
            if rows[ranked[0].0].product == r.product { hit1 += 1 }
            if ranked.prefix(8).contains(where: { rows[$0.0].product == r.product }) { hit8 += 1 }
        }
        // The colour rules on their own here; the heads (fitted on the brand photos) are measured
        // on the marketplace photos below, which they never saw.
        let rules = analyses.map { $0.map { AttributeExtractor.extract($0.piece) } }
        var mt: [String] = [], mp: [String] = [], st: [String] = [], sp: [String] = []
        for (i, r) in rows.enumerated() {
            guard let a = rules[i] else { continue }
            dump("world\t\(r.path)\t\(r.metal)\t\(r.stones)\t\(EvalReport.evidenceJSON(a))")
            if AttributeExtractor.metalValues.contains(r.metal) { mt.append(r.metal); mp.append(a.metal.value) }
            st.append(r.stones); sp.append(a.stones.value)
        }
        // Neighbour voting (leave the product out): the 15 nearest photos of other products in the
        // category vote, and the combination the live search uses decides.
        var vm: [String] = [], vs: [String] = []
        for (i, r) in rows.enumerated() {
            let space = spaces[spaceOf[i]]
            guard let a = space[i] else { continue }
            let others = rows.indices.filter { rows[$0].category == r.category && rows[$0].product != r.product && space[$0] != nil }
            let near = others.map { ($0, Embedding.distance(a.embedding, space[$0]!.embedding)) }.sorted { $0.1 < $1.1 }.prefix(15)
            let labelled = near.map { LabelledNeighbour(distance: $0.1, labels: ["metal": rows[$0.0].metal, "stones": rows[$0.0].stones]) }
            let combined = AttributeExtractor.combine(rules[i] ?? a.attributes, neighbours: labelled)
            if AttributeExtractor.metalValues.contains(r.metal) { vm.append(combined.metal.value) }
            vs.append(combined.stones.value)
        }
        var attributes = [
            "metal": ClassificationFigures(truth: mt, predicted: mp, classes: AttributeExtractor.metalValues),
            "stones": ClassificationFigures(truth: st, predicted: sp, classes: AttributeExtractor.stoneValues),
            "metal (colour + neighbours)": ClassificationFigures(truth: mt, predicted: vm, classes: AttributeExtractor.metalValues),
            "stones (colour + neighbours)": ClassificationFigures(truth: st, predicted: vs, classes: AttributeExtractor.stoneValues),
        ]
        if let heads = pipeline.heads {
            var truth: [String: [String]] = [:], read: [String: [String]] = [:]
            for (i, r) in rows.enumerated() where CrossPhotoEval.isMarketplacePhoto(r.path) {
                guard let a = analyses[i], let ruled = rules[i] else { continue }
                let h = heads.read(a.piece, rules: ruled, embedding: a.headsEmbedding)
                if AttributeExtractor.metalValues.contains(r.metal) {
                    truth["metal", default: []].append(r.metal)
                    read["metal (rules, marketplace photos)", default: []].append(ruled.metal.value)
                    read["metal (heads, marketplace photos)", default: []].append(h.metal.value)
                }
                truth["stones", default: []].append(r.stones)
                read["stones (rules, marketplace photos)", default: []].append(ruled.stones.value)
                read["stones (heads, marketplace photos)", default: []].append(h.stones.value)
            }
            for (key, predicted) in read {
                let metal = key.hasPrefix("metal")
                attributes[key] = ClassificationFigures(truth: truth[metal ? "metal" : "stones"] ?? [], predicted: predicted,
                                                        classes: metal ? AttributeExtractor.metalValues : AttributeExtractor.stoneValues)
            }
        }
        func percentiles(_ v: [Float]) -> [Float]? {
            guard !v.isEmpty else { return nil }
            let s = v.sorted()
            return [0.05, 0.25, 0.5, 0.75, 0.95].map { s[min(s.count - 1, Int(Double(s.count) * $0))] }
        }
        let base = pipeline.embedder.calibration
        let widened = [-0.08, -0.04, 0.0, 0.04].map { w in
            SimilarityCalibration(d95: base.d95 + Float(w), falloff: base.falloff, supportDistance: base.supportDistance + Float(w),
                                  confirmDistance: min(2, base.confirmDistance + Float(w)), certainInliers: base.certainInliers)
        }
        log("demo world: the exact band on the catalog itself")
        let catalogExact = CatalogExactEval.run(products: rows.map(\.product), categories: rows.map(\.category),
                                                isBrand: rows.map { !$0.path.contains("/images/marketplace/") },
                                                spaces: spaces, spaceOf: spaceOf, calibrations: widened)
        return WorldFigures(images: rows.count, products: Set(rows.map(\.product)).count,
                            sameProductQueries: asked,
                            recallAt1: asked == 0 ? nil : Double(hit1) / Double(asked),
                            recallAt8: asked == 0 ? nil : Double(hit8) / Double(asked),
                            attributes: attributes,
                            sameProductDistance: percentiles(same), otherProductDistance: percentiles(other),
                            catalogExact: catalogExact)
    }

    /// Two folds of brand products (by a hash of the id). A photo of a fold-0 product is measured in
    /// the space of a projection fitted on fold 1 only (every photo through that projection), and
    /// the other way round; photos of products never fitted on (the marketplace's) in the full fit's.
    /// Returns the spaces (full, fitted without fold 0, fitted without fold 1) and each photo's.
    static func crossFitted(_ products: [String], isBrand: [Bool], raw: [ImageAnalysis?], full: [ImageAnalysis?],
                            projection: Projection, log: (String) -> Void) throws -> ([[ImageAnalysis?]], [Int]) {
        func fold(_ p: String) -> Int { Int(p.utf8.reduce(UInt32(2166136261)) { ($0 ^ UInt32($1)) &* 16777619 } & 1) }
        var spaces = [full]
        for held in 0...1 {
            let fit = raw.indices.filter { isBrand[$0] && raw[$0] != nil && fold(products[$0]) != held }
            log("demo world: fitting a projection on \(fit.count) brand photos to measure the other fold")
            let p = try Projection.fit(vectors: fit.map { raw[$0]!.embedding }, groups: fit.map { products[$0] },
                                       principal: min(256, fit.count - 1), output: projection.outputDimension)
            spaces.append(raw.map { $0.map { $0.with(embedding: p.apply($0.embedding)) } })
        }
        let spaceOf = raw.indices.map { isBrand[$0] ? 1 + fold(products[$0]) : 0 }
        return (spaces, spaceOf)
    }
}
