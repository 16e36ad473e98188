import FacetCore
import FacetMatching
import FacetSourcing
import FacetStore
import FacetVision
import Foundation
import Synchronization

extension SearchService {
    /// The stages after `received`. Each publish stores the record and pushes the same state,
    /// so internal results are on the page before the marketplace has answered.
    /// `whenDone` runs once the search is done (or failed), before late sourcing ends: the
    /// buyer's slot is free for the next upload while the open page still gets late designs.
    func run(_ initial: SearchRecord, image: RGBAImage, whenDone: @escaping @Sendable () -> Void = {}) async {
        await run(initial, photo: PhotoHandoff(image), whenDone: whenDone)
    }

    /// The decoded photo is handed over and let go once analysed: a search waiting for late
    /// sourcing keeps only what re-ranking needs (the vector and the keypoints), not megabytes of
    /// pixels per open page.
    func run(_ initial: SearchRecord, photo: PhotoHandoff, whenDone: @escaping @Sendable () -> Void = {}) async {
        var record = initial
        var attributes: QueryAttributes?
        var exactOffer: Offer?
        var alternatives: [Offer] = []
        // Each stored field (the ranked list is up to 48 offers) is encoded and written only when
        // it changed: encoding offers on every stage was half of what a hundred concurrent
        // searches asked of Swift's two cooperative threads (profiled with perf).
        var ranked: [Offer] = []
        var encoded = EncodedFields()
        var stored = initial
        var notes: [String] = []
        // A repeated search marks what the run it repeats did not show.
        let seen = previousOfferIds(initial.previousSearchId)
        func markNew(_ offer: Offer) -> Offer {
            guard let seen else { return offer }
            var marked = offer
            marked.isNew = !seen.contains(offer.id)
            return marked
        }
        var stageTimer = StageTimer()
        // When the last stages follow one another at once (no live sourcing to wait for), they are
        // written in one transaction: under a hundred concurrent searches the single writer is busy.
        var held: [SearchView]?
        // Marketplace batches arrive every few hundred milliseconds per search: their progress is
        // published at most once a second (each publish is a write and an encoding of every offer,
        // on the threads that also wake the budget timers); the last state always goes out.
        var unpublished = false
        var lastProgress = Date.distantPast
        func publish(_ stage: SearchStage, _ detail: String?) {
            unpublished = false
            stageTimer.enter(stage.rawValue, createdAt: record.createdAt)
            if seen != nil {
                exactOffer = exactOffer.map(markNew)
                alternatives = alternatives.map(markNew)
                ranked = ranked.map(markNew)
            }
            record.stage = stage.rawValue
            record.attributes = attributes == nil ? nil : encoded.text(attributes, \.attributes)
            record.exactMatch = exactOffer == nil ? nil : encoded.text(exactOffer, \.exactMatch)
            record.alternatives = encoded.text(alternatives, \.alternatives)
            record.notes = encoded.text(notes, \.notes)
            record.ranked = encoded.text(ranked, \.ranked)
            var view = SearchView(record, attributes: attributes, exactMatch: exactOffer, alternatives: alternatives, notes: notes)
            view.detail = detail
            if held != nil { held?.append(view) } else { write([view]) }
        }
        func write(_ views: [SearchView]) {
            do {
                try publisher.transaction { db, events in
                    try SearchStore.update(db, record, from: stored)
                    for view in views { events.append(try Self.event(view)) }
                }
                stored = record
            } catch {
                logger.error("search state not stored", metadata: ["search": "\(record.id)", "error": "\(error)"])
            }
        }
        func hold() { if held == nil { held = [] } }
        func release() {
            guard let views = held else { return }
            held = nil
            if !views.isEmpty { write(views) }
        }
        do {
            publish(.extractingAttributes, "Reading metal, stones and style from your photo")
            let (matcher, pipeline, category) = (matcher, pipeline, record.category)
            // One job from pixels to candidates: queueing twice would put every search's second
            // half behind every other search's first half when many arrive together.
            let (analysis, read, first) = try await pool.run { () -> (QueryPhoto, QueryAttributes, [Candidate]) in
                guard let image = photo.take() else { throw CancellationError() }
                let analysis = QueryPhoto(pipeline.analyze(image))
                let neighbours = matcher.neighbours(analysis.embedding, category: category)
                return (analysis, AttributeComparison.resolve(analysis.attributes, neighbours: neighbours),
                        matcher.candidates(neighbours, queryKeypoints: analysis.keypoints))
            }
            attributes = read
            var candidates = first
            logger.debug("search candidates", metadata: ["search": "\(record.id)", "top": "\(candidates.prefix(5).map { "\($0.item.ref) d=\($0.distance) inliers=\($0.inliers ?? -1) s=\($0.similarity)" })"])
            // The stages from here follow one another within milliseconds unless the brand or the
            // marketplace is asked live: they are written together up to the first such wait.
            hold()
            publish(.searchingInventory, "Looking for this design in our inventory")

            let catalog = OfferCatalog(features: features, readings: readings, marketplace: marketplace, searches: searches, markups: try markups.table(),
                                       currency: record.currency, maxPrice: record.maxPriceAmount)
            try catalog.load(candidates)
            let inStock = { (item: IndexedItem) in item.source == .inventory && catalog.available(item) }
            let exact = matcher.exactMatch(candidates, photo: analysis.attributes) { inStock($0) && catalog.withinBudget($0) }
            if exact == nil, matcher.exactMatch(candidates, photo: analysis.attributes, available: inStock) != nil {
                notes.append("This exact design is in our inventory, but above your maximum price.")
            }
            publish(.checkingStock, exact == nil ? "No exact match in our inventory" : "Confirming price and stock")
            // The brand is asked while the alternatives are chosen, not before.
            let sourcing = sourcing
            let liveCheck = exact.map { e in Task { try? await sourcing?.stock.check(sku: OfferCatalog.sku(e.item)) } }

            // Settled already: after the known items and after each marketplace batch.
            func finish() {
                publish(.findingAlternatives, "Choosing alternatives")
                let count = alternatives.count
                if count < matcher.options.alternatives.lowerBound {
                    notes.append(record.maxPriceAmount == nil
                        ? "Only \(count) alternatives are available in this category right now."
                        : "Only \(count) alternatives fit your maximum price; raise it to see more.")
                }
                record.status = "done"
                record.completedAt = Date()
                publish(.done, nil)
                release()
                whenDone()
            }
            func settle() throws {
                let picked = matcher.alternatives(candidates, exact: exact, eligible: catalog.withinBudget, query: read)
                alternatives = try picked.compactMap { try catalog.offer($0, attributes: read) }
                // "Show more": the headline first, then every other available design by similarity,
                // whatever its price (the results filters apply the buyer's limit).
                let headline = Set(picked.map(\.item.ref))
                let more = candidates.filter { $0.item.ref != exact?.item.ref && !headline.contains($0.item.ref) && catalog.available($0.item) }
                ranked = alternatives + (try more.prefix(SearchResults.maximum).compactMap { try catalog.offer($0, attributes: read) })
                ranked = Array(ranked.prefix(SearchResults.maximum))
            }
            // Alternatives from what is already known go out now; the marketplace can only add to them.
            try settle()
            if let exact, let liveCheck {
                release()
                let live = await liveCheck.value
                if let offer = try catalog.offer(exact, attributes: read, live: live) {
                    exactOffer = offer
                    if let live, !live.live { notes.append("Stock shown as of \(JSONCoding.iso8601(live.asOf)); we could not confirm it just now.") }
                }
            }
            if exact != nil {
                hold() // again: the brand's stock check released what was held
                publish(.searchingMarketplace, "Skipped: this design is in our inventory")
            } else if marketplace != nil, alternatives.count >= matcher.options.alternatives.lowerBound,
                      sourcingIndex?.answersLocally(category) == true {
                // The background index is fresh and deep enough here: no live query to wait for.
                publish(.searchingMarketplace, "Chosen from the designs our sourcing partners keep ready")
            } else if let marketplace {
                release()
                publish(.searchingMarketplace, "Looking further among our sourcing partners")
                var shownAtDone: Set<String> = []
                let deadline = record.createdAt.addingTimeInterval(options.marketplaceBudget)
                let found = await searchMarketplace(marketplace, attributes: read, record: record, onBatch: { batch in
                    catalog.add(batch)
                    // Before done, a batch is waited for only until the budget ends: under load its
                    // photos queue behind other searches' work, and the search must not be held past
                    // its budget by them. They are indexed for everyone either way.
                    let indexing = Task { await self.indexer.indexListings(batch) }
                    if record.status == "done" {
                        await indexing.value
                    } else if await !Self.finished(indexing, before: deadline) || Date() >= deadline {
                        return
                    }
                    // After done, re-ranking for the open page yields to searches waiting for a
                    // compute thread: the listings are indexed for everyone either way.
                    if record.status == "done", self.pool.queued > 0 { return }
                    candidates = try await self.pool.run { matcher.candidates(matcher.neighbours(analysis.embedding, category: category),
                                                                         queryKeypoints: analysis.keypoints) }
                    try catalog.load(candidates)
                    try settle()
                    if record.status == "done" {
                        // After the budget: the open page and the stored search get what sourcing still finds.
                        let more = Set((alternatives + ranked).map(\.id)).subtracting(shownAtDone).count
                        notes.removeAll { $0 == Self.stillSourcing || $0.hasSuffix(Self.arrivedLater) }
                        if more > 0 { notes.append("\(more) more design\(more == 1 ? "" : "s") \(Self.arrivedLater)") }
                    }
                    guard Date().timeIntervalSince(lastProgress) >= 1 else { unpublished = true; return }
                    lastProgress = Date()
                    if record.status == "done" {
                        publish(.done, nil)
                    } else {
                        publish(.searchingMarketplace, "Found \(catalog.listings.count) sourced designs so far")
                    }
                }, onBudgetSpent: {
                    // The search is done within its budget; sourcing goes on a while for the open page.
                    notes.append(Self.stillSourcing)
                    finish()
                    shownAtDone = Set((alternatives + ranked).map(\.id))
                })
                if let problem = found { notes.append(problem) }
                if record.status == "done", notes.contains(Self.stillSourcing) {
                    notes.removeAll { $0 == Self.stillSourcing }
                    publish(.done, nil)
                } else if record.status == "done", unpublished {
                    publish(.done, nil)
                }
            } else {
                publish(.searchingMarketplace, "Skipped: marketplace sourcing is off")
            }
            if record.status != "done" { finish() }
        } catch {
            release()
            logger.error("search failed", metadata: ["search": "\(record.id)", "error": "\(error)"])
            record.status = "failed"
            record.error = error is ComputePool.Busy ? "Facet is very busy; please try again in a minute." : "The search could not be completed."
            record.completedAt = Date()
            publish(.done, nil)
            whenDone()
        }
    }

    /// Tier 2: hands listing batches to `onBatch` until the source finishes, pauses, fails or the
    /// budget runs out. Returns a buyer-safe note when sourcing could not complete.
    /// When the budget is spent, `onBudgetSpent` settles the search and listings keep arriving
    /// through `onBatch` for `lateSourcingWindow` more seconds.
    func searchMarketplace(_ marketplace: MarketplaceService, attributes: QueryAttributes, record: SearchRecord,
                           onBatch: ([MarketplaceListing]) async throws -> Void, onBudgetSpent: () -> Void) async -> String? {
        let query = MarketplaceQuery(category: record.category, keywords: Self.keywords(attributes, category: record.category),
                                     maxPrice: record.maxPriceAmount, currency: record.currency)
        // One stream of the source's events and a nil when the budget is spent; cancelling the
        // pump ends the iteration of the source's stream, which stops its fetching.
        let (events, feed) = AsyncStream<MarketplaceEvent?>.makeStream()
        let source = marketplace.search(query)
        let pump = Task { for await event in source { feed.yield(event) }; feed.finish() }
        // The budget counts from the upload, not from when the image work ended: under load the
        // queue before analysis eats into it instead of adding to it.
        let budget = max(0.25, options.marketplaceBudget - Date().timeIntervalSince(record.createdAt))
        let late = options.lateSourcingWindow
        let timer = Task {
            try? await Task.sleep(for: .seconds(budget))
            if !Task.isCancelled { feed.yield(nil) }
            try? await Task.sleep(for: .seconds(late))
            if !Task.isCancelled { feed.yield(nil) }
        }
        defer { pump.cancel(); timer.cancel() }
        var overtime = false
        for await event in events {
            switch event {
            case let .listings(batch)?:
                do { try await onBatch(batch) } catch { return overtime ? nil : "Some sourced designs could not be shown." }
            case .paused?, .failed?:
                return overtime ? nil
                    : "Our sourcing partners are not reachable right now; these results come from our inventory and earlier sourcing."
            case .finished?:
                return nil
            case nil:
                if overtime { return nil }
                overtime = true
                onBudgetSpent()
            }
        }
        return nil
    }

    /// Whether `task` ends before `deadline`; the task itself runs on either way.
    static func finished(_ task: Task<Void, Never>, before deadline: Date) async -> Bool {
        let wait = deadline.timeIntervalSinceNow
        guard wait > 0 else { return false }
        let first = FirstAnswer()
        return await withCheckedContinuation { continuation in
            first.set(continuation)
            Task { await task.value; first.answer(true) }
            Task { try? await Task.sleep(for: .seconds(wait)); first.answer(false) }
        }
    }

    static let stillSourcing = "Sourcing is still running: designs found in the next minute appear here."
    static let arrivedLater = "arrived after the search finished."


    /// "yellow gold vintage floral ruby ring": the words a marketplace search understands.
    static func keywords(_ a: QueryAttributes, category: Category) -> [String] {
        var words: [String] = []
        switch a.value("metal") {
        case "yellow"?: words.append("gold")
        case "rose"?: words.append("rose gold")
        case "white"?: words.append("silver")
        case "two-tone"?: words.append("two tone")
        default: break
        }
        for key in ["style", "craftsmanship", "pattern"] {
            if let v = a.value(key), v != "none", v != "plain" { words.append(v) }
        }
        if a.value("stones") == "pearl" { words.append("pearl") }
        if a.value("stones") == "coloured", let colour = a.values["stones"]?.colours?.first { words.append(colour) }
        words.append(category.rawValue)
        return words
    }
}

/// The buyer's decoded photo, taken once by the analysis.
final class PhotoHandoff: Sendable {
    private let image: Mutex<RGBAImage?>
    init(_ image: RGBAImage) { self.image = Mutex(image) }
    func take() -> RGBAImage? { image.withLock { i in defer { i = nil }; return i } }
}

/// What a search keeps of its photo's analysis after the pixels are gone.
struct QueryPhoto: Sendable {
    let embedding: [Float]
    let keypoints: KeypointSet
    let attributes: ExtractedAttributes
    init(_ a: ImageAnalysis) { (embedding, keypoints, attributes) = (a.embedding, a.keypoints, a.attributes) }
}

/// Resumes one continuation with whichever answer comes first.
final class FirstAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Bool, Never>?
    private var early: Bool?

    func set(_ c: CheckedContinuation<Bool, Never>) {
        lock.lock()
        if let early { lock.unlock(); c.resume(returning: early); return }
        continuation = c
        lock.unlock()
    }

    func answer(_ value: Bool) {
        lock.lock()
        if let c = continuation {
            continuation = nil
            early = value
            lock.unlock()
            c.resume(returning: value)
        } else {
            if early == nil { early = value }
            lock.unlock()
        }
    }
}

/// The last value of each stored search field and its JSON, so an unchanged field is not encoded again.
struct EncodedFields {
    struct Field<T: Encodable & Equatable> { var value: T; var text: String }
    var attributes: Field<QueryAttributes?>?
    var exactMatch: Field<Offer?>?
    var alternatives: Field<[Offer]>?
    var notes: Field<[String]>?
    var ranked: Field<[Offer]>?

    mutating func text<T: Encodable & Equatable>(_ value: T, _ field: WritableKeyPath<EncodedFields, Field<T>?>) -> String {
        if let known = self[keyPath: field], known.value == value { return known.text }
        let text = JSONCoding.text(value)
        self[keyPath: field] = Field(value: value, text: text)
        return text
    }
}
