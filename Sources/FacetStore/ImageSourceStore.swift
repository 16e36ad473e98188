import FacetCore
import Foundation
import GRDB

/// Every photo URL fetched from a brand or the marketplace and what it became, so a photo is
/// fetched once and a missing one is not asked for again.
public struct ImageSourceStore: Sendable {
    let database: FacetDatabase
    public init(database: FacetDatabase) { self.database = database }

    /// (file name or nil, HTTP status) for a source URL already fetched.
    public func imageSource(url: String) throws -> (fileName: String?, status: Int)? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT fileName, httpStatus FROM imageSource WHERE sourceURL = ?", arguments: [url])
                .map { ($0["fileName"], $0["httpStatus"]) }
        }
    }

    public func recordImageSource(url: String, fileName: String?, bytes: Int?, status: Int, at now: Date = Date()) throws {
        try database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO imageSource (sourceURL, fileName, bytes, httpStatus, fetchedAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(sourceURL) DO UPDATE SET fileName = excluded.fileName, bytes = excluded.bytes,
                  httpStatus = excluded.httpStatus, fetchedAt = excluded.fetchedAt
                """, arguments: [url, fileName, bytes, status, now])
        }
    }
}
