import FacetCore

/// Where the workspace gets live offers: today's price, stock and availability for an offer id.
/// The search module answers it; the workspace never builds an offer itself.
public protocol OfferResolver: Sendable {
    /// Live offers for these ids; an id whose product or listing is gone is absent.
    func offers(ids: [String]) throws -> [String: Offer]
    /// Whether Facet ever issued this offer id (a gone product's id still was).
    func isKnown(offerId: String) throws -> Bool
    /// Staff only: the brand and SKU, or the marketplace listing and supplier, behind each offer id.
    func origins(ids: [String]) throws -> [String: OfferOrigin]
}
