import FacetCore
import FacetStore
import FacetVision
import Foundation
import Synchronization

/// What the vision read on listing photos, for describing the listings to buyers. A photo's
/// stored reading does not change while the service runs (one embedder, one set of heads), and
/// every search shows the same listings: each is read from the feature store and decoded once.
final class PhotoReadings: Sendable {
    let features: FeatureStore
    let embedder: String
    private let cache = Mutex<[String: PhotoReading]>([:])
    static let capacity = 200_000

    init(features: FeatureStore, embedder: String) {
        self.features = features
        self.embedder = embedder
    }

    /// The reading of a stored photo; nil until it has been analysed.
    func reading(file: String) -> PhotoReading? {
        if let known = cache.withLock({ $0[file] }) { return known }
        guard let stored = try? features.features([file], embedder: embedder)[file], let reading = Self.decode(stored.attributes) else { return nil }
        remember(reading, file: file)
        return reading
    }

    /// Keeps a reading decoded elsewhere (the indexer has it in hand when it indexes a listing).
    func remember(_ reading: PhotoReading, file: String) {
        cache.withLock { cache in
            if cache.count >= Self.capacity { cache.removeAll(keepingCapacity: true) }
            cache[file] = reading
        }
    }

    /// A stored photo's attributes (FeatureCodec's JSON) as a reading; nil when unreadable.
    static func decode(_ json: String) -> PhotoReading? {
        guard let a = try? JSONDecoder().decode(ExtractedAttributes.self, from: Data(json.utf8)) else { return nil }
        return PhotoReading(metal: a.metal.isUnknown ? nil : a.metal.value, metalConfidence: a.metal.confidence,
                            stones: a.stones.isUnknown ? nil : a.stones.value, stonesConfidence: a.stones.confidence,
                            stoneColours: a.stoneColours)
    }
}
