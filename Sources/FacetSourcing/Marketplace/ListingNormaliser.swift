import Crypto
import FacetCore
import Foundation

public enum ListingNormaliser {
    /// Facet's id for an offer: stable across fetches, opaque, and not the marketplace's own.
    public static func listingId(source: String, offerId: String) -> String {
        "mk_" + SHA256.hash(data: Data("\(source):\(offerId)".utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// nil when a field Facet needs (id, title, price, MOQ) cannot be read.
    public static func normalise(_ raw: RawOffer, source: String, category: Category, baseURL: URL?, now: Date = Date()) -> MarketplaceListing? {
        let offerId = raw.offerId.trimmingCharacters(in: .whitespaces)
        let title = raw.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !offerId.isEmpty, offerId.count <= 64, !title.isEmpty, title.count <= 500,
              let price = ListingText.price(raw.priceText), let moq = ListingText.moq(raw.moqText) else { return nil }
        let supplier = Supplier(name: raw.supplierName.trimmingCharacters(in: .whitespacesAndNewlines),
                                yearsOnPlatform: raw.supplierYears.flatMap(ListingText.years),
                                rating: raw.supplierRating.flatMap(ListingText.rating),
                                responseRate: raw.supplierResponseRate.flatMap(ListingText.percent))
        return MarketplaceListing(
            id: listingId(source: source, offerId: offerId), source: source, offerId: offerId, title: title, category: category,
            price: price, moq: moq, leadTimeDays: raw.leadTimeText.flatMap(ListingText.leadTime), supplier: supplier,
            url: absolute(raw.url, base: baseURL) ?? raw.url, imageURLs: raw.imageURLs.compactMap { absolute($0, base: baseURL) },
            imageFiles: [], attributes: TitleAttributes.guess(title), fetchedAt: now)
    }

    /// Resolves page-relative and protocol-relative ("//cdn…") links; only http(s) survive.
    static func absolute(_ link: String, base: URL?) -> String? {
        let trimmed = link.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, let url = URL(string: trimmed, relativeTo: base)?.absoluteURL,
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return nil }
        return url.absoluteString
    }
}
