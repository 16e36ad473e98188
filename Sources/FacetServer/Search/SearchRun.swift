import FacetCore
import FacetMatching
import FacetSourcing
import FacetStore
import FacetVision
import Foundation

extension SearchService {
    /// The stages after `received`. Each publish stores the record and pushes the same state.
    func run(_ initial: SearchRecord, image: RGBAImage) async {
        var record = initial
        let maxPrice = record.maxPriceAmount
        func publish(_ stage: SearchStage, _ detail: String?) {
            record.stage = stage.rawValue
            var view = SearchView(record)
            view.detail = detail
            do {
                try publisher.transaction { db, events in
                    try SearchStore.update(db, record)
                    events.append(try Self.event(view))
                }
            } catch {
                logger.error("search state not stored", metadata: ["search": "\(record.id)", "error": "\(error)"])
            }
        }
        do {
            publish(.extractingAttributes, "Reading metal, stones and style from your photo")
            let (matcher, pipeline, category) = (matcher, pipeline, record.category)
            let (attributes, candidates) = try await pool.run { () -> (QueryAttributes, [Candidate]) in
                let analysis = pipeline.analyze(image)
                let neighbours = matcher.neighbours(analysis.embedding, category: category)
                return (AttributeComparison.resolve(analysis.attributes, neighbours: neighbours),
                        matcher.candidates(neighbours, queryKeypoints: analysis.keypoints))
            }
            record.attributes = JSONCoding.text(attributes)
            publish(.searchingInventory, "Looking for this design in our inventory")

            let markups = try markups.table()
            let builder = OfferBuilder(markups: markups)
            let skus = candidates.filter { $0.item.source == .inventory }.map { String($0.item.ref.dropFirst(4)) }
            let products = try features.products(skus: skus)
            func product(_ item: IndexedItem) -> (product: CatalogProduct, files: [String])? {
                guard item.source == .inventory, let p = products[String(item.ref.dropFirst(4))], p.product.status == .active else { return nil }
                return p
            }
            func withinBudget(_ item: IndexedItem) -> Bool {
                guard let p = product(item) else { return false }
                guard let maxPrice else { return true }
                return p.product.baseCost.currency == record.currency && markups.price(base: Money(amount: p.product.baseCost.amount,
                    currency: p.product.baseCost.currency), category: p.product.category).amount <= maxPrice
            }
            var notes: [String] = []
            let exactAny = matcher.exactMatch(candidates) { product($0) != nil }
            let exact = matcher.exactMatch(candidates, available: withinBudget)
            if exactAny != nil, exact == nil {
                notes.append("This exact design is in our inventory, but above your maximum price.")
            }
            publish(.checkingStock, exact == nil ? "No exact match in our inventory" : "Confirming price and stock")

            if let exact, let p = product(exact.item) {
                let live = try? await sourcing?.liveCheck(sku: p.product.sku)
                let offer = builder.inventory(id: try searches.offerId(source: "inventory", ref: exact.item.ref), product: p.product,
                                              files: p.files, similarity: exact.similarity,
                                              matches: AttributeComparison.matches(attributes, exact.item.labels), live: live)
                record.exactMatch = JSONCoding.text(offer)
                if live?.live == false { notes.append("Stock shown as of \(JSONCoding.iso8601(live!.asOf)); we could not confirm it just now.") }
            }
            publish(.searchingMarketplace, exact != nil ? "Skipped: we have this design" : "Marketplace sourcing is not configured")

            publish(.findingAlternatives, "Choosing alternatives")
            let picked = matcher.alternatives(candidates, exact: exact, eligible: withinBudget)
            var offers: [Offer] = []
            for c in picked {
                guard let p = product(c.item) else { continue }
                offers.append(builder.inventory(id: try searches.offerId(source: "inventory", ref: c.item.ref), product: p.product,
                                                files: p.files, similarity: c.similarity,
                                                matches: AttributeComparison.matches(attributes, c.item.labels), live: nil))
            }
            if offers.count < matcher.options.alternatives.lowerBound {
                notes.append(maxPrice == nil
                    ? "Only \(offers.count) alternatives are available in this category right now."
                    : "Only \(offers.count) alternatives fit your maximum price; raise it to see more.")
            }
            record.alternatives = JSONCoding.text(offers)
            record.notes = JSONCoding.text(notes)
            record.status = "done"
            record.completedAt = Date()
            publish(.done, nil)
        } catch {
            logger.error("search failed", metadata: ["search": "\(record.id)", "error": "\(error)"])
            record.status = "failed"
            record.error = error is ComputePool.Busy ? "Facet is very busy; please try again in a minute." : "The search could not be completed."
            record.completedAt = Date()
            publish(.done, nil)
        }
    }
}
