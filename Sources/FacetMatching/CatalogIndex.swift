import FacetCore
import Foundation

/// One indexed photo's neighbour in a search: which item it belongs to and how far it is.
public struct Neighbour: Sendable {
    public let item: IndexedItem
    public let fileName: String
    public let distance: Float
    /// The photo's embedding as the index holds it (dequantised), for comparing results with each other.
    public let vector: [Float]
}

/// What the index knows of an item (a catalog product or a marketplace listing): its
/// reference (`inv:<sku>` or `mk:<listing id>`), source, and comparable labels.
public struct IndexedItem: Sendable, Equatable {
    public let ref: String
    public let source: OfferSource
    public let labels: [String: String]

    public init(ref: String, source: OfferSource, labels: [String: String]) {
        self.ref = ref
        self.source = source
        self.labels = labels
    }
}

/// The per-category in-memory index over every active catalog photo and every known
/// marketplace photo. The buyer's category picks the partition; nothing crosses it.
public final class CatalogIndex: Sendable {
    public let dimension: Int
    let stride: Int
    private let lock = ReadWriteLock()
    private nonisolated(unsafe) var partitions: [Category: Partition] = [:]
    private nonisolated(unsafe) var homes: [String: Category] = [:]

    final class Partition {
        var codes: [Int8] = []
        var scales: [Float] = []
        var files: [String] = []
        var items: [IndexedItem] = []
        var slots: [String: [Int]] = [:]
    }

    public init(dimension: Int) {
        self.dimension = dimension
        self.stride = QuantizedVector.stride(for: dimension)
    }

    /// Puts an item's photos in its category, replacing whatever it had (in any category).
    public func upsert(_ item: IndexedItem, category: Category, images: [(fileName: String, embedding: [Float])]) {
        lock.writing {
            removeLocked(item.ref)
            guard !images.isEmpty else { return }
            let p = partitions[category] ?? Partition()
            partitions[category] = p
            for image in images where image.embedding.count == dimension {
                p.slots[item.ref, default: []].append(p.items.count)
                p.scales.append(QuantizedVector.append(image.embedding, stride: stride, to: &p.codes))
                p.files.append(image.fileName)
                p.items.append(item)
            }
            homes[item.ref] = category
        }
    }

    public func remove(_ ref: String) { lock.writing { removeLocked(ref) } }

    public func contains(_ ref: String) -> Bool { lock.reading { homes[ref] != nil } }

    /// Swap-remove: the last photo moves into the freed slot, so removal is O(photos of the item).
    private func removeLocked(_ ref: String) {
        guard let category = homes.removeValue(forKey: ref), let p = partitions[category],
              let slots = p.slots.removeValue(forKey: ref) else { return }
        for slot in slots.sorted(by: >) {
            let last = p.items.count - 1
            if slot != last {
                let moved = p.items[last]
                p.items[slot] = moved
                p.files[slot] = p.files[last]
                p.scales[slot] = p.scales[last]
                for k in 0..<stride { p.codes[slot * stride + k] = p.codes[last * stride + k] }
                if let i = p.slots[moved.ref]?.firstIndex(of: last) { p.slots[moved.ref]![i] = slot }
            }
            p.items.removeLast(); p.files.removeLast(); p.scales.removeLast()
            p.codes.removeLast(stride)
        }
    }

    /// The `k` nearest photos in `category`, closest first; `source` narrows to one source.
    public func nearest(_ query: [Float], category: Category, k: Int, source: OfferSource? = nil) -> [Neighbour] {
        guard query.count == dimension, k > 0 else { return [] }
        var q: [Int8] = []
        q.reserveCapacity(stride)
        let qScale = QuantizedVector.append(query, stride: stride, to: &q)
        return lock.reading {
            guard let p = partitions[category], !p.items.isEmpty else { return [] }
            var best = TopK(k)
            let stride = self.stride
            q.withUnsafeBufferPointer { qp in
                p.codes.withUnsafeBufferPointer { cp in
                    for i in 0..<p.items.count {
                        if let source, p.items[i].source != source { continue }
                        let dot = QuantizedVector.dot(qp.baseAddress!, cp.baseAddress! + i * stride, count: stride)
                        let d = QuantizedVector.distance(cosine: Float(dot) * qScale * p.scales[i])
                        best.offer(d, i)
                    }
                }
            }
            return best.sorted().map { d, i in
                let scale = p.scales[i]
                let vector = (0..<dimension).map { Float(p.codes[i * stride + $0]) * scale }
                return Neighbour(item: p.items[i], fileName: p.files[i], distance: d, vector: vector)
            }
        }
    }

    public struct Stats: Sendable, Equatable {
        public var images: Int
        public var items: Int
        public var perCategory: [Category: Int]
        /// Bytes held per photo: codes, scale, slot bookkeeping (not the shared file-name strings).
        public var bytesPerImage: Int
    }

    /// Items from one source (our stock, or marketplace listings).
    public func count(source: OfferSource) -> Int {
        lock.reading { partitions.values.reduce(0) { total, p in total + Set(p.items.lazy.filter { $0.source == source }.map(\.ref)).count } }
    }

    public var stats: Stats {
        lock.reading {
            var per: [Category: Int] = [:]
            for (c, p) in partitions { per[c] = p.items.count }
            return Stats(images: per.values.reduce(0, +), items: homes.count, perCategory: per,
                         bytesPerImage: stride + MemoryLayout<Float>.size + MemoryLayout<IndexedItem>.stride
                            + MemoryLayout<String>.stride + MemoryLayout<Int>.stride)
        }
    }
}

/// A bounded max-heap by distance keeping the `k` smallest.
struct TopK {
    let k: Int
    private var heap: [(Float, Int)] = []
    init(_ k: Int) { self.k = k; heap.reserveCapacity(k) }

    mutating func offer(_ d: Float, _ i: Int) {
        if heap.count < k {
            heap.append((d, i)); siftUp(heap.count - 1)
        } else if d < heap[0].0 {
            heap[0] = (d, i); siftDown(0)
        }
    }

    func sorted() -> [(Float, Int)] { heap.sorted { $0.0 < $1.0 } }

    private mutating func siftUp(_ i: Int) {
        var c = i
        while c > 0 { let parent = (c - 1) / 2; if heap[parent].0 >= heap[c].0 { break }; heap.swapAt(parent, c); c = parent }
    }

    private mutating func siftDown(_ i: Int) {
        var p = i
        while true {
            let l = 2 * p + 1, r = l + 1
            var m = p
            if l < heap.count, heap[l].0 > heap[m].0 { m = l }
            if r < heap.count, heap[r].0 > heap[m].0 { m = r }
            if m == p { return }
            heap.swapAt(p, m); p = m
        }
    }
}
