import FacetSourcing
import Foundation

/// Result pages in the two shapes a marketplace serves: the script data blob and the
/// server-rendered offer cards (and, for the fault switch, cards under other class names).
enum MarketPages {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func head(_ title: String) -> String {
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(escape(title)) - wholesale search</title></head>\n<body>\n"
    }

    static func json(_ offers: ArraySlice<MarketOffer>, page: Int, pageSize: Int, total: Int, query: String, malformed: Int) -> String {
        let list: [JSONValue] = offers.enumerated().map { i, o in
            var item: [String: JSONValue] = [
                "offerId": .string(o.id), "title": .string(o.title), "productUrl": .string(o.url),
                "mainImage": .string(o.images.first ?? ""), "images": .array(o.images.map(JSONValue.string)),
                "price": .object(["priceText": .string(o.displayPrice)]), "moq": .object(["moqText": .string(o.displayMOQ)]),
                "leadTime": .string(o.leadTimeText),
                "company": .object(["name": .string(o.supplierName), "yearsOnPlatform": .string("\(o.yearsOnPlatform) yrs"),
                                    "rating": .string(String(format: "%.1f", o.rating)), "responseRate": .string(o.responseRate)]),
            ]
            if i < malformed { item["price"] = .object(["priceText": .string("Contact supplier")]) }
            return .object(item)
        }
        let pages = max(1, (total + pageSize - 1) / pageSize)
        let blob = JSONValue.object([
            "pageInfo": .object(["page": .number(Double(page)), "pageSize": .number(Double(pageSize)),
                                 "totalResults": .number(Double(total)), "totalPages": .number(Double(pages))]),
            "offerResultData": .object(["offerList": .array(list)]),
        ])
        let script = String(decoding: blob.encoded(), as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
        return head(query) + "<div id=\"root\"></div>\n<script>\nwindow.__INITIAL_DATA__ = \(script);\n</script>\n</body></html>\n"
    }

    static func cards(_ offers: ArraySlice<MarketOffer>, page: Int, pageSize: Int, total: Int, query: String, malformed: Int,
                      changedMarkup: Bool) -> String {
        let prefix = changedMarkup ? "fy23-offer" : "search-card"
        var html = head(query) + "<div class=\"organic-list\">\n"
        if offers.isEmpty && !changedMarkup { html += "<div class=\"search-no-result\">No products found.</div>\n" }
        for (i, o) in offers.enumerated() {
            let broken = i < malformed
            html += """
                <div class="\(prefix)" data-offer-id="\(escape(o.id))">
                  <a class="\(prefix)-title" href="\(escape(o.url))"><h2>\(escape(o.title))</h2></a>
                  <img class="\(prefix)-image" src="\(escape(o.images.first ?? ""))" data-more="\(escape(o.images.dropFirst().joined(separator: " ")))" alt="">
                  <div class="\(prefix)-price">\(broken ? "Negotiable" : escape(o.displayPrice))</div>
                  <div class="\(prefix)-moq">\(escape(o.displayMOQ))</div>
                  <div class="\(prefix)-lead">\(escape(o.leadTimeText))</div>
                  <div class="\(prefix)-supplier"><a class="supplier-name" href="#">\(escape(o.supplierName))</a>
                    <span class="supplier-years">\(o.yearsOnPlatform) yrs</span>
                    <span class="supplier-rating">\(String(format: "%.1f", o.rating))/5.0</span>
                    <span class="supplier-response">\(escape(o.responseRate))</span></div>
                </div>

                """
        }
        let pages = max(1, (total + pageSize - 1) / pageSize)
        html += "</div>\n<div class=\"search-pagination\" data-page=\"\(page)\" data-total-pages=\"\(pages)\"></div>\n</body></html>\n"
        return html
    }

    static let captcha = """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Verification required</title></head>
        <body>
        <div id="nocaptcha" class="nc-container"></div>
        <p>We have detected unusual traffic from your network. Please slide to verify that you are not a robot.</p>
        <script>var punishUrl = "/_____tmd_____/punish?x5secdata=demo";</script>
        </body></html>

        """

    static func api(_ offers: ArraySlice<MarketOffer>, page: Int, pageSize: Int, total: Int) -> JSONValue {
        .object([
            "code": .string("0"), "request_id": .string(UUID().uuidString.lowercased()),
            "result": .object([
                "total_count": .number(Double(total)), "page_no": .number(Double(page)), "page_size": .number(Double(pageSize)),
                "products": .array(offers.map { o in
                    let moq = o.moqText.split(separator: " ", maxSplits: 1)
                    return .object([
                        "product_id": .string(o.id), "subject": .string(o.title), "detail_url": .string(o.url),
                        "main_image": .string(o.images.first ?? ""), "images": .array(o.images.map(JSONValue.string)),
                        "price": .object(["min": .string(AlibabaWebSourceFormat.decimal(o.minPrice)),
                                          "max": .string(AlibabaWebSourceFormat.decimal(o.maxPrice)), "currency": .string("USD")]),
                        "moq": .object(["quantity": .string(String(moq.first ?? "1")), "unit": .string(moq.count > 1 ? String(moq[1]) : "pieces")]),
                        "lead_time": .string(o.leadTimeText),
                        "supplier": .object(["company_name": .string(o.supplierName), "years": .number(Double(o.yearsOnPlatform)),
                                             "rating": .number(o.rating), "response_rate": .string(o.responseRate)]),
                    ])
                }),
            ]),
        ])
    }
}
