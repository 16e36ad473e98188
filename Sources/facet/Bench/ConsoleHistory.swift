import FacetCommerce
import FacetCore
import FacetServer
import FacetStore
import Foundation

/// A business history for the operations console: products, buyers, searches spread over the
/// last 90 days, quote requests answered or not, orders at every status. Quotes and orders go
/// through the real services (the same rules and events as the API); searches are stored as a
/// finished search stores them, without running the vision pipeline 10,000 times.
struct ConsoleHistory {
    let services: Services
    var searches: Int
    var quotes: Int
    var orders: Int
    var buyers = 40
    var products = 300

    struct Figures { var searches = 0, quotes = 0, sent = 0, orders = 0, paid = 0, shipped = 0, delivered = 0 }

    func make(now: Date = Date()) async throws -> Figures {
        var figures = Figures()
        var random = SystemRandomNumberGenerator()
        let database = services.database
        let categories = Category.allCases
        let metals = ["gold", "silver", "rose gold", "platinum"]
        let styles = ["classic", "modern", "vintage", "minimalist", "statement"]
        let stones = ["diamond", "none", "pearl", "sapphire", "emerald"]

        let catalog = (0..<products).map { i in
            CatalogProduct(sku: "HIST-\(i)", brand: i % 2 == 0 ? "aurelia" : "northbridge", title: "\(metals[i % 4].capitalized) \(categories[i % categories.count].rawValue) \(i)",
                           category: categories[i % categories.count], attributes: ["metal": .text(metals[i % 4])], gemstones: [],
                           baseCost: .init(amount: Int64(2_000 + (i * 7_919) % 60_000), currency: "USD"), moq: 1 + i % 20, priceTiers: [],
                           stock: i % 9 == 0 ? 0 : 5 + i % 200, leadTimes: .init(readyDays: 3 + i % 5, madeToOrderDays: 15 + i % 30),
                           status: .active, imageURLs: [], sourceUpdatedAt: nil)
        }
        _ = try await database.writer.write { db in try CatalogStore.upsert(db, catalog.map { .init(product: $0, native: "{}", images: nil) }, at: now) }
        let store = SearchStore(database: database)
        let offerIds = try catalog.map { try store.offerId(source: "inventory", ref: "inv:\($0.sku)") }

        var buyerIds: [String] = []
        for i in 0..<buyers {
            let user = UserRecord(id: Identifier.make("u"), email: "history-buyer-\(i)-\(UUID().uuidString.prefix(6))@example.com".lowercased(),
                                  passwordHash: "!", role: .buyer, verifiedAt: now, companyName: "Retailer \(i)", businessLicense: "L-\(i)",
                                  contactName: "Buyer \(i)", phone: "+1 555 01\(i)", country: ["US", "DE", "FR", "GB", "AE"][i % 5],
                                  businessType: .retailer, typicalOrderVolume: .under1k, preferredCategories: [categories[i % 6]],
                                  createdAt: now.addingTimeInterval(-100 * 86_400), updatedAt: now)
            try await services.accounts.create(user)
            buyerIds.append(user.id)
        }
        let staff = UserRecord(id: Identifier.make("u"), email: "history-ops-\(UUID().uuidString.prefix(6))@example.com".lowercased(), passwordHash: "!",
                               role: .ops, verifiedAt: now, companyName: "Facet", businessLicense: "-", contactName: "History Ops", phone: "-",
                               country: "-", businessType: .other, typicalOrderVolume: .under1k, preferredCategories: [], createdAt: now, updatedAt: now)
        try await services.accounts.create(staff)

        // Searches, in batches of 500 per transaction.
        var remaining = searches
        while remaining > 0 {
            let batch = min(500, remaining)
            remaining -= batch
            var rows: [SearchRecord] = []
            for _ in 0..<batch {
                let at = now.addingTimeInterval(-Double.random(in: 0...(90 * 86_400), using: &random))
                let category = categories.randomElement(using: &random)!
                var r = SearchRecord(id: Identifier.make("s"), buyerId: buyerIds.randomElement(using: &random)!, category: category,
                                     maxPriceAmount: Bool.random(using: &random) ? Int64.random(in: 2_000...150_000, using: &random) : nil,
                                     currency: "USD", imageFile: "history.jpg", createdAt: at)
                r.status = "done"
                r.stage = "done"
                r.completedAt = at.addingTimeInterval(Double.random(in: 1.5...9, using: &random))
                r.attributes = #"{"values":{"metal":{"value":"\#(metals.randomElement(using: &random)!)","confidence":0.8,"method":"colour"},"style":{"value":"\#(styles.randomElement(using: &random)!)","confidence":0.6,"method":"neighbours"},"stones":{"value":"\#(stones.randomElement(using: &random)!)","confidence":0.7,"method":"colour"}}}"#
                let picks = (0..<6).map { _ in offerIds.randomElement(using: &random)! }
                let exact = Int.random(in: 0..<10, using: &random) == 0
                r.exactMatch = exact ? #"{"id":"\#(picks[0])","similarity":97}"# : nil
                r.alternatives = "[" + picks.dropFirst().map { #"{"id":"\#($0)","similarity":\#(Int.random(in: 40...94, using: &random))}"# }.joined(separator: ",") + "]"
                rows.append(r)
            }
            let stored = rows
            try await database.writer.write { db in for r in stored { try SearchStore.insert(db, r) } }
            figures.searches += batch
        }

        // Quote requests through the real desk: some left waiting, most answered, the ordered ones accepted.
        let quotesService = services.quotes
        let ordersService = services.orders
        let staffViewer = staff.viewer
        let ordered = min(orders, quotes)
        for i in 0..<quotes {
            let buyer = buyerIds[i % buyerIds.count]
            let viewer = Viewer(userId: buyer, role: .buyer, verified: true)
            let lines = (0..<(1 + i % 3)).map { k in SubmissionBody.Line(offerId: offerIds[(i * 3 + k) % offerIds.count], quantity: 5 + (i % 40)) }
            let submission = try JSONDecoder().decode(Quotes.Submission.self, from: JSONEncoder().encode(SubmissionBody(
                lines: lines, urgency: i % 5 == 0 ? "urgent" : "standard", country: "US")))
            let at = now.addingTimeInterval(-Double(quotes - i) * 3_600 * 2)
            let (quote, _) = try quotesService.submit(buyerId: buyer, submission, idempotencyKey: nil, now: at)
            figures.quotes += 1
            guard i < ordered || i % 4 != 0 else { continue }
            _ = try quotesService.send(id: quote.summary.id, revision: nil, by: staffViewer, now: at.addingTimeInterval(Double(1 + i % 30) * 3_600))
            figures.sent += 1
            guard i < ordered else {
                if i % 3 == 0 { _ = try quotesService.decline(id: quote.summary.id, reason: "Too expensive", by: viewer, now: at.addingTimeInterval(86_400 * 2)) }
                continue
            }
            let (order, _, _) = try quotesService.accept(id: quote.summary.id, version: 1, by: viewer, now: at.addingTimeInterval(86_400 * 2))
            figures.orders += 1
            guard i % 5 != 0 else { continue }
            _ = try ordersService.recordPayment(id: order.id, .init(amount: order.total, reference: "HIST-\(i)", receivedAt: JSONCoding.iso8601(at)),
                                                by: staffViewer, now: at.addingTimeInterval(86_400 * 3))
            figures.paid += 1
            guard i % 5 > 1 else { continue }
            _ = try ordersService.setStatus(id: order.id, .init(status: .shipped, carrier: "DHL", trackingNumber: "H\(i)", trackingUrl: nil, lines: nil, note: nil),
                                            by: staffViewer, now: at.addingTimeInterval(86_400 * 10))
            figures.shipped += 1
            guard i % 5 > 2 else { continue }
            _ = try ordersService.confirmReceipt(id: order.id, by: viewer, now: at.addingTimeInterval(86_400 * 14))
            figures.delivered += 1
        }
        return figures
    }

    struct SubmissionBody: Encodable {
        struct Line: Encodable { let offerId: String; let quantity: Int }
        let lines: [Line]
        let urgency: String
        let country: String
    }
}
