import FacetVision
import Foundation

/// How one calibration's exact band behaves on the demo catalog itself: each brand photo searched
/// against the other brand photos of its category (the live rule: nearest photo per product, the
/// closest `verify` products checked with keypoints, inliers counted only when they stand out).
/// What the exact band's distances are chosen from, instead of from the evaluation listings.
struct CatalogExactRow: Codable {
    var calibration: String
    /// Photos whose product has another view: that product came out as the exact match.
    var anotherViewFoundExact: Double
    /// Photos searched with their own product left out: any exact match is false.
    var otherProductTakenExact: Double
    var queries: Int
}

enum CatalogExactEval {
    static let verify = 12

    static func run(products: [String], categories: [String], isBrand: [Bool], spaces: [[ImageAnalysis?]], spaceOf: [Int],
                    calibrations: [SimilarityCalibration]) -> [CatalogExactRow] {
        struct Scored { let product: String; let distance: Float; let inliers: Int }
        let queries = products.indices.filter { isBrand[$0] && spaces[spaceOf[$0]][$0] != nil }
        // Per query: the closest verify + 1 products (own included), with inliers.
        let shortlists: [[Scored]] = Parallel.map(queries) { i in
            let space = spaces[spaceOf[i]]
            let a = space[i]!
            var best: [String: (Float, Int)] = [:]
            for j in products.indices where j != i && isBrand[j] && categories[j] == categories[i] {
                guard let b = space[j] else { continue }
                let d = Embedding.distance(a.embedding, b.embedding)
                if best[products[j]].map({ d < $0.0 }) ?? true { best[products[j]] = (d, j) }
            }
            return best.sorted { $0.value.0 < $1.value.0 }.prefix(verify + 1).map { p, v in
                Scored(product: p, distance: v.0, inliers: Keypoints.inliers(a.keypoints, space[v.1]!.keypoints))
            }
        }
        func exact(_ list: ArraySlice<Scored>, _ c: SimilarityCalibration) -> String? {
            let ranked = list.map(\.inliers).sorted(by: >)
            let scored = list.map { s -> (String, Double) in
                let runnerUp = s.inliers == ranked.first ? (ranked.count > 1 ? ranked[1] : 0) : (ranked.first ?? 0)
                return (s.product, c.similarity(distance: s.distance, inliers: s.inliers, runnerUp: runnerUp))
            }
            return scored.filter { $0.1 >= SimilarityCalibration.band }.max { $0.1 < $1.1 }?.0
        }
        // Brand products with two or more photos: their photos are the positives.
        var photosOf: [String: Int] = [:]
        for q in queries { photosOf[products[q], default: 0] += 1 }
        return calibrations.map { c in
            var positives = 0, found = 0, taken = 0
            for (q, list) in zip(queries, shortlists) {
                let own = products[q]
                if (photosOf[own] ?? 0) >= 2 {
                    positives += 1
                    if exact(list.prefix(verify), c) == own { found += 1 }
                }
                if exact(list.filter { $0.product != own }.prefix(verify), c) != nil { taken += 1 }
            }
            return CatalogExactRow(calibration: String(format: "d95 %.2f support %.2f confirm %.2f", c.d95, c.supportDistance, c.confirmDistance),
                                   anotherViewFoundExact: Double(found) / Double(max(1, positives)),
                                   otherProductTakenExact: Double(taken) / Double(max(1, queries.count)), queries: queries.count)
        }
    }
}
