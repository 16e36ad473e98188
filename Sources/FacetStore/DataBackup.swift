import Foundation
import GRDB

/// A copy of a data folder that is safe to take while the server runs: SQLite's online
/// backup of `facet.sqlite` (one step under one read transaction, so the copy is one
/// consistent snapshot and, in WAL mode, writers are never blocked), then the image store.
/// Images are named by their content and written before any row names them, so copying
/// them after the snapshot covers every image the snapshot refers to.
public enum DataBackup {
    public struct Summary: Codable, Sendable, Equatable {
        public var createdAt: Date
        public var databaseBytes: Int
        public var tables: [String: Int]
        public var images: Int
        public var imageBytes: Int
        public var migrations: [String]
    }

    public enum Failure: Error, CustomStringConvertible {
        case noDatabase(String)
        case notABackup(String)
        case wouldOverwrite(String)
        public var description: String {
            switch self {
            case let .noDatabase(path): "no database at \(path)"
            case let .notABackup(path): "\(path) holds no Facet backup (facet.sqlite and manifest.json)"
            case let .wouldOverwrite(path): "\(path) already holds a database; restore into an empty folder or pass --force"
            }
        }
    }

    static let databaseName = "facet.sqlite"
    static let imagesName = "images"
    /// Files buyers and staff attached to quote threads and order issues.
    static let attachmentsName = "attachments"
    /// Written into the data folder after each backup, for the operations dashboard.
    public static let lastBackupName = "last-backup.json"
    static let manifestName = "manifest.json"

    /// Copies `data` into `destination` (created if needed, its previous copy replaced).
    public static func backup(data: URL, to destination: URL) throws -> Summary {
        let source = data.appendingPathComponent(databaseName)
        guard FileManager.default.fileExists(atPath: source.path) else { throw Failure.noDatabase(source.path) }
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        let target = destination.appendingPathComponent(databaseName)
        let partial = destination.appendingPathComponent(".\(databaseName).partial")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: partial.path + suffix) }

        // Not read-only: a WAL database needs its -shm index even to be read.
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let reader = try DatabasePool(path: source.path, configuration: configuration)
        do {
            let copy = try DatabaseQueue(path: partial.path)
            try reader.backup(to: copy)
            // A single file that opens anywhere, whatever the source's journal mode.
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try copy.close()
        }
        try reader.close()
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target.path + suffix) }
        guard rename(partial.path, target.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
        }

        let (images, imageBytes) = try copyImages(from: data.appendingPathComponent(imagesName),
                                                  to: destination.appendingPathComponent(imagesName))
        _ = try copyImages(from: data.appendingPathComponent(attachmentsName), to: destination.appendingPathComponent(attachmentsName))
        var summary = try describe(database: target)
        summary.images = images
        summary.imageBytes = imageBytes
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(summary).write(to: destination.appendingPathComponent(manifestName), options: .atomic)
        try? encoder.encode(summary).write(to: data.appendingPathComponent(lastBackupName), options: .atomic)
        return summary
    }

    /// When the last backup of this data folder was made, if the dashboard can tell.
    public static func lastBackup(data: URL) -> Summary? {
        guard let bytes = FileManager.default.contents(atPath: data.appendingPathComponent(lastBackupName).path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(Summary.self, from: bytes)
    }

    /// Puts a backup in place as the data folder `data`, through SQLite's backup API (the
    /// server switches the file to WAL when it opens it).
    public static func restore(from backup: URL, to data: URL, force: Bool) throws -> Summary {
        let source = backup.appendingPathComponent(databaseName)
        guard FileManager.default.fileExists(atPath: source.path),
              FileManager.default.fileExists(atPath: backup.appendingPathComponent(manifestName).path) else {
            throw Failure.notABackup(backup.path)
        }
        let target = data.appendingPathComponent(databaseName)
        if FileManager.default.fileExists(atPath: target.path) && !force { throw Failure.wouldOverwrite(data.path) }
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        var readOnly = Configuration()
        readOnly.readonly = true
        let reader = try DatabaseQueue(path: source.path, configuration: readOnly)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target.path + suffix) }
        let writer = try DatabaseQueue(path: target.path)
        try reader.backup(to: writer)
        try writer.close()
        try reader.close()
        let (images, imageBytes) = try copyImages(from: backup.appendingPathComponent(imagesName),
                                                  to: data.appendingPathComponent(imagesName))
        _ = try copyImages(from: backup.appendingPathComponent(attachmentsName), to: data.appendingPathComponent(attachmentsName))
        var summary = try describe(database: target)
        summary.images = images
        summary.imageBytes = imageBytes
        return summary
    }

    /// Row counts per table and applied migrations, for the manifest and for comparing.
    public static func describe(database: URL) throws -> Summary {
        var readOnly = Configuration()
        readOnly.readonly = true
        let queue = try DatabaseQueue(path: database.path, configuration: readOnly)
        defer { try? queue.close() }
        return try queue.read { db in
            var tables: [String: Int] = [:]
            let names = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            for name in names {
                tables[name] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(name.quotedDatabaseIdentifier)") ?? 0
            }
            let migrations = (try? String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")) ?? []
            let attributes = try? FileManager.default.attributesOfItem(atPath: database.path)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
            return Summary(createdAt: Date(), databaseBytes: size, tables: tables, images: 0, imageBytes: 0, migrations: migrations)
        }
    }

    /// Content-addressed files never change, so a file already present is skipped;
    /// temporary files (dot-names) are never copied.
    static func copyImages(from source: URL, to destination: URL) throws -> (count: Int, bytes: Int) {
        let manager = FileManager.default
        guard manager.fileExists(atPath: source.path) else { return (0, 0) }
        try manager.createDirectory(at: destination, withIntermediateDirectories: true)
        var count = 0, bytes = 0
        for name in try manager.contentsOfDirectory(atPath: source.path) where !name.hasPrefix(".") {
            let from = source.appendingPathComponent(name)
            let to = destination.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: from.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let size = ((try manager.attributesOfItem(atPath: from.path))[.size] as? NSNumber)?.intValue ?? 0
            if !manager.fileExists(atPath: to.path) {
                let partial = destination.appendingPathComponent(".\(name).partial")
                try? manager.removeItem(at: partial)
                try manager.copyItem(at: from, to: partial)
                try manager.moveItem(at: partial, to: to)
            }
            count += 1
            bytes += size
        }
        return (count, bytes)
    }
}
