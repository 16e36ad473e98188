import FacetCommerce
import FacetCore
import FacetHTTP
import FacetStore
import Foundation

/// The buyer's cart and wishlist. Every line belongs to the signed-in buyer; another buyer's
/// line id is simply not found.
enum WorkspaceRoutes {
    static func register(_ routes: Routes) {
        let buyer = routes.verifiedBuyer
        buyer.get("/api/cart", cart)
        buyer.post("/api/cart/lines", addLine)
        buyer.patch("/api/cart/lines/:id", updateLine)
        buyer.delete("/api/cart/lines/:id", removeLine)
        buyer.post("/api/cart/lines/:id/save-for-later", saveForLater)
        buyer.get("/api/wishlist", wishlist)
        buyer.post("/api/wishlist/items", addItem)
        buyer.delete("/api/wishlist/items/:id", removeItem)
        buyer.post("/api/wishlist/items/:id/move-to-cart", moveToCart)
    }

    @Sendable static func cart(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        .json(try context.services.workspace.cart(buyerId: buyer.id))
    }

    struct LineInput: Decodable { let offerId: String; let quantity: Int; let note: String? }
    struct LineEnvelope: Encodable { let line: CartLineView }
    struct ItemEnvelope: Encodable { let item: WishlistItemView }

    @Sendable static func addLine(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(LineInput.self)
        let (line, created) = try context.services.workspace.add(buyerId: buyer.id, offerId: input.offerId, quantity: input.quantity,
                                                                 note: input.note)
        return .json(created ? 201 : 200, LineEnvelope(line: line))
    }

    /// `{"quantity"?, "note"?}`; a null or empty note clears it.
    struct LinePatch: Decodable {
        let quantity: Int?
        let note: String??
        enum CodingKeys: String, CodingKey { case quantity, note }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            quantity = try c.decodeIfPresent(Int.self, forKey: .quantity)
            note = c.contains(.note) ? .some(try c.decodeIfPresent(String.self, forKey: .note)) : .none
        }
    }

    @Sendable static func updateLine(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let patch = try context.body(LinePatch.self)
        guard patch.quantity != nil || patch.note != nil else { throw DomainError.invalid("quantity", "Send quantity and/or note.") }
        let line = try context.services.workspace.update(buyerId: buyer.id, lineId: context.parameter("id"), quantity: patch.quantity,
                                                         note: patch.note)
        return .json(LineEnvelope(line: line))
    }

    @Sendable static func removeLine(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        try context.services.workspace.remove(buyerId: buyer.id, lineId: context.parameter("id"))
        return .noContent()
    }

    @Sendable static func saveForLater(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        .json(ItemEnvelope(item: try context.services.workspace.saveForLater(buyerId: buyer.id, lineId: context.parameter("id"))))
    }

    @Sendable static func wishlist(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        .json(["items": try context.services.workspace.wishlist(buyerId: buyer.id)])
    }

    struct ItemInput: Decodable { let offerId: String }

    @Sendable static func addItem(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(ItemInput.self)
        let (item, created) = try context.services.workspace.addToWishlist(buyerId: buyer.id, offerId: input.offerId)
        return .json(created ? 201 : 200, ItemEnvelope(item: item))
    }

    @Sendable static func removeItem(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        try context.services.workspace.removeFromWishlist(buyerId: buyer.id, itemId: context.parameter("id"))
        return .noContent()
    }

    struct MoveInput: Decodable { let quantity: Int? }

    @Sendable static func moveToCart(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let input = context.request.body.isEmpty ? MoveInput(quantity: nil) : try context.body(MoveInput.self)
        let line = try context.services.workspace.moveToCart(buyerId: buyer.id, itemId: context.parameter("id"), quantity: input.quantity)
        return .json(LineEnvelope(line: line))
    }
}
