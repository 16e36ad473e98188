import Foundation

/// The outcome of one near-duplicate query: the score of its original and the best score of
/// any other photo of the category. The same query with its original removed is the
/// non-match query (its best score is `bestOther`).
struct QueryOutcome {
    var correct: Double
    var bestOther: Double
}

struct DetectionFigures: Codable {
    var queries: Int
    var thresholdLabel: String
    var precisionAtThreshold: Double
    var recallAtThreshold: Double
    var recallAt1: Double
    var recallAtPrecision099: Double
    var thresholdForPrecision099: Double?
    var msPerQuery: Double?
}

enum DetectionMetrics {
    /// Tier-1 decision at `t`: a query is matched to its top photo when that photo scores ≥ t.
    static func at(_ t: Double, _ outcomes: [QueryOutcome]) -> (precision: Double, recall: Double, predicted: Int) {
        var tp = 0, fp = 0
        for o in outcomes {
            let topIsCorrect = o.correct > o.bestOther
            if topIsCorrect && o.correct >= t { tp += 1 }
            if !topIsCorrect && o.bestOther >= t { fp += 1 }
            if o.bestOther >= t { fp += 1 }   // the non-match query
        }
        let predicted = tp + fp
        return (predicted == 0 ? 1 : Double(tp) / Double(predicted), Double(tp) / Double(max(1, outcomes.count)), predicted)
    }

    static func figures(_ outcomes: [QueryOutcome], threshold: Double, label: String, msPerQuery: Double?) -> DetectionFigures {
        let r1 = Double(outcomes.filter { $0.correct > $0.bestOther }.count) / Double(max(1, outcomes.count))
        let at = at(threshold, outcomes)
        var bestRecall = 0.0, bestT: Double? = nil
        let candidates = Set(outcomes.flatMap { [$0.correct, $0.bestOther] }).sorted()
        for t in candidates {
            let r = self.at(t, outcomes)
            if r.predicted > 0 && r.precision >= 0.99 && r.recall > bestRecall { bestRecall = r.recall; bestT = t }
        }
        return DetectionFigures(queries: outcomes.count, thresholdLabel: label, precisionAtThreshold: at.precision,
                                recallAtThreshold: at.recall, recallAt1: r1, recallAtPrecision099: bestRecall,
                                thresholdForPrecision099: bestT, msPerQuery: msPerQuery)
    }
}

/// Accuracy, per-class F1 and macro-F1 with a confusion matrix, for one attribute.
struct ClassificationFigures: Codable {
    var items: Int
    var accuracy: Double
    var macroF1: Double
    var unknownRate: Double
    var f1: [String: Double]
    /// confusion[truth][predicted] = count
    var confusion: [String: [String: Int]]
    /// How sure the reader said it was against how often it was right (heads only).
    var confidence: ConfidenceFigures?

    init(truth: [String], predicted: [String], classes: [String]) {
        items = truth.count
        var conf = [String: [String: Int]]()
        var correct = 0, unknown = 0
        for (t, p) in zip(truth, predicted) {
            conf[t, default: [:]][p, default: 0] += 1
            if t == p { correct += 1 }
            if p == "unknown" { unknown += 1 }
        }
        confusion = conf
        accuracy = Double(correct) / Double(max(1, truth.count))
        unknownRate = Double(unknown) / Double(max(1, truth.count))
        var f1s = [String: Double]()
        for c in classes {
            let tp = Double(conf[c]?[c] ?? 0)
            let fp = Double(conf.filter { $0.key != c }.map { $0.value[c] ?? 0 }.reduce(0, +))
            let fn = Double((conf[c] ?? [:]).filter { $0.key != c }.map(\.value).reduce(0, +))
            let denom = 2 * tp + fp + fn
            f1s[c] = denom == 0 ? 0 : 2 * tp / denom
        }
        f1 = f1s
        let present = classes.filter { (conf[$0]?.values.reduce(0, +) ?? 0) > 0 }
        macroF1 = present.isEmpty ? 0 : present.map { f1s[$0] ?? 0 }.reduce(0, +) / Double(present.count)
    }

    func render(_ name: String, classes: [String]) -> String {
        var s = String(format: "  %@: n=%d accuracy %.3f macro-F1 %.3f unknown %.1f%%\n", name, items, accuracy, macroF1, unknownRate * 100)
        s += "    F1: " + classes.map { String(format: "%@ %.2f", $0, f1[$0] ?? 0) }.joined(separator: ", ") + "\n"
        let cols = classes + ["unknown"]
        s += "    truth \\ predicted  " + cols.map { $0.padding(toLength: 9, withPad: " ", startingAt: 0) }.joined() + "\n"
        for t in classes where confusion[t] != nil {
            s += "    " + t.padding(toLength: 19, withPad: " ", startingAt: 0)
            s += cols.map { String(confusion[t]?[$0] ?? 0).padding(toLength: 9, withPad: " ", startingAt: 0) }.joined() + "\n"
        }
        if let c = confidence { s += "    " + c.line + "\n" }
        return s
    }
}

/// A reader's stated confidence against its accuracy: the mean of each, the expected calibration
/// error over ten equal-width bins, and the share said with 90 % or more and how often it was right.
struct ConfidenceFigures: Codable {
    var meanConfidence: Double
    var accuracy: Double
    var calibrationError: Double
    var sureShare: Double
    var sureAccuracy: Double

    init(_ reads: [(confidence: Double, right: Bool)]) {
        let n = Double(max(1, reads.count))
        meanConfidence = reads.map(\.confidence).reduce(0, +) / n
        accuracy = Double(reads.filter(\.right).count) / n
        var bins = [(sum: Double, right: Int, count: Int)](repeating: (0, 0, 0), count: 10)
        for r in reads {
            let b = min(9, max(0, Int(r.confidence * 10)))
            bins[b].sum += r.confidence; bins[b].count += 1; if r.right { bins[b].right += 1 }
        }
        calibrationError = bins.filter { $0.count > 0 }.map { abs($0.sum / Double($0.count) - Double($0.right) / Double($0.count)) * Double($0.count) / n }
            .reduce(0, +)
        let sure = reads.filter { $0.confidence >= 0.9 }
        sureShare = Double(sure.count) / n
        sureAccuracy = sure.isEmpty ? 0 : Double(sure.filter(\.right).count) / Double(sure.count)
    }

    var line: String {
        String(format: "confidence: mean %.3f against accuracy %.3f, calibration error %.3f; said at 90 %% or more %.0f%% of the time, right %.3f of those",
               meanConfidence, accuracy, calibrationError, sureShare * 100, sureAccuracy)
    }
}
