import FacetCore
import FacetVision

/// What the upload shows, attribute by attribute, with a confidence each.
public struct QueryAttributes: Codable, Sendable, Equatable {
    public struct Guess: Codable, Sendable, Equatable {
        public var value: String
        public var confidence: Double
        /// "colour" when read from the pixels, "neighbours" when voted by similar catalog items.
        public var method: String
        public var note: String?
        public var colours: [String]?
        public init(value: String, confidence: Double, method: String, note: String? = nil, colours: [String]? = nil) {
            self.value = value
            self.confidence = confidence
            self.method = method
            self.note = note
            self.colours = colours
        }
    }
    public var values: [String: Guess]

    public init(values: [String: Guess]) { self.values = values }

    public func value(_ key: String) -> String? {
        guard let v = values[key]?.value, v != AttributeGuess.unknownValue else { return nil }
        return v
    }
}

public enum AttributeComparison {
    /// Colour rules decide metal and stones; similar labelled items vote on the rest, and on
    /// metal or stones when the rules were unsure. A setting holds stones: when the photo shows
    /// none, the setting is none (a plain band's look-alikes with stones voted "prong" for it; every
    /// demo design without stones is labelled setting none). With stones the vote stands, since
    /// some pieces with stones have no setting (strung pearls).
    public static func resolve(_ extracted: ExtractedAttributes, neighbours: [Neighbour]) -> QueryAttributes {
        let labelled = neighbours.filter { $0.item.source == .inventory }.prefix(15).map {
            LabelledNeighbour(distance: $0.distance, labels: $0.item.labels)
        }
        var values: [String: QueryAttributes.Guess] = [:]
        let combined = AttributeExtractor.combine(extracted, neighbours: Array(labelled))
        func ruled(_ key: String, _ rule: AttributeGuess, _ g: AttributeGuess, colours: [String]? = nil) {
            let method = g == rule ? "colour" : "neighbours"
            values[key] = .init(value: g.value, confidence: g.confidence, method: method,
                                note: key == "metal" && g.value == "white" ? ExtractedAttributes.whiteMetalNote : nil,
                                colours: g.value == "coloured" ? colours : nil)
        }
        ruled("metal", extracted.metal, combined.metal)
        ruled("stones", extracted.stones, combined.stones, colours: extracted.stoneColours.isEmpty ? nil : extracted.stoneColours)
        for key in ProductLabels.voted {
            let v = labelled.isEmpty ? AttributeGuess(value: AttributeGuess.unknownValue, confidence: 0)
                                     : AttributeExtractor.vote(key, neighbours: labelled)
            values[key] = .init(value: v.value, confidence: v.confidence, method: "neighbours")
        }
        if let stones = values["stones"], stones.value == "none" {
            values["setting"] = .init(value: "none", confidence: stones.confidence, method: stones.method)
        }
        return QueryAttributes(values: values)
    }

    /// Which attributes an offer shares with the upload. Unknown on either side stays unknown.
    public static func matches(_ query: QueryAttributes, _ labels: [String: String]) -> [String: AttributeMatch] {
        var result: [String: AttributeMatch] = [:]
        for key in ["metal", "stones", "style", "craftsmanship", "pattern", "setting"] {
            let q = query.value(key), o = labels[key]
            guard let q, let o else {
                result[key] = AttributeMatch(verdict: .unknown, query: q ?? AttributeGuess.unknownValue, offer: o ?? AttributeGuess.unknownValue)
                continue
            }
            result[key] = AttributeMatch(verdict: q == o ? .match : .differs, query: q, offer: o)
        }
        if query.value("stones") == "coloured", let colours = query.values["stones"]?.colours, let o = labels["stoneColour"] {
            result["stoneColour"] = AttributeMatch(verdict: colours.contains(o) ? .match : .differs,
                                                   query: colours.joined(separator: ", "), offer: o)
        }
        return result
    }
}
