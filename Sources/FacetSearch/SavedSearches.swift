import FacetCore
import FacetStore
import FacetVision
import Foundation

/// Saved searches: a name to come back to, "search again" against today's catalog with what is
/// new marked, and an optional watch on new stock (see `SearchWatcher`).
extension SearchService {
    public static let defaultMinSimilarity = 80.0
    public static let minSimilarityRange: ClosedRange<Double> = 50...100

    public struct SavedSearchView: Encodable, Sendable {
        public let id: String
        public let name: String
        public let searchId: String
        public let category: Category
        public let maxPrice: Money?
        public let image: String
        public let watch: Bool
        public let minSimilarity: Double
        public let lastRunAt: Date
        public let lastSearchId: String
        public let newMatches: Int
        public let createdAt: Date
    }

    public func saveSearch(buyerId: String, search: SearchRecord, name: String, watch: Bool, minSimilarity: Double?) throws -> SavedSearchView {
        let similarity = try Self.check(minSimilarity: minSimilarity) ?? Self.defaultMinSimilarity
        let record = SavedSearchRecord(id: Identifier.make("ss"), buyerId: buyerId, searchId: search.id, name: try Self.check(name: name),
                                       watch: watch, minSimilarity: similarity, createdAt: Date())
        try database.writer.write { db in try record.insert(db) }
        return view(record, search: search)
    }

    public func savedSearches(buyerId: String) throws -> [SavedSearchView] {
        try SavedSearchStore(database: database).list(buyerId: buyerId).compactMap { saved in
            try searches.find(id: saved.searchId).map { view(saved, search: $0) }
        }
    }

    public func updateSavedSearch(buyerId: String, id: String, name: String?, watch: Bool?, minSimilarity: Double?) throws -> SavedSearchView {
        let name = try name.map(Self.check(name:))
        let similarity = try Self.check(minSimilarity: minSimilarity)
        let saved = try database.writer.write { db -> SavedSearchRecord in
            guard var saved = try SavedSearchStore.find(db, id: id, buyerId: buyerId) else { throw DomainError.notFound("No saved search \(id).") }
            if let name { saved.name = name }
            if let watch { saved.watch = watch }
            if let similarity { saved.minSimilarity = similarity }
            try saved.update(db)
            return saved
        }
        guard let search = try searches.find(id: saved.searchId) else { throw DomainError.notFound("No saved search \(id).") }
        return view(saved, search: search)
    }

    public func deleteSavedSearch(buyerId: String, id: String) throws {
        try database.writer.write { db in
            guard let saved = try SavedSearchStore.find(db, id: id, buyerId: buyerId) else { throw DomainError.notFound("No saved search \(id).") }
            try saved.delete(db)
        }
    }

    /// The same photo, category and price limit against today's catalog and marketplace; the new
    /// run remembers the one it repeats, so its offers say which are new.
    public func searchAgain(_ previous: SearchRecord, buyerId: String) async throws -> SearchRecord {
        guard let url = imageStore.file(named: previous.imageFile), let bytes = try? Data(contentsOf: url) else {
            throw DomainError.conflict("photo_gone", "The photo of this search is no longer stored; upload it again.")
        }
        let pipeline = pipeline
        let image: RGBAImage
        do {
            image = try await pool.run { try ImageDecoder.decode([UInt8](bytes), limits: pipeline.limits) }
        } catch is ComputePool.Busy {
            throw Self.busy
        }
        var record = SearchRecord(id: Identifier.make("s"), buyerId: buyerId, category: previous.category, maxPriceAmount: previous.maxPriceAmount,
                                  currency: previous.currency, imageFile: previous.imageFile, createdAt: Date())
        record.previousSearchId = previous.id
        let now = record.createdAt
        try publisher.transaction { db, events in
            try SearchStore.insert(db, record)
            for var saved in try SavedSearchStore.following(db, searchId: previous.id) where saved.buyerId == buyerId {
                saved.lastSearchId = record.id
                saved.lastRunAt = now
                saved.newMatches = 0
                try saved.update(db)
            }
            events.append(try Self.event(SearchView(record)))
        }
        let started = record
        Task.detached { [self] in await run(started, image: image) }
        return started
    }

    func view(_ saved: SavedSearchRecord, search: SearchRecord) -> SavedSearchView {
        SavedSearchView(id: saved.id, name: saved.name, searchId: saved.searchId, category: search.category,
                        maxPrice: search.maxPriceAmount.map { Money(amount: $0, currency: search.currency) },
                        image: ImageURL.path(search.imageFile), watch: saved.watch, minSimilarity: saved.minSimilarity,
                        lastRunAt: saved.lastRunAt, lastSearchId: saved.lastSearchId, newMatches: saved.newMatches, createdAt: saved.createdAt)
    }

    static func check(name: String) throws -> String {
        let text = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 120 else { throw DomainError.invalid("name", "name must be 1 to 120 characters.") }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw DomainError.invalid("name", "name contains control characters.")
        }
        return text
    }

    static func check(minSimilarity: Double?) throws -> Double? {
        guard let value = minSimilarity else { return nil }
        guard minSimilarityRange.contains(value) else {
            throw DomainError.invalid("minSimilarity", "minSimilarity must be from \(Int(minSimilarityRange.lowerBound)) to \(Int(minSimilarityRange.upperBound)) (%).")
        }
        return value
    }
}
