import FacetCore
import FacetStore
import Foundation
import Synchronization

/// A brand's product photos, downloaded once each (by URL, then by content) into the image store.
final class BrandPhotos: Sendable {
    let brands: Brands
    /// Source URL → stored file, for photos already downloaded (saves a lookup per photo per sync).
    private let cache = Mutex<[String: String]>([:])

    init(brands: Brands) { self.brands = brands }

    /// Photos missing last time are asked for once more in a full run, once per URL.
    final class RetryOnce: Sendable {
        private let seen = Mutex<Set<String>>([])
        func first(_ url: String) -> Bool { seen.withLock { $0.insert(url).inserted } }
    }

    /// Downloads each photo once (by URL, then by content); returns the stored ones in order.
    func fetch(_ urls: [String], connector: BrandConnector, retryMissing: RetryOnce?) async -> [(sourceURL: String, fileName: String)]? {
        guard brands.options.downloadImages else { return nil }
        var stored: [(sourceURL: String, fileName: String)] = []
        for url in urls {
            if let name = cache.withLock({ $0[url] }) { stored.append((url, name)); continue }
            if let known = try? brands.imageSources.imageSource(url: url) {
                if let name = known.fileName { cache.withLock { $0[url] = name } }
                if let name = known.fileName { stored.append((url, name)); continue }
                guard let retryMissing, retryMissing.first(url) else { continue }
            } else {
                _ = retryMissing?.first(url) // fetched now: no second try in this run
            }
            do {
                let response = try await connector.image(url: url)
                guard response.isSuccess else {
                    if response.status == 404 || response.status == 410 {
                        try? brands.imageSources.recordImageSource(url: url, fileName: nil, bytes: nil, status: response.status)
                    }
                    continue
                }
                let saved = try brands.images.store(response.body)
                try brands.imageSources.recordImageSource(url: url, fileName: saved.fileName, bytes: saved.bytes, status: response.status)
                cache.withLock { $0[url] = saved.fileName }
                stored.append((url, saved.fileName))
            } catch {
                try? brands.imageSources.recordImageSource(url: url, fileName: nil, bytes: nil, status: 415)
                brands.logger.warning("image not stored", metadata: ["url": "\(url)", "error": "\(error)"])
            }
        }
        return stored
    }
}
