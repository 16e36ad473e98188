import COpenCVDNN
import Foundation

/// A linear map from an embedder's vectors to a smaller space where photos of one design lie
/// closer than photos of different designs ("learned whitening"): principal components, then
/// the directions that vary least between views of one product are stretched and the rest
/// shrunk, then the components that best separate products are kept. Fitted on the catalog's
/// own multi-view products (`facet model fit-projection`), never on what it is evaluated on.
public struct Projection: Sendable, Equatable {
    public let inputDimension: Int
    public let outputDimension: Int
    /// Subtracted before projecting.
    public let mean: [Float]
    /// `outputDimension` rows of `inputDimension`, row-major.
    public let matrix: [Float]

    /// Names the fitted numbers, so vectors of two fits are never mixed in one index. Worked out
    /// once: every analysed photo is stored under it, and hashing the 170,000 numbers each time was
    /// 2 % of indexing.
    public let identifier: String

    public init(mean: [Float], matrix: [Float], outputDimension: Int) {
        precondition(matrix.count == mean.count * outputDimension)
        self.inputDimension = mean.count
        self.outputDimension = outputDimension
        self.mean = mean
        self.matrix = matrix
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for f in mean + matrix {
            var bits = f.bitPattern
            for _ in 0..<4 { h = (h ^ UInt64(bits & 0xff)) &* 0x100_0000_01b3; bits >>= 8 }
        }
        self.identifier = "lw\(outputDimension)-" + String(h >> 32, radix: 16)
    }

    /// The projected, L2-normalised vector.
    public func apply(_ v: [Float]) -> [Float] {
        guard v.count == inputDimension else { return [Float](repeating: 0, count: outputDimension) }
        var centred = v
        for i in 0..<inputDimension { centred[i] -= mean[i] }
        var out = [Float](repeating: 0, count: outputDimension)
        matrix.withUnsafeBufferPointer { m in
            centred.withUnsafeBufferPointer { c in
                for r in 0..<outputDimension {
                    var s: Float = 0
                    let row = r * inputDimension
                    for i in 0..<inputDimension { s += m[row + i] * c[i] }
                    out[r] = s
                }
            }
        }
        return Embedding.normalised(out)
    }
}

extension Projection {
    public struct FitError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Fits the map on `vectors`, grouped by product (`groups`, one per vector): only groups with
    /// two or more vectors say what "another photo of the same design" looks like.
    /// `principal` components are kept first (the catalog has fewer products than dimensions, so
    /// the within-product scatter is estimated there), `regularisation` (a share of the mean
    /// within-product variance) keeps rare directions from being stretched without limit.
    public static func fit(vectors: [[Float]], groups: [String], principal: Int = 256, output: Int = 128,
                           regularisation: Double = 0.1) throws -> Projection {
        guard let n = vectors.first?.count, vectors.count == groups.count, vectors.count > principal,
              principal <= n, output <= principal, vectors.allSatisfy({ $0.count == n }) else {
            throw FitError(description: "need more vectors than \(principal), all of one length, one group each")
        }
        let count = vectors.count
        var mean = [Double](repeating: 0, count: n)
        for v in vectors { for i in 0..<n { mean[i] += Double(v[i]) } }
        for i in 0..<n { mean[i] /= Double(count) }
        let centred: [[Double]] = vectors.map { v in (0..<n).map { Double(v[$0]) - mean[$0] } }

        // Principal components of the catalog.
        let components = try topEigenvectors(covariance(centred, dimension: n), n: n, keep: principal)
        let reduced = centred.map { multiply(components, rows: principal, columns: n, by: $0) }

        // Within-product scatter, and its inverse square root.
        var deviations: [[Double]] = []
        for members in membersInOrder(groups) where members.count >= 2 {
            var centre = [Double](repeating: 0, count: principal)
            for m in members { for i in 0..<principal { centre[i] += reduced[m][i] } }
            for i in 0..<principal { centre[i] /= Double(members.count) }
            for m in members { deviations.append((0..<principal).map { reduced[m][$0] - centre[$0] }) }
        }
        guard deviations.count > principal / 4 else {
            throw FitError(description: "only \(deviations.count) photos belong to products with two or more photos")
        }
        var within = covariance(deviations, dimension: principal)
        let trace = (0..<principal).reduce(0.0) { $0 + within[$1 * principal + $1] }
        for i in 0..<principal { within[i * principal + i] += regularisation * trace / Double(principal) }
        let (values, vectorsW) = try eigen(within, n: principal)
        var whitening = [Double](repeating: 0, count: principal * principal)
        for k in 0..<principal {
            let s = 1 / max(values[k], 1e-12).squareRoot()
            for i in 0..<principal {
                let a = vectorsW[k * principal + i] * s
                for j in 0..<principal { whitening[i * principal + j] += a * vectorsW[k * principal + j] }
            }
        }
        // Whitened catalog, then its principal directions: what separates products.
        let whitened = reduced.map { multiply(whitening, rows: principal, columns: principal, by: $0) }
        var centre = [Double](repeating: 0, count: principal)
        for w in whitened { for i in 0..<principal { centre[i] += w[i] / Double(count) } }
        let spread = whitened.map { w in (0..<principal).map { w[$0] - centre[$0] } }
        let rotation = try topEigenvectors(covariance(spread, dimension: principal), n: principal, keep: output)

        // One matrix: rotation × whitening × components.
        let rw = product(rotation, whitening, rows: output, inner: principal, columns: principal)
        let full = product(rw, components, rows: output, inner: principal, columns: n)
        return Projection(mean: mean.map(Float.init), matrix: full.map(Float.init), outputDimension: output)
    }

    /// Each group's indices, groups in the order they first appear. Not a dictionary's order: it
    /// changes from one run to the next, and through the order of the sums it changed the fitted
    /// bytes, and so the identifier, every time the same photos were fitted again.
    static func membersInOrder(_ groups: [String]) -> [[Int]] {
        var slot: [String: Int] = [:], members: [[Int]] = []
        for (i, g) in groups.enumerated() {
            if let s = slot[g] { members[s].append(i) } else { slot[g] = members.count; members.append([i]) }
        }
        return members
    }

    static func covariance(_ rows: [[Double]], dimension n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: n * n)
        c.withUnsafeMutableBufferPointer { c in
            for r in rows {
                r.withUnsafeBufferPointer { r in
                    for i in 0..<n {
                        let a = r[i]
                        if a == 0 { continue }
                        let row = i * n
                        for j in i..<n { c[row + j] += a * r[j] }
                    }
                }
            }
            let scale = 1 / Double(max(1, rows.count))
            for i in 0..<n {
                for j in i..<n {
                    c[i * n + j] *= scale
                    c[j * n + i] = c[i * n + j]
                }
            }
        }
        return c
    }

    static func eigen(_ m: [Double], n: Int) throws -> (values: [Double], vectors: [Double]) {
        var values = [Double](repeating: 0, count: n)
        var vectors = [Double](repeating: 0, count: n * n)
        let rc = m.withUnsafeBufferPointer { a in
            values.withUnsafeMutableBufferPointer { w in
                vectors.withUnsafeMutableBufferPointer { v in facet_symmetric_eigen(a.baseAddress, Int32(n), w.baseAddress, v.baseAddress) }
            }
        }
        guard rc == 0 else { throw FitError(description: "eigendecomposition of a \(n) × \(n) matrix failed") }
        return (values, vectors)
    }

    /// The `keep` eigenvectors with the largest eigenvalues, as rows; each with its largest
    /// component positive, so the same data always gives the same signs.
    static func topEigenvectors(_ m: [Double], n: Int, keep: Int) throws -> [Double] {
        let (_, vectors) = try eigen(m, n: n)
        var out = Array(vectors[0..<(keep * n)])
        for k in 0..<keep {
            let row = (k * n)..<((k + 1) * n)
            let largest = row.max { abs(out[$0]) < abs(out[$1]) }!
            if out[largest] < 0 { for i in row { out[i] = -out[i] } }
        }
        return out
    }

    static func multiply(_ m: [Double], rows: Int, columns: Int, by v: [Double]) -> [Double] {
        (0..<rows).map { r in
            var s = 0.0
            for c in 0..<columns { s += m[r * columns + c] * v[c] }
            return s
        }
    }

    static func product(_ a: [Double], _ b: [Double], rows: Int, inner: Int, columns: Int) -> [Double] {
        var out = [Double](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for k in 0..<inner {
                let x = a[r * inner + k]
                if x == 0 { continue }
                for c in 0..<columns { out[r * columns + c] += x * b[k * columns + c] }
            }
        }
        return out
    }
}

extension Projection {
    static let magic = Array("FACETPRJ1".utf8)

    /// Magic, input and output dimensions (UInt32, little-endian), then the mean and the matrix
    /// as little-endian Float32.
    public func serialised() -> [UInt8] {
        var out = Self.magic
        for d in [UInt32(inputDimension), UInt32(outputDimension)] { withUnsafeBytes(of: d.littleEndian) { out += $0 } }
        for f in mean + matrix { withUnsafeBytes(of: f.bitPattern.littleEndian) { out += $0 } }
        return out
    }

    public init(serialised bytes: [UInt8]) throws {
        let m = Self.magic.count
        guard bytes.count >= m + 8, Array(bytes[0..<m]) == Self.magic else { throw FitError(description: "not a Facet projection file") }
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        let n = u32(m), d = u32(m + 4)
        guard n > 0, d > 0, d <= n, bytes.count == m + 8 + 4 * (n + n * d) else { throw FitError(description: "a projection file of the wrong size") }
        var floats = [Float](repeating: 0, count: n + n * d)
        for i in floats.indices {
            let at = m + 8 + 4 * i
            floats[i] = Float(bitPattern: UInt32(u32(at) & 0xffff_ffff))
        }
        self.init(mean: Array(floats[0..<n]), matrix: Array(floats[n...]), outputDimension: d)
    }
}

/// An embedder's vectors through a fitted `Projection`: 128 numbers per photo instead of 1316,
/// and a space where a second photo of a design is nearer than the category's other designs.
public struct ProjectedEmbedder: ProjectingEmbedder {
    public let base: any Embedder
    public let projection: Projection

    public init(base: any Embedder, projection: Projection) throws {
        guard projection.inputDimension == base.dimension else {
            throw Projection.FitError(description: "the projection takes \(projection.inputDimension) numbers, the embedder gives \(base.dimension)")
        }
        self.base = base
        self.projection = projection
    }

    public var identifier: String { base.identifier + "+" + projection.identifier }
    public func project(_ raw: [Float]) -> [Float] { projection.apply(raw) }
    public var dimension: Int { projection.outputDimension }
    public func embed(_ piece: NormalizedPiece) -> [Float] { projection.apply(base.embed(piece)) }
    public func embed(image: RGBAImage, piece: NormalizedPiece) -> [Float] { projection.apply(base.embed(image: image, piece: piece)) }
    public var calibration: SimilarityCalibration { Self.calibration }

    /// Set from the demo catalog itself (`facet eval` part 2, cross-fitted; never the evaluation
    /// photos or listings). Distances: the 40 nearest other products of a category from 0.375
    /// (p5, median 0.79), another view of the same product median 0.64. Renders of one template
    /// share keypoints, so the band is as wide as keeps "another product taken as exact" at or below
    /// 1 % when each brand photo is searched against the other brands' products: 0.16 for the
    /// band and the keypoint support, 0.25 for many inliers (at 0.20 / 0.29 it was 2 %). The
    /// falloff puts the median other design near 55 %. Searched that way, the most keypoint inliers
    /// any other product got was 63 (p99 42): 64 or more confirm at any distance.
    public static let calibration = SimilarityCalibration(d95: 0.16, falloff: 1.15, supportDistance: 0.16, confirmDistance: 0.25,
                                                          certainInliers: 64)
}
