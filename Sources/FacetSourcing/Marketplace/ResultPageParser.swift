import FacetCore
import Foundation

/// Reads a marketplace search result page in either of its two shapes: the data blob the
/// page's script renders from (`window.__INITIAL_DATA__ = {…}`) or, without it, the
/// server-rendered offer cards. Which is present varies by page; the blob wins.
public enum ResultPageParser {
    public struct Parsed: Sendable, Equatable {
        public var offers: [RawOffer]
        /// Offers present on the page but missing an id, title, price or MOQ.
        public var malformed: Int
        public var hasMore: Bool
        public var variant: String
    }

    public static func parse(_ html: String) throws -> Parsed {
        if let reason = BlockDetector.reason(status: 200, body: html) { throw MarketplaceError.blocked(reason) }
        if let blob = embeddedJSON(html) { return try parseBlob(blob) }
        return try parseCards(Substring(html))
    }

    // MARK: embedded JSON

    static let blobMarkers = ["window.__INITIAL_DATA__", "window._offer_list"]

    static func embeddedJSON(_ html: String) -> Substring? {
        for marker in blobMarkers {
            guard let found = html.range(of: marker),
                  let equals = html[found.upperBound...].firstIndex(of: "="),
                  let end = html.range(of: "</script>", range: equals..<html.endIndex)?.lowerBound else { continue }
            var json = html[html.index(after: equals)..<end].trimmingCharacters(in: .whitespacesAndNewlines)
            if json.hasSuffix(";") { json.removeLast() }
            return Substring(json)
        }
        return nil
    }

    static func parseBlob(_ blob: Substring) throws -> Parsed {
        let root: JSONValue
        do { root = try JSONValue.parse(Array(blob.utf8)) } catch {
            throw MarketplaceError.layoutChanged("the page's data blob is not JSON")
        }
        guard let list = (root["offerResultData"]?["offerList"] ?? root["offerList"])?.array else {
            throw MarketplaceError.layoutChanged("no offer list in the page's data blob")
        }
        var offers: [RawOffer] = []
        var malformed = 0
        for item in list {
            let company = item["company"] ?? item["supplier"]
            let images = ([item["mainImage"]?.string] + (item["images"]?.array ?? []).map(\.string)).compactMap { $0 }
            guard let id = item["offerId"]?.string, let title = item["title"]?.string,
                  let price = item["price"]?["priceText"]?.string ?? item["priceText"]?.string,
                  let moq = item["moq"]?["moqText"]?.string ?? item["moqText"]?.string else { malformed += 1; continue }
            var seen = Set<String>()
            offers.append(RawOffer(offerId: id, title: title, priceText: price, moqText: moq, leadTimeText: item["leadTime"]?.string,
                                   supplierName: company?["name"]?.string ?? "", supplierYears: company?["yearsOnPlatform"]?.string,
                                   supplierRating: company?["rating"]?.string, supplierResponseRate: company?["responseRate"]?.string,
                                   url: item["productUrl"]?.string ?? "", imageURLs: images.filter { seen.insert($0).inserted }))
        }
        let info = root["pageInfo"]
        let page = info?["page"]?.string.flatMap { Int($0) } ?? 1
        let pages = info?["totalPages"]?.string.flatMap { Int($0) } ?? page
        return Parsed(offers: offers, malformed: malformed, hasMore: page < pages, variant: "json")
    }

    // MARK: cards

    static func parseCards(_ html: Substring) throws -> Parsed {
        let cards = HTMLScan.blocks(html, className: "search-card")
        if cards.isEmpty {
            if html.contains("class=\"search-no-result\"") { return Parsed(offers: [], malformed: 0, hasMore: false, variant: "html") }
            throw MarketplaceError.layoutChanged("neither a data blob nor offer cards")
        }
        var offers: [RawOffer] = []
        var malformed = 0
        for card in cards {
            let head = card.prefix { $0 != ">" }
            guard let id = HTMLScan.attribute(head, "data-offer-id"), !id.isEmpty,
                  let title = HTMLScan.text(card, className: "search-card-title"), !title.isEmpty,
                  let price = HTMLScan.text(card, className: "search-card-price"),
                  let moq = HTMLScan.text(card, className: "search-card-moq") else { malformed += 1; continue }
            let link = HTMLScan.tag(card, className: "search-card-title").flatMap { HTMLScan.attribute($0, "href") } ?? ""
            var images: [String] = []
            if let img = HTMLScan.tag(card, className: "search-card-image") {
                images += [HTMLScan.attribute(img, "src")].compactMap { $0 }
                images += (HTMLScan.attribute(img, "data-more") ?? "").split(separator: " ").map(String.init)
            }
            offers.append(RawOffer(offerId: id, title: title, priceText: price, moqText: moq,
                                   leadTimeText: HTMLScan.text(card, className: "search-card-lead"),
                                   supplierName: HTMLScan.text(card, className: "supplier-name") ?? "",
                                   supplierYears: HTMLScan.text(card, className: "supplier-years"),
                                   supplierRating: HTMLScan.text(card, className: "supplier-rating"),
                                   supplierResponseRate: HTMLScan.text(card, className: "supplier-response"),
                                   url: link, imageURLs: images))
        }
        var hasMore = false
        if let pager = HTMLScan.tag(html, className: "search-pagination"),
           let page = HTMLScan.attribute(pager, "data-page").flatMap({ Int($0) }),
           let total = HTMLScan.attribute(pager, "data-total-pages").flatMap({ Int($0) }) {
            hasMore = page < total
        }
        return Parsed(offers: offers, malformed: malformed, hasMore: hasMore, variant: "html")
    }
}

/// Captcha, slider and "unusual traffic" pages. Seeing one means the marketplace wants us
/// to stop; the source pauses and staff are told. Nothing tries to solve or avoid it.
public enum BlockDetector {
    static let markers = ["_____tmd_____", "/punish", "captcha", "slide to verify", "please slide", "unusual traffic",
                          "verify you are human", "access denied", "x5secdata"]

    public static func reason(status: Int, body: String, location: String? = nil) -> String? {
        if let location, markers.contains(where: { location.lowercased().contains($0) }) { return "redirected to a verification page" }
        if status == 403 { return "HTTP 403 (access denied)" }
        // Only the start of a page: a real result page may mention these words in an offer title.
        let head = body.prefix(4096).lowercased()
        if let found = markers.first(where: { head.contains($0) }) { return "verification page (\(found))" }
        return nil
    }
}
