import FacetHTTP
import FacetSearch
import Foundation
import GRDB

enum HealthRoutes {
    static let started = Date()

    static func register(_ routes: Routes) {
        routes.everyone.get("/api/health", health)
        // The transport upgrades /ws before routing; a plain GET lands here.
        routes.everyone.get("/ws") { _ in throw APIError(426, "upgrade_required", "Open /ws as a WebSocket.") }
    }

    @Sendable static func health(_ context: RequestContext) async throws -> HTTPResponse {
        _ = try context.services.database.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
        let sessions = context.services.webSockets.withLock { $0 }()
        return .json(Health(status: "ok", version: FacetVersion.current,
                            uptimeSeconds: Int(Date().timeIntervalSince(started)),
                            connections: .init(websocket: sessions),
                            memory: .init(rssBytes: ProcessMemory.residentBytes()),
                            catalog: context.services.search.indexer.readiness()))
    }

    struct Health: Encodable {
        struct Connections: Encodable { let websocket: Int }
        struct Memory: Encodable { let rssBytes: Int }
        let status: String
        let version: String
        let uptimeSeconds: Int
        let connections: Connections
        let memory: Memory
        /// Whether the catalog is searchable yet: products indexed of those with photos.
        let catalog: SearchIndexer.Readiness
    }
}

public enum FacetVersion {
    public static let current = "0.1.0"
}

public enum ProcessMemory {
    /// Resident set size from /proc, in bytes; 0 where /proc is unavailable.
    public static func residentBytes(pid: String = "self") -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb * 1024
    }
}
