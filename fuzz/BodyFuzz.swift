// libFuzzer entry for what a client's request body goes through before a handler sees it:
// the multipart parser (search uploads), the JSON decoder with the API's dialect, and the
// money parser (maxPrice, markups). Built by scripts/fuzz-bodies.sh with FacetCore's sources
// and Multipart.swift as one module (-sanitize=fuzzer,address).
import Foundation

private struct Body: Decodable {
    let email: String?
    let password: String?
    let preferredCategories: [String]?
    let maxPrice: Int64?
    let percent: Double?
    let profile: [String: String]?
    let items: [[String: String]]?
}

@_cdecl("LLVMFuzzerTestOneInput")
public func facetFuzzBodies(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let head = String(decoding: bytes.prefix(200), as: UTF8.self)
    if let boundary = MultipartForm.boundary(contentType: head), let form = MultipartForm.parse(bytes, boundary: boundary) {
        for part in form.parts { precondition(part.data.count <= bytes.count) }
    }
    if let form = MultipartForm.parse(bytes, boundary: "FacetFuzzBoundary") {
        for part in form.parts { precondition(part.data.count <= bytes.count) }
        if let price = form.text("maxPrice") { _ = Money.parseMinorUnits(price, currency: "USD") }
        _ = form.text("category").flatMap { Category(rawValue: $0) }
    }
    _ = try? JSONCoding.decode(Body.self, from: bytes)
    if let amount = Money.parseMinorUnits(String(decoding: bytes.prefix(64), as: UTF8.self), currency: "USD") {
        precondition(amount >= 0 || bytes.first == UInt8(ascii: "-"))
    }
    return 0
}
