import Foundation

/// A multinomial logistic regression: standardised inputs, one weight row per class (bias last).
/// Small on purpose: a few hundred numbers per class, trained in seconds. Its logits can be divided
/// by a temperature fitted on photos it was not trained on (`facet model fit-heads
/// --calibration-folds`): a fit that nearly separates its training photos says 100 % on photos it
/// reads wrongly. Off by default (docs/search.md says what it changed).
public struct SoftmaxHead: Codable, Sendable, Equatable {
    public let classes: [String]
    public let mean: [Float]
    public let inverseDeviation: [Float]
    public let weights: [[Float]]
    /// 1 leaves the fit's probabilities as they are; above 1 softens them.
    public var temperature: Float

    public init(classes: [String], mean: [Float], inverseDeviation: [Float], weights: [[Float]], temperature: Float = 1) {
        self.classes = classes; self.mean = mean; self.inverseDeviation = inverseDeviation; self.weights = weights
        self.temperature = temperature
    }

    private enum CodingKeys: String, CodingKey { case classes, mean, inverseDeviation, weights, temperature }

    /// Files written before the temperature existed read as uncalibrated (1).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        classes = try c.decode([String].self, forKey: .classes)
        mean = try c.decode([Float].self, forKey: .mean)
        inverseDeviation = try c.decode([Float].self, forKey: .inverseDeviation)
        weights = try c.decode([[Float]].self, forKey: .weights)
        temperature = try c.decodeIfPresent(Float.self, forKey: .temperature) ?? 1
        guard temperature.isFinite, temperature > 0 else {
            throw DecodingError.dataCorruptedError(forKey: .temperature, in: c, debugDescription: "temperature \(temperature) is not positive")
        }
    }

    public var inputDimension: Int { mean.count }

    /// The class scores before the temperature.
    public func logits(_ x: [Float]) -> [Float] {
        precondition(x.count == mean.count, "head expects \(mean.count) inputs, got \(x.count)")
        let z = (0..<x.count).map { (x[$0] - mean[$0]) * inverseDeviation[$0] }
        return weights.map { w in Self.logit(w, z) }
    }

    public func probabilities(_ x: [Float]) -> [Float] {
        Self.softmax(logits(x).map { $0 / temperature })
    }

    /// The temperature that makes held-out logits' probabilities most likely for their labels
    /// (weighted negative log-likelihood), searched on a log grid from 0.5 to 20: one number, so
    /// it cannot change which class a head picks, only how sure it says it is.
    public static func fitTemperature(logits: [[Float]], labels: [Int], weights: [Float]? = nil) -> Float {
        precondition(logits.count == labels.count)
        guard !logits.isEmpty else { return 1 }
        let w = weights ?? [Float](repeating: 1, count: logits.count)
        func loss(_ t: Float) -> Double {
            var total = 0.0
            for (i, l) in logits.enumerated() {
                let p = softmax(l.map { $0 / t })
                total -= Double(w[i]) * log(max(1e-12, Double(p[labels[i]])))
            }
            return total
        }
        let steps = 240, lo = logf(0.5), hi = logf(20)
        var best: Float = 1, bestLoss = loss(1)
        for k in 0...steps {
            let t = expf(lo + (hi - lo) * Float(k) / Float(steps))
            let l = loss(t)
            if l < bestLoss { best = t; bestLoss = l }
        }
        return best
    }

    static func logit(_ w: [Float], _ z: [Float]) -> Float {
        var s = w[z.count]
        for i in 0..<z.count { s += w[i] * z[i] }
        return s
    }

    static func softmax(_ logits: [Float]) -> [Float] {
        let top = logits.max() ?? 0
        let e = logits.map { expf($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }

    /// Full-batch Adam on the class-balanced, sample-weighted cross-entropy plus `l2` × |W|².
    /// Starts from zero weights and visits samples in order: the same data give the same head.
    public static func train(inputs: [[Float]], labels: [Int], classes: [String], sampleWeights: [Float]? = nil,
                             l2: Float = 0.01, iterations: Int = 300, learningRate: Float = 0.05) -> SoftmaxHead {
        precondition(!inputs.isEmpty && inputs.count == labels.count)
        let n = inputs.count, d = inputs[0].count, k = classes.count
        var weight = sampleWeights ?? [Float](repeating: 1, count: n)
        // Balance the classes: each present class carries the same total weight.
        var perClass = [Float](repeating: 0, count: k)
        for i in 0..<n { perClass[labels[i]] += weight[i] }
        let present = Float(perClass.filter { $0 > 0 }.count)
        for i in 0..<n { weight[i] /= present * perClass[labels[i]] }

        var mean = [Float](repeating: 0, count: d), sq = [Float](repeating: 0, count: d)
        for x in inputs { for j in 0..<d { mean[j] += x[j] } }
        for j in 0..<d { mean[j] /= Float(n) }
        for x in inputs { for j in 0..<d { let v = x[j] - mean[j]; sq[j] += v * v } }
        let inverse = sq.map { 1 / max(1e-3, sqrtf($0 / Float(n))) }
        var z = [Float](repeating: 0, count: n * d)
        for i in 0..<n { for j in 0..<d { z[i * d + j] = (inputs[i][j] - mean[j]) * inverse[j] } }

        let stride = d + 1
        var w = [Float](repeating: 0, count: k * stride)
        var m1 = w, m2 = w, grad = w
        var p = [Float](repeating: 0, count: k)
        let beta1: Float = 0.9, beta2: Float = 0.999
        for step in 1...max(1, iterations) {
            for i in grad.indices { grad[i] = 0 }
            z.withUnsafeBufferPointer { zb in
                w.withUnsafeBufferPointer { wb in
                    grad.withUnsafeMutableBufferPointer { gb in
                        for i in 0..<n {
                            let row = zb.baseAddress! + i * d
                            var top = -Float.infinity
                            for c in 0..<k {
                                let wc = wb.baseAddress! + c * stride
                                var s = wc[d]
                                for j in 0..<d { s += wc[j] * row[j] }
                                p[c] = s; top = max(top, s)
                            }
                            var sum: Float = 0
                            for c in 0..<k { p[c] = expf(p[c] - top); sum += p[c] }
                            for c in 0..<k {
                                let g = (p[c] / sum - (labels[i] == c ? 1 : 0)) * weight[i]
                                let gc = gb.baseAddress! + c * stride
                                for j in 0..<d { gc[j] += g * row[j] }
                                gc[d] += g
                            }
                        }
                    }
                }
            }
            let c1 = 1 - powf(beta1, Float(step)), c2 = 1 - powf(beta2, Float(step))
            for c in 0..<k {
                for j in 0...d {
                    let at = c * stride + j
                    let g = grad[at] + (j < d ? 2 * l2 * w[at] : 0)
                    m1[at] = beta1 * m1[at] + (1 - beta1) * g
                    m2[at] = beta2 * m2[at] + (1 - beta2) * g * g
                    w[at] -= learningRate * (m1[at] / c1) / (sqrtf(m2[at] / c2) + 1e-8)
                }
            }
        }
        let rows = (0..<k).map { Array(w[($0 * stride)..<(($0 + 1) * stride)]) }
        return SoftmaxHead(classes: classes, mean: mean, inverseDeviation: inverse, weights: rows)
    }
}

/// Metal and stone heads on a photo's colour statistics and its embedding (docs/model.md,
/// "Attribute heads"). They are fitted for one embedder's vector space: `embedder` names it (a
/// projected embedder's base: `VisionPipeline.headsSpace`), and a pipeline in another space keeps
/// the colour rules instead.
public struct AttributeHeads: Codable, Sendable, Equatable {
    public static let formatVersion = 1
    public let version: Int
    public let embedder: String
    /// What they were fitted on, in words (photo counts, options), for `facet` to report.
    public let fittedOn: String
    public let metal: SoftmaxHead
    public let stones: SoftmaxHead

    public init(embedder: String, fittedOn: String, metal: SoftmaxHead, stones: SoftmaxHead) {
        self.version = Self.formatVersion; self.embedder = embedder; self.fittedOn = fittedOn
        self.metal = metal; self.stones = stones
    }

    public init(serialised data: Data) throws {
        let heads = try JSONDecoder().decode(AttributeHeads.self, from: data)
        guard heads.version == Self.formatVersion else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "attribute heads format \(heads.version), expected \(Self.formatVersion)"))
        }
        self = heads
    }

    public func serialised() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// The rule evidence, the piece's chroma and lightness histograms, then the embedding.
    public static func inputs(piece: NormalizedPiece, rules: ExtractedAttributes, embedding: [Float]) -> [Float] {
        var x = evidenceKeys.map { Float(rules.evidence[$0] ?? 0) }
        x += Embedding.normalised(Features.chromaHistogram(piece))
        x += lightnessHistogram(piece)
        x += embedding
        return x
    }

    static let evidenceKeys = ["yellow", "rose", "white", "whiteMid", "coloured", "sparkle", "brightOnGold", "brightNeutral"]

    /// Shares of the masked piece in eight lightness bands, specular highlights as a ninth: pearls,
    /// clear stones and polished white metal differ here more than in chroma.
    static func lightnessHistogram(_ p: NormalizedPiece) -> [Float] {
        var h = [Float](repeating: 0, count: 9)
        var total: Float = 0
        for i in 0..<p.lab.count where p.mask[i] > 0.3 {
            total += p.mask[i]
            if p.specular[i] { h[8] += p.mask[i]; continue }
            h[min(7, max(0, Int(p.lab[i].0 / 12.5)))] += p.mask[i]
        }
        return total > 0 ? h.map { $0 / total } : h
    }

    /// Metal and stones of a piece read by the heads, on top of the rules' reading of it.
    public func read(_ piece: NormalizedPiece, rules: ExtractedAttributes, embedding: [Float]) -> ExtractedAttributes {
        apply(rules, inputs: Self.inputs(piece: piece, rules: rules, embedding: embedding))
    }

    public func apply(_ rules: ExtractedAttributes, inputs x: [Float]) -> ExtractedAttributes {
        guard x.count == metal.inputDimension, x.count == stones.inputDimension else { return rules }
        func guess(_ head: SoftmaxHead) -> AttributeGuess {
            let p = head.probabilities(x)
            let best = p.indices.max { p[$0] < p[$1] }!
            let c = Double(p[best])
            return AttributeGuess(value: c >= AttributeExtractor.minimumConfidence ? head.classes[best] : AttributeGuess.unknownValue,
                                  confidence: c)
        }
        var out = rules
        out.metal = guess(metal)
        out.stones = guess(stones)
        // The colours come from the rules; they only stand when the head also sees coloured stones.
        if out.stones.value != "coloured" { out.stoneColours = [] }
        return out
    }
}
