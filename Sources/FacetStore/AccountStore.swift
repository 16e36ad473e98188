import FacetCore
import Foundation
import GRDB

public enum AccountError: Error, Equatable {
    case emailTaken
    case invalidToken
    case notFound
}

/// Users, their sessions and their one-time e-mail tokens.
public struct AccountStore: Sendable {
    public enum TokenPurpose: String, Sendable { case verify, reset }

    let database: FacetDatabase
    public static let sessionLifetime: TimeInterval = 30 * 24 * 3600

    public init(database: FacetDatabase) { self.database = database }

    public func create(_ user: UserRecord) async throws {
        do {
            try await database.writer.write { db in try user.insert(db) }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw AccountError.emailTaken
        }
    }

    public func user(id: String) async throws -> UserRecord? {
        try database.read { db in try UserRecord.fetchOne(db, key: id) }
    }

    public func user(email: String) async throws -> UserRecord? {
        try database.read { db in
            try UserRecord.filter(Column("email") == email).fetchOne(db)
        }
    }

    public func buyers(limit: Int = 500) async throws -> [UserRecord] {
        try database.read { db in
            try UserRecord.filter(Column("role") == Role.buyer.rawValue)
                .order(Column("createdAt").desc).limit(limit).fetchAll(db)
        }
    }

    public func save(_ user: UserRecord) async throws {
        try await database.writer.write { db in try user.update(db) }
    }

    // MARK: sessions

    /// Returns the bearer token; only its digest is stored.
    public func openSession(userId: String, now: Date = Date()) async throws -> String {
        let token = SecretToken.make()
        try await database.writer.write { db in
            try db.execute(sql: "INSERT INTO session (tokenHash, userId, createdAt, expiresAt) VALUES (?, ?, ?, ?)",
                           arguments: [SecretToken.digest(token), userId, now, now.addingTimeInterval(Self.sessionLifetime)])
        }
        return token
    }

    public func sessionUser(token: String, now: Date = Date()) throws -> UserRecord? {
        try database.read { db in
            try UserRecord.fetchOne(db, sql: """
                SELECT user.* FROM session JOIN user ON user.id = session.userId
                WHERE session.tokenHash = ? AND session.expiresAt > ?
                """, arguments: [SecretToken.digest(token), now])
        }
    }

    public func closeSession(token: String) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM session WHERE tokenHash = ?", arguments: [SecretToken.digest(token)])
        }
    }

    /// After a password change every other session of the account ends.
    public func closeSessions(userId: String, except token: String? = nil) async throws {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM session WHERE userId = ? AND tokenHash != ?",
                           arguments: [userId, token.map(SecretToken.digest) ?? ""])
        }
    }

    // MARK: one-time tokens

    public func issueToken(userId: String, purpose: TokenPurpose, lifetime: TimeInterval, now: Date = Date()) async throws -> String {
        let token = SecretToken.make()
        try await database.writer.write { db in
            try db.execute(sql: "INSERT INTO oneTimeToken (tokenHash, userId, purpose, expiresAt) VALUES (?, ?, ?, ?)",
                           arguments: [SecretToken.digest(token), userId, purpose.rawValue, now.addingTimeInterval(lifetime)])
        }
        return token
    }

    /// Marks the token used and returns its user id, in one transaction so a link
    /// clicked twice at once is honoured once.
    public func redeemToken(_ token: String, purpose: TokenPurpose, now: Date = Date()) async throws -> String {
        try await database.writer.write { db in
            let digest = SecretToken.digest(token)
            guard let row = try Row.fetchOne(db, sql: """
                SELECT userId FROM oneTimeToken
                WHERE tokenHash = ? AND purpose = ? AND usedAt IS NULL AND expiresAt > ?
                """, arguments: [digest, purpose.rawValue, now])
            else { throw AccountError.invalidToken }
            try db.execute(sql: "UPDATE oneTimeToken SET usedAt = ? WHERE tokenHash = ?", arguments: [now, digest])
            return row["userId"]
        }
    }

    public func markVerified(userId: String, now: Date = Date()) async throws -> UserRecord {
        try await database.writer.write { db in
            guard var user = try UserRecord.fetchOne(db, key: userId) else { throw AccountError.notFound }
            if user.verifiedAt == nil { user.verifiedAt = now }
            user.updatedAt = now
            try user.update(db)
            return user
        }
    }
}
