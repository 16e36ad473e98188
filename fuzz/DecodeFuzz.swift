// libFuzzer entry for the upload decode path: bounded decode of any bytes, then the
// normalisation the search runs on whatever decodes. Built by scripts/fuzz-decode.sh
// together with FacetVision's sources as one module (-sanitize=fuzzer,address).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func facetFuzzDecode(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Small limits keep each run fast; the limits themselves are under test too.
    let limits = DecodeLimits(maxBytes: 1 << 20, maxPixels: 4_000_000, targetLongSide: 256)
    if let header = try? ImageDecoder.header(bytes, limits: limits) {
        precondition(header.width > 0 && header.height > 0 && header.width * header.height <= limits.maxPixels)
    }
    if let image = try? ImageDecoder.decode(bytes, limits: limits) {
        precondition(image.pixels.count == image.width * image.height * 4)
        _ = Normaliser.normalise(image)
    }
    return 0
}
