import FacetCore
import FacetMatching
import FacetStore
import FacetVision
import Foundation
import Synchronization

/// Watched saved searches: when brand sync brings new stock, each watched search of that
/// category compares its photo with the new product's photos; a match at or above the buyer's
/// chosen similarity is recorded once and announced as `saved-search.match` on `buyer:<id>`
/// (the daily e-mail digest reads the recorded matches).
final class SearchWatcher: Sendable {
    let service: SearchService
    /// Query embeddings by saved search, computed once from the stored upload.
    private let queries = Mutex<[String: [Float]]>([:])

    init(service: SearchService) { self.service = service }

    struct MatchEvent: Encodable {
        let savedSearchId: String
        let name: String
        let offer: Offer
        let similarity: Double
    }

    func follow(_ stream: AsyncStream<CatalogChange>) async {
        for await change in stream where change.kind == .created && change.product.status == .active {
            await consider(change)
        }
    }

    func consider(_ change: CatalogChange) async {
        guard let watchers = try? SavedSearchStore(database: service.database).watched(category: change.category), !watchers.isEmpty,
              let photos = await productEmbeddings(sku: change.sku), !photos.isEmpty else { return }
        let ref = SearchIndexer.ref(sku: change.sku)
        for (saved, imageFile) in watchers {
            guard let query = await queryEmbedding(saved.id, imageFile: imageFile) else { continue }
            let similarity = photos.map { service.matcher.calibration.similarity(query, $0) }.max() ?? 0
            guard similarity >= min(saved.minSimilarity, service.options.matcher.exactThreshold) else { continue }
            do {
                let offerId = try service.searches.offerId(source: OfferSource.inventory.rawValue, ref: ref)
                guard let offer = try service.offers(ids: [offerId])[offerId] else { continue }
                try record(saved, offer: offer, similarity: (similarity * 10).rounded() / 10)
            } catch {
                service.logger.warning("saved-search match not recorded", metadata: ["savedSearch": "\(saved.id)", "error": "\(error)"])
            }
        }
    }

    /// The match, the counter and the event commit together; a match already recorded is not announced again.
    func record(_ saved: SavedSearchRecord, offer: Offer, similarity: Double) throws {
        try service.publisher.transaction { db, events in
            let match = SavedSearchMatchRecord(savedSearchId: saved.id, offerId: offer.id, similarity: similarity, foundAt: Date())
            try match.insert(db, onConflict: .ignore)
            guard db.changesCount > 0 else { return }
            try db.execute(sql: "UPDATE savedSearch SET newMatches = newMatches + 1 WHERE id = ?", arguments: [saved.id])
            var shown = offer
            shown.similarity = similarity
            events.append(try PendingEvent(topic: Topic.buyer(saved.buyerId).description, event: "saved-search.match",
                                           data: MatchEvent(savedSearchId: saved.id, name: saved.name, offer: shown, similarity: similarity)))
        }
    }

    /// The new product's photo embeddings, once the indexer has analysed them (it runs on the
    /// same change); nil when they do not appear within a minute.
    func productEmbeddings(sku: String) async -> [[Float]]? {
        let embedder = service.pipeline.embedder.identifier
        for _ in 0..<120 {
            if let files = try? service.features.catalogImages(sku: sku), !files.isEmpty,
               let stored = try? service.features.features(files, embedder: embedder), stored.count == files.count {
                return stored.values.map { FeatureCodec.embedding($0.embedding) }
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
        return nil
    }

    func queryEmbedding(_ id: String, imageFile: String) async -> [Float]? {
        if let known = queries.withLock({ $0[id] }) { return known }
        guard let url = service.imageStore.file(named: imageFile), let data = try? Data(contentsOf: url) else { return nil }
        let pipeline = service.pipeline
        guard let analysis = try? await service.pool.run({ try pipeline.analyze(bytes: [UInt8](data)) }) else { return nil }
        queries.withLock { $0[id] = analysis.embedding }
        return analysis.embedding
    }
}
