import FacetCore
import Foundation
import Synchronization

/// In-process fan-out of catalog changes: the search index (and anything else) calls
/// `subscribe()` and reads changes in the order they were committed.
public final class CatalogChangeStream: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<CatalogChange>.Continuation]>([:])

    public init() {}

    public func subscribe(buffer: Int = 100_000) -> AsyncStream<CatalogChange> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<CatalogChange>.makeStream(bufferingPolicy: .bufferingNewest(buffer))
        continuation.onTermination = { [weak self] _ in _ = self?.subscribers.withLock { $0.removeValue(forKey: id) } }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    public func send(_ changes: [CatalogChange]) {
        guard !changes.isEmpty else { return }
        let targets = subscribers.withLock { Array($0.values) }
        for continuation in targets { for change in changes { continuation.yield(change) } }
    }

    public var subscriberCount: Int { subscribers.withLock { $0.count } }
}
