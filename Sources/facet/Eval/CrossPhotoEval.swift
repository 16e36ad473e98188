import FacetCore
import FacetMatching
import FacetSourcing
import FacetVision
import Foundation

struct CrossPhotoFigures: Codable {
    /// Listings searched, by relation to our catalog (same_design, variant, unrelated).
    var queries: [String: Int]
    /// same_design listings whose exact match is the product they show.
    var sameDesignFoundExact: Int
    var sameDesignRecall: Double
    /// Exact matches that are wrong: any on a variant or an unrelated listing, or another product on a same_design one.
    var falseExact: [String: Int]
    var falseExactRate: Double
    /// The same two figures without the colour veto (`ExactVeto`), to show what it does.
    var sameDesignRecallWithoutVeto: Double
    var falseExactRateWithoutVeto: Double
    /// same_design listings whose product is the first / among the first 8 of the ranked candidates
    /// (what the alternatives are chosen from), exact or not.
    var sameDesignRankedFirst: Double
    var sameDesignInTop8: Double
    /// The listings' metal and stones as the buyer is told them, against the world's truth: from
    /// the title alone, and from the title and the photo (`ListingDescription`).
    var listingLabels: [String: LabelTally]?
    /// The alternatives chosen for each listing (the live rule, every catalog item eligible), by
    /// similarity alone and with attribute agreement (`AttributeAgreement`): the share of them whose
    /// metal / stones are the photographed piece's, and how often a same_design listing's product is
    /// shown at all (as the exact match or among the alternatives).
    var alternatives: [String: AlternativesTally]?
}

/// What the alternatives chosen one way showed, over every listing searched.
struct AlternativesTally: Codable {
    var shown = 0, sameMetal = 0, sameStones = 0, sameDesignShown = 0
    /// Alternatives shown for listings with coloured stones, and those with stones of that colour.
    var shownForColoured = 0, sameStoneColour = 0
    var metalShare: Double { Double(sameMetal) / Double(max(1, shown)) }
    var stonesShare: Double { Double(sameStones) / Double(max(1, shown)) }
    var stoneColourShare: Double { Double(sameStoneColour) / Double(max(1, shownForColoured)) }
}

/// How often a listing's label was right, wrong, or not given.
struct LabelTally: Codable {
    var right = 0, wrong = 0, missing = 0
    mutating func add(_ said: String?, truth: String) {
        if let said { if said == truth { right += 1 } else { wrong += 1 } } else { missing += 1 }
    }
}

/// Part 4: the demo world's marketplace listings, lightly edited (resize, JPEG quality, small
/// contrast change), searched against the demo catalog with the live matcher (index, keypoint
/// check, calibration, veto). A listing of a design we stock (`same_design`) should find it as
/// the exact match; a `variant` (same shape, other metal or stones) or `unrelated` one must not
/// produce one.
enum CrossPhotoEval {
    static func isMarketplacePhoto(_ path: String) -> Bool { path.contains("/images/marketplace/") }

    static func run(listingsPath: String, catalog: [WorldPhoto], pipeline: VisionPipeline, threshold: Double,
                    seed: UInt64, log: (String) -> Void) throws -> CrossPhotoFigures? {
        guard let data = FileManager.default.contents(atPath: listingsPath),
              let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let listings = root["listings"] as? [[String: Any]], !catalog.isEmpty else { return nil }
        struct Query { let image: String; let category: Category; let relation: String; let product: String?; let title: String; let truth: [String: Any] }
        let queries: [Query] = listings.compactMap { l in
            guard let image = l["mainImage"] as? String, let c = (l["category"] as? String).flatMap(Category.init(rawValue:)),
                  let truth = l["groundTruth"] as? [String: Any], let relation = truth["relation"] as? String,
                  FileManager.default.fileExists(atPath: image) else { return nil }
            return Query(image: image, category: c, relation: relation, product: truth["sameDesignAs"] as? String,
                         title: (l["title"] as? String) ?? "", truth: (truth["attributes"] as? [String: Any]) ?? [:])
        }
        guard !queries.isEmpty else { return nil }
        // images.jsonl lists the marketplace photos too (as their own products): the catalog a
        // buyer's photo is matched against is the brands' photos only.
        let catalog = catalog.filter { !isMarketplacePhoto($0.path) }

        let index = CatalogIndex(dimension: pipeline.embedder.dimension)
        var byProduct: [String: [WorldPhoto]] = [:]
        for p in catalog { byProduct[p.product, default: []].append(p) }
        var keypoints: [String: KeypointSet] = [:]
        for (product, photos) in byProduct {
            guard let c = Category(rawValue: photos[0].category) else { continue }
            index.upsert(IndexedItem(ref: product, source: .inventory, labels: photos[0].labels), category: c,
                         images: photos.map { (fileName: $0.path, embedding: $0.analysis.embedding) })
            for p in photos { keypoints[p.path] = p.analysis.keypoints }
        }
        let frozen = keypoints
        var options = MatcherOptions()
        options.exactThreshold = threshold
        let matcher = Matcher(index: index, calibration: pipeline.embedder.calibration, options: options) { files in
            var out: [String: KeypointSet] = [:]
            for f in files { out[f] = frozen[f] }
            return out
        }

        var rng = SeededRandom(seed: seed)
        let edits: [[ImageEdit]] = queries.map { _ in
            [.resize(scale: rng.uniform(0.6, 1.0)),
             .light(brightness: 0, contrast: rng.uniform(-0.08, 0.08)),
             .jpeg(quality: Int(rng.uniform(70, 92)))]
        }
        log("cross-photo: searching \(queries.count) edited marketplace photos against \(byProduct.count) catalog products")
        struct Outcome { let withVeto: String?; let without: String?; let rank: Int?; let photo: ExtractedAttributes
                         let alternatives: [String: [IndexedItem]] }
        let outcomes: [Outcome?] = Parallel.map(Array(queries.indices)) { i in
            guard let bytes = try? [UInt8](Data(contentsOf: URL(fileURLWithPath: queries[i].image))),
                  let image = try? ImageDecoder.decode(bytes, limits: .standard) else { return nil }
            let a = pipeline.analyze(ImageEdit.apply(edits[i], to: image))
            let neighbours = matcher.neighbours(a.embedding, category: queries[i].category)
            let candidates = matcher.candidates(neighbours, queryKeypoints: a.keypoints)
            let exact = matcher.exactMatch(candidates, photo: a.attributes) { _ in true }
            let read = AttributeComparison.resolve(a.attributes, neighbours: neighbours)
            return Outcome(withVeto: exact?.item.ref,
                           without: matcher.exactMatch(candidates) { _ in true }?.item.ref,
                           rank: queries[i].product.flatMap { p in candidates.firstIndex { $0.item.ref == p } }, photo: a.attributes,
                           alternatives: ["similarity only": matcher.alternatives(candidates, exact: exact) { _ in true }.map(\.item),
                                          "with attribute agreement": matcher.alternatives(candidates, exact: exact, eligible: { _ in true },
                                                                                           query: read).map(\.item)])
        }

        var asked: [String: Int] = [:], wrong: [String: Int] = [:], wrongNoVeto = 0, found = 0, foundNoVeto = 0, first = 0, top8 = 0
        for (q, o) in zip(queries, outcomes) {
            guard let o else { continue }
            asked[q.relation, default: 0] += 1
            func isRight(_ ref: String?) -> Bool { q.relation == "same_design" && ref != nil && ref == q.product }
            if isRight(o.withVeto) { found += 1 } else if o.withVeto != nil { wrong[q.relation, default: 0] += 1 }
            if isRight(o.without) { foundNoVeto += 1 } else if o.without != nil { wrongNoVeto += 1 }
            if q.relation == "same_design", let rank = o.rank { if rank == 0 { first += 1 }; if rank < 8 { top8 += 1 } }
        }
        var tallies: [String: LabelTally] = [:]
        for (q, o) in zip(queries, outcomes) {
            guard let o else { continue }
            let truth = WorldEval.labels(q.truth)
            let title = TitleAttributes.guess(q.title)
            let reading = PhotoReading(metal: o.photo.metal.isUnknown ? nil : o.photo.metal.value, metalConfidence: o.photo.metal.confidence,
                                       stones: o.photo.stones.isUnknown ? nil : o.photo.stones.value, stonesConfidence: o.photo.stones.confidence,
                                       stoneColours: o.photo.stoneColours)
            let told = [("title", ProductLabels.labels(guessed: title)),
                        ("title and photo", ProductLabels.labels(guessed: ListingDescription.describe(title, photo: reading)))]
            for (how, labels) in told {
                if AttributeExtractor.metalValues.contains(truth.metal) { tallies["metal, \(how)", default: .init()].add(labels["metal"], truth: truth.metal) }
                tallies["stones, \(how)", default: .init()].add(labels["stones"], truth: truth.stones)
            }
        }
        var shown: [String: AlternativesTally] = [:]
        for (q, o) in zip(queries, outcomes) {
            guard let o else { continue }
            let truth = WorldEval.labels(q.truth)
            for (how, items) in o.alternatives {
                var t = shown[how] ?? AlternativesTally()
                t.shown += items.count
                t.sameMetal += items.filter { $0.labels["metal"] == truth.metal }.count
                t.sameStones += items.filter { $0.labels["stones"] == truth.stones }.count
                if let colour = truth.stoneColour, truth.stones == "coloured" {
                    t.shownForColoured += items.count
                    t.sameStoneColour += items.filter { $0.labels["stoneColour"] == colour }.count
                }
                if q.relation == "same_design", let p = q.product, o.withVeto == p || items.contains(where: { $0.ref == p }) { t.sameDesignShown += 1 }
                shown[how] = t
            }
        }
        let same = max(1, asked["same_design"] ?? 0), total = max(1, asked.values.reduce(0, +))
        return CrossPhotoFigures(queries: asked, sameDesignFoundExact: found, sameDesignRecall: Double(found) / Double(same),
                                 falseExact: wrong, falseExactRate: Double(wrong.values.reduce(0, +)) / Double(total),
                                 sameDesignRecallWithoutVeto: Double(foundNoVeto) / Double(same),
                                 falseExactRateWithoutVeto: Double(wrongNoVeto) / Double(total),
                                 sameDesignRankedFirst: Double(first) / Double(same), sameDesignInTop8: Double(top8) / Double(same),
                                 listingLabels: tallies, alternatives: shown)
    }
}
