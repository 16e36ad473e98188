import Foundation
import GRDB

/// The one SQLite file under the data folder, in WAL mode so that readers never wait
/// for the writer. Everything else in the store goes through this.
///
/// Reads use GRDB's synchronous API on purpose: an async read keeps its pooled reader
/// until its continuation runs, so with only as many cooperative threads as cores, a few
/// blocked synchronous reads could starve those continuations and deadlock the pool.
/// (Async writes are safe: they do not hold the writer across a suspension.)
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

    /// A synchronous read, callable from async code without picking GRDB's async overload.
    public func read<T>(_ block: (Database) throws -> T) throws -> T {
        try writer.read(block)
    }

    /// Versions applied so far, oldest first; `facet migrate` prints them.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Migrations.migrator.appliedMigrations(db) }
    }
}
