// libFuzzer entry for what outsiders send Facet's sourcing: a brand's JSON payload (a
// listing page item or a webhook body) read through each brand's mapping, the amounts and
// times inside it, and a marketplace result page (HTML, the embedded data blob, listing texts).
// Built by scripts/fuzz-sourcing.sh with FacetCore's sources and the parsing files of
// FacetSourcing as one module (-sanitize=fuzzer,address).
import Foundation

/// The demo brands' mappings, copied next to the fuzzer by the script.
private let mappings: [BrandMapping] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: ".")) ?? []
    return files.filter { $0.hasPrefix("mapping-") && $0.hasSuffix(".json") }.sorted()
        .compactMap { try? BrandMapping.load(URL(fileURLWithPath: $0)) }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func facetFuzzSourcing(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    precondition(!mappings.isEmpty, "no mapping-*.json beside the fuzzer")
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let json = try? JSONValue.parse(bytes) {
        for mapping in mappings {
            if let product = try? mapping.catalogProduct(from: json, baseURL: "https://brand.example") {
                precondition(product.stock >= 0 && product.moq >= 0 && !product.sku.isEmpty)
            }
        }
    }
    let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
    _ = DecimalAmount.minorUnits(String(text.prefix(40)))
    _ = Timestamps.parse(String(text.prefix(40)))
    _ = ListingText.price(String(text.prefix(120)))
    _ = ListingText.moq(String(text.prefix(120)))
    _ = ListingText.leadTime(String(text.prefix(120)))
    if let page = try? ResultPageParser.parse(String(decoding: bytes, as: UTF8.self)) {
        precondition(page.malformed >= 0)
        for offer in page.offers { precondition(!offer.offerId.isEmpty) }
    }
    return 0
}
