import FacetCore
import FacetStore
import Foundation
import GRDB

/// The buyer's cart and wishlist: server-side state, live prices from the offer resolver, and
/// a `cart.changed` event committed with every change so the buyer's other tabs follow.
public final class Workspace: Sendable {
    let database: FacetDatabase
    let publisher: Publisher
    let offers: any OfferResolver

    public init(database: FacetDatabase, publisher: Publisher, offers: any OfferResolver) {
        self.database = database
        self.publisher = publisher
        self.offers = offers
    }

    // MARK: reading

    public func cart(buyerId: String) throws -> CartView {
        let lines = try WorkspaceStore(database: database).cart(buyerId: buyerId)
        let live = try offers.offers(ids: lines.map(\.offerId))
        let views = try lines.map { try Self.view($0, offer: live[$0.offerId]) }
        return CartView(lines: views, summary: try Self.summary(views))
    }

    public func wishlist(buyerId: String) throws -> [WishlistItemView] {
        let items = try WorkspaceStore(database: database).wishlist(buyerId: buyerId)
        let live = try offers.offers(ids: items.map(\.offerId))
        return try items.map { try Self.view($0, offer: live[$0.offerId]) }
    }

    // MARK: cart

    /// Adds an offer; the same offer again raises the line's quantity (never a second line).
    public func add(buyerId: String, offerId: String, quantity: Int, note: String?) throws -> (line: CartLineView, created: Bool) {
        try Self.check(quantity: quantity)
        let note = try Self.check(note: note)
        let offer = try liveOffer(offerId)
        let now = Date()
        var created = false
        let record = try publish(buyerId: buyerId, reason: "added") { db in
            if var existing = try WorkspaceStore.line(db, offerId: offerId, buyerId: buyerId) {
                existing.quantity = min(CartRules.maximumQuantity, existing.quantity + quantity)
                if let note { existing.note = note }
                existing.updatedAt = now
                try existing.update(db)
                return existing
            }
            created = true
            let line = CartLineRecord(id: Identifier.make("cl"), buyerId: buyerId, offerId: offerId, quantity: quantity, note: note,
                                      snapshot: try Self.json(OfferSnapshot(offer)), addedAt: now, updatedAt: now)
            try line.insert(db)
            return line
        }
        return (try Self.view(record, offer: offer), created)
    }

    public func update(buyerId: String, lineId: String, quantity: Int?, note: String??) throws -> CartLineView {
        if let quantity { try Self.check(quantity: quantity) }
        let cleaned: String?? = try note.map { try Self.check(note: $0) }
        let record = try publish(buyerId: buyerId, reason: "updated") { db in
            guard var line = try WorkspaceStore.line(db, id: lineId, buyerId: buyerId) else { throw Self.noLine(lineId) }
            if let quantity { line.quantity = quantity }
            if let cleaned { line.note = cleaned }
            line.updatedAt = Date()
            try line.update(db)
            return line
        }
        return try Self.view(record, offer: try offers.offers(ids: [record.offerId])[record.offerId])
    }

    public func remove(buyerId: String, lineId: String) throws {
        _ = try publish(buyerId: buyerId, reason: "removed") { db in
            guard let line = try WorkspaceStore.line(db, id: lineId, buyerId: buyerId) else { throw Self.noLine(lineId) }
            try line.delete(db)
        }
    }

    /// "Save for later": the line leaves the cart and its offer joins the wishlist, in one step.
    public func saveForLater(buyerId: String, lineId: String) throws -> WishlistItemView {
        let item = try publish(buyerId: buyerId, reason: "moved") { db -> WishlistItemRecord in
            guard let line = try WorkspaceStore.line(db, id: lineId, buyerId: buyerId) else { throw Self.noLine(lineId) }
            try line.delete(db)
            if let existing = try WorkspaceStore.item(db, offerId: line.offerId, buyerId: buyerId) { return existing }
            let item = WishlistItemRecord(id: Identifier.make("wi"), buyerId: buyerId, offerId: line.offerId, snapshot: line.snapshot,
                                          addedAt: Date())
            try item.insert(db)
            return item
        }
        return try Self.view(item, offer: try offers.offers(ids: [item.offerId])[item.offerId])
    }

    // MARK: wishlist

    public func addToWishlist(buyerId: String, offerId: String) throws -> (item: WishlistItemView, created: Bool) {
        let offer = try liveOffer(offerId)
        var created = false
        let item = try publish(buyerId: buyerId, reason: "added") { db -> WishlistItemRecord in
            if let existing = try WorkspaceStore.item(db, offerId: offerId, buyerId: buyerId) { return existing }
            created = true
            let item = WishlistItemRecord(id: Identifier.make("wi"), buyerId: buyerId, offerId: offerId,
                                          snapshot: try Self.json(OfferSnapshot(offer)), addedAt: Date())
            try item.insert(db)
            return item
        }
        return (try Self.view(item, offer: offer), created)
    }

    public func removeFromWishlist(buyerId: String, itemId: String) throws {
        _ = try publish(buyerId: buyerId, reason: "removed") { db in
            guard let item = try WorkspaceStore.item(db, id: itemId, buyerId: buyerId) else { throw Self.noItem(itemId) }
            try item.delete(db)
        }
    }

    /// "Move to cart": at the MOQ unless the buyer says how many; an offer already in the cart keeps its line.
    public func moveToCart(buyerId: String, itemId: String, quantity: Int?) throws -> CartLineView {
        if let quantity { try Self.check(quantity: quantity) }
        let item = try database.read { db in try WorkspaceStore.item(db, id: itemId, buyerId: buyerId) }
        guard let item else { throw Self.noItem(itemId) }
        let offer = try liveOffer(item.offerId)
        let amount = quantity ?? max(1, offer.moq)
        let now = Date()
        let line = try publish(buyerId: buyerId, reason: "moved") { db -> CartLineRecord in
            guard let item = try WorkspaceStore.item(db, id: itemId, buyerId: buyerId) else { throw Self.noItem(itemId) }
            try item.delete(db)
            if var existing = try WorkspaceStore.line(db, offerId: item.offerId, buyerId: buyerId) {
                existing.quantity = min(CartRules.maximumQuantity, existing.quantity + amount)
                existing.updatedAt = now
                try existing.update(db)
                return existing
            }
            let line = CartLineRecord(id: Identifier.make("cl"), buyerId: buyerId, offerId: item.offerId, quantity: amount, note: nil,
                                      snapshot: item.snapshot, addedAt: now, updatedAt: now)
            try line.insert(db)
            return line
        }
        return try Self.view(line, offer: offer)
    }

    /// "Order again": each design still offered goes into the cart at today's price, raising an
    /// existing line; gone designs are skipped. Returns how many lines were added or raised.
    public func addAgain(buyerId: String, lines: [(offerId: String, quantity: Int)]) throws -> Int {
        let live = try offers.offers(ids: lines.map(\.offerId))
        let now = Date()
        return try publish(buyerId: buyerId, reason: "added") { db -> Int in
            var added = 0
            for (offerId, quantity) in lines {
                guard let offer = live[offerId] else { continue }
                if var existing = try WorkspaceStore.line(db, offerId: offerId, buyerId: buyerId) {
                    existing.quantity = min(CartRules.maximumQuantity, existing.quantity + quantity)
                    existing.updatedAt = now
                    try existing.update(db)
                } else {
                    try CartLineRecord(id: Identifier.make("cl"), buyerId: buyerId, offerId: offerId, quantity: quantity, note: nil,
                                       snapshot: try Self.json(OfferSnapshot(offer)), addedAt: now, updatedAt: now).insert(db)
                }
                added += 1
            }
            return added
        }
    }

    /// Tells every open tab of each buyer whose cart or wishlist holds one of these offers that
    /// prices or availability moved (a markup, a brand price or stock changed).
    public func announcePriceChanges(offerIds: [String]?) throws {
        let buyers: [String] = try database.read { db in
            if let offerIds {
                guard !offerIds.isEmpty else { return [] }
                let marks = Array(repeating: "?", count: offerIds.count).joined(separator: ",")
                return try String.fetchAll(db, sql: """
                    SELECT buyerId FROM cartLine WHERE offerId IN (\(marks)) UNION SELECT buyerId FROM wishlistItem WHERE offerId IN (\(marks))
                    """, arguments: StatementArguments(offerIds + offerIds))
            }
            return try String.fetchAll(db, sql: "SELECT buyerId FROM cartLine UNION SELECT buyerId FROM wishlistItem")
        }
        for buyer in buyers { _ = try publish(buyerId: buyer, reason: "prices") { _ in } }
    }

    // MARK: helpers

    func liveOffer(_ offerId: String) throws -> Offer {
        if let offer = try offers.offers(ids: [offerId])[offerId] { return offer }
        if try offers.isKnown(offerId: offerId) {
            throw DomainError.conflict("offer_unavailable", "This design is no longer available.")
        }
        throw DomainError(.notFound, code: "not_found", "No offer \(offerId).", field: "offerId")
    }

    /// The `cart.changed` event for a change another module made to the cart in its own transaction.
    public func cartChanged(_ db: Database, buyerId: String, reason: String) throws -> PendingEvent {
        let counts = try WorkspaceStore.counts(db, buyerId: buyerId)
        return try PendingEvent(topic: Topic.buyer(buyerId).description, event: "cart.changed",
                                data: CartChanged(cart: .init(lines: counts.lines, quantity: counts.quantity),
                                                  wishlist: .init(items: counts.wishlist), reason: reason))
    }

    /// The change and its `cart.changed` event commit together.
    func publish<T>(buyerId: String, reason: String, _ change: @escaping (Database) throws -> T) throws -> T {
        var result: T?
        try publisher.transaction { db, events in
            result = try change(db)
            let counts = try WorkspaceStore.counts(db, buyerId: buyerId)
            events.append(try PendingEvent(topic: Topic.buyer(buyerId).description, event: "cart.changed",
                                           data: CartChanged(cart: .init(lines: counts.lines, quantity: counts.quantity),
                                                             wishlist: .init(items: counts.wishlist), reason: reason)))
        }
        guard let result else { throw DomainError(.unavailable, code: "internal", "The change was not stored.") }
        return result
    }

    static func check(quantity: Int) throws {
        guard (1...CartRules.maximumQuantity).contains(quantity) else {
            throw DomainError.invalid("quantity", "quantity must be a whole number from 1 to \(CartRules.maximumQuantity).")
        }
    }

    /// Trimmed; "" or nil clears it.
    static func check(note: String?) throws -> String? {
        guard let note else { return nil }
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        guard text.count <= CartRules.maximumNoteLength else {
            throw DomainError.invalid("note", "note must be at most \(CartRules.maximumNoteLength) characters.")
        }
        guard !text.unicodeScalars.contains(where: TextRules.isForbiddenInMultiline) else {
            throw DomainError.invalid("note", "note contains control characters.")
        }
        return text
    }

    static func noLine(_ id: String) -> DomainError { .notFound("No cart line \(id).") }
    static func noItem(_ id: String) -> DomainError { .notFound("No wishlist item \(id).") }

    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self) }

    static func snapshot(_ text: String) throws -> OfferSnapshot {
        try JSONCoding.stored.decode(OfferSnapshot.self, from: Data(text.utf8))
    }

    static func view(_ r: CartLineRecord, offer: Offer?) throws -> CartLineView {
        let snapshot = try snapshot(r.snapshot)
        let quote = try offer.map { try CartRules.quote($0, quantity: r.quantity) }
        return CartLineView(id: r.id, offerId: r.offerId, quantity: r.quantity, note: r.note, offer: offer, snapshot: snapshot,
                            available: offer != nil, unitPrice: quote?.unitPrice, lineTotal: quote?.lineTotal, lineRange: quote?.lineRange,
                            moq: offer?.moq ?? 1, moqUnit: offer?.moqUnit, belowMoq: quote?.belowMoq ?? false,
                            stock: .init(availability: offer?.availability ?? "unavailable", availableQuantity: offer?.availableQuantity,
                                         aboveStock: quote?.aboveStock ?? false),
                            changes: snapshot.changes(to: offer), addedAt: r.addedAt, updatedAt: r.updatedAt)
    }

    static func view(_ r: WishlistItemRecord, offer: Offer?) throws -> WishlistItemView {
        let snapshot = try snapshot(r.snapshot)
        return WishlistItemView(id: r.id, offerId: r.offerId, offer: offer, snapshot: snapshot, available: offer != nil,
                                changes: snapshot.changes(to: offer), addedAt: r.addedAt)
    }

    /// Totals over available lines, grouped by category and source kind in a stable order.
    static func summary(_ lines: [CartLineView]) throws -> CartSummary {
        let available = lines.filter(\.available)
        let all = try CartRules.totals(exact: available.compactMap(\.lineTotal), approximate: available.compactMap(\.lineRange))
        var groups: [CartSummary.Group] = []
        for category in Category.allCases {
            for source in [OfferSource.inventory, .marketplace] {
                let members = lines.filter { $0.snapshot.category == category && $0.snapshot.source == source }
                guard !members.isEmpty else { continue }
                let live = members.filter(\.available)
                let t = try CartRules.totals(exact: live.compactMap(\.lineTotal), approximate: live.compactMap(\.lineRange))
                groups.append(.init(category: category, source: source, lineIds: members.map(\.id), exactTotal: t.exact,
                                    approximateTotal: t.approximate))
            }
        }
        return CartSummary(designs: Set(lines.map(\.offerId)).count, lines: lines.count, quantity: lines.reduce(0) { $0 + $1.quantity },
                           exactTotal: all.exact, approximateTotal: all.approximate, groups: groups)
    }
}
