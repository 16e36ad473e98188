import Foundation
import GRDB

/// The one SQLite file under the data folder, in WAL mode so that readers never wait
/// for the writer. Everything else in the store goes through this.
public final class FacetDatabase: Sendable {
    public let writer: DatabasePool
    public let path: String

    public init(dataDirectory: URL) throws {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        path = dataDirectory.appendingPathComponent("facet.sqlite").path
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        writer = try DatabasePool(path: path, configuration: config)
        try Migrations.migrator.migrate(writer)
    }

    /// Versions applied so far, oldest first; `facet migrate` prints them.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Migrations.migrator.appliedMigrations(db) }
    }
}
