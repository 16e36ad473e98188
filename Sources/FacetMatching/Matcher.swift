import FacetCore
import FacetVision
import Foundation

/// A scored item: its closest photo, the embedding distance, and the calibrated similarity
/// (with the geometric check folded in when it was verified).
public struct Candidate: Sendable {
    public let item: IndexedItem
    public let fileName: String
    public let distance: Float
    public let inliers: Int?
    public let similarity: Double
    let vector: [Float]
}

public struct MatcherOptions: Sendable {
    /// Calibrated similarity (percent) at or above which an inventory item is the exact match.
    public var exactThreshold: Double = ExactMatch.defaultThreshold
    /// Items whose best photo gets the keypoint check.
    public var verify = 12
    /// Photos read from the index per search.
    public var pool = 160
    public var alternatives: ClosedRange<Int> = 5...8
    /// Two results closer than this are replicas of each other (≥ 95 % alike): keep one.
    public var replicaDistance: Float = 0.30
    /// Weight of redundancy against relevance when picking alternatives.
    public var diversity: Double = 0.35
    /// The alternatives picked by similarity alone before the photo's attributes weigh in.
    public var likeliest = 3
    public init() {}
}

/// Tier 1 (the exact inventory match) and tier 3 (diverse alternatives) over the index.
public struct Matcher: Sendable {
    public let index: CatalogIndex
    public let calibration: SimilarityCalibration
    public let options: MatcherOptions
    /// Keypoints of stored photos, by file name (they live on disk, not in the index).
    public let keypoints: @Sendable ([String]) -> [String: KeypointSet]

    public init(index: CatalogIndex, calibration: SimilarityCalibration = .standard, options: MatcherOptions = MatcherOptions(),
                keypoints: @escaping @Sendable ([String]) -> [String: KeypointSet]) {
        self.index = index
        self.calibration = calibration
        self.options = options
        self.keypoints = keypoints
    }

    /// The nearest photos in the buyer's category, for attribute voting and ranking.
    public func neighbours(_ embedding: [Float], category: Category) -> [Neighbour] {
        index.nearest(embedding, category: category, k: options.pool)
    }

    /// One candidate per item, best first; the closest `verify` items are checked geometrically.
    public func candidates(_ neighbours: [Neighbour], queryKeypoints: KeypointSet) -> [Candidate] {
        var best: [String: Neighbour] = [:]
        var order: [String] = []
        for n in neighbours where best[n.item.ref] == nil {
            best[n.item.ref] = n
            order.append(n.item.ref)
        }
        let verified = Array(order.prefix(options.verify))
        let sets = keypoints(verified.compactMap { best[$0]?.fileName })
        var inliers: [String: Int] = [:]
        for ref in verified {
            if let n = best[ref], let k = sets[n.fileName], queryKeypoints.count > 0 { inliers[ref] = Keypoints.inliers(queryKeypoints, k) }
        }
        let ranked = inliers.values.sorted(by: >)
        return order.compactMap { ref -> Candidate? in
            guard let n = best[ref] else { return nil }
            let own = inliers[ref]
            // The most inliers of any other candidate: the first or second of the ranking.
            let runnerUp = own == ranked.first ? (ranked.count > 1 ? ranked[1] : 0) : (ranked.first ?? 0)
            let s = calibration.similarity(distance: n.distance, inliers: own, runnerUp: runnerUp)
            return Candidate(item: n.item, fileName: n.fileName, distance: n.distance, inliers: own,
                             similarity: (s * 10).rounded() / 10, vector: n.vector)
        }.sorted { $0.similarity > $1.similarity }
    }

    /// Tier 1: the most similar inventory item at or above the threshold that `available` accepts
    /// and that the photo's confident colours do not contradict (`ExactVeto`).
    public func exactMatch(_ candidates: [Candidate], photo: ExtractedAttributes? = nil, available: (IndexedItem) -> Bool) -> Candidate? {
        candidates.first { c in
            guard c.item.source == .inventory, c.similarity >= options.exactThreshold, available(c.item) else { return false }
            guard let photo else { return true }
            return ExactVeto.contradiction(photo, labels: c.item.labels) == nil
        }
    }

    /// Tier 3: up to `alternatives.upperBound` items, relevant but not replicas of each other or
    /// of the exact match, with both sources represented when both have eligible items. Relevance is
    /// the similarity plus, when the upload's attributes are given, their agreement with the item's
    /// (`AttributeAgreement`); the alternatives come back most relevant first.
    public func alternatives(_ candidates: [Candidate], exact: Candidate?, eligible: (IndexedItem) -> Bool,
                             query: QueryAttributes? = nil) -> [Candidate] {
        var relevance: [String: Double] = [:]
        for c in candidates { relevance[c.item.ref] = c.similarity + (query.map { AttributeAgreement.points($0, labels: c.item.labels) } ?? 0) }
        func relevant(_ c: Candidate) -> Double { relevance[c.item.ref] ?? c.similarity }
        let pool = candidates.filter { $0.item.ref != exact?.item.ref && eligible($0.item) }
        var chosen: [Candidate] = []
        var remaining = pool
        let anchors = exact.map { [$0.vector] } ?? []
        func isReplica(_ c: Candidate) -> Bool {
            (anchors + chosen.map(\.vector)).contains { Embedding.distance($0, c.vector) < options.replicaDistance }
        }
        // With the photo's attributes, the designs most like it are still shown whatever their labels
        // say: one of them is most often the photographed design itself, and a misread colour must
        // not hide it (measured in `facet eval` part 4: without this, 6 of 182 listings of a design
        // we stock lost it from their alternatives; with the three likeliest kept, 2).
        while query != nil, chosen.count < min(options.likeliest, options.alternatives.upperBound),
              let next = remaining.indices.first(where: { !isReplica(remaining[$0]) }) {
            chosen.append(remaining.remove(at: next))
        }
        while chosen.count < options.alternatives.upperBound, !remaining.isEmpty {
            var bestIndex: Int?
            var bestScore = -Double.infinity
            for (i, c) in remaining.enumerated() where !isReplica(c) {
                let redundancy = chosen.map { calibration.similarity(distance: Embedding.distance($0.vector, c.vector)) }.max() ?? 0
                let score = relevant(c) - options.diversity * redundancy
                if score > bestScore { bestScore = score; bestIndex = i }
            }
            guard let pick = bestIndex else { break }
            chosen.append(remaining.remove(at: pick))
        }
        // Both sources, when both have something to show: swap the weakest of the larger side.
        for source in [OfferSource.inventory, .marketplace] where chosen.count >= 4 {
            let have = chosen.filter { $0.item.source == source }.count
            guard have < 2 else { continue }
            let extra = remaining.filter { $0.item.source == source && !isReplica($0) }.sorted { relevant($0) > relevant($1) }.prefix(2 - have)
            for c in extra {
                guard let weakest = chosen.lastIndex(where: { $0.item.source != source }) else { break }
                chosen[weakest] = c
            }
        }
        return chosen.sorted { relevant($0) > relevant($1) }
    }
}
