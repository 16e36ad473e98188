import GRDB

/// Versioned schema. Never edit a shipped migration: add the next one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-accounts") { db in
            try db.create(table: "user") { t in
                t.primaryKey("id", .text)
                t.column("email", .text).notNull().unique()
                t.column("passwordHash", .text).notNull()
                t.column("role", .text).notNull()
                t.column("verifiedAt", .datetime)
                t.column("companyName", .text).notNull()
                t.column("businessLicense", .text).notNull()
                t.column("contactName", .text).notNull()
                t.column("phone", .text).notNull()
                t.column("country", .text).notNull()
                t.column("businessType", .text).notNull()
                t.column("typicalOrderVolume", .text).notNull()
                t.column("preferredCategories", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "session") { t in
                t.primaryKey("tokenHash", .text)
                t.column("userId", .text).notNull().indexed().references("user", onDelete: .cascade)
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
            }
            try db.create(table: "oneTimeToken") { t in
                t.primaryKey("tokenHash", .text)
                t.column("userId", .text).notNull().indexed().references("user", onDelete: .cascade)
                t.column("purpose", .text).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("usedAt", .datetime)
            }
        }
        migrator.registerMigration("v1-event-log") { db in
            // One row per published event; (topic, seq) is the replay cursor clients resume from.
            try db.create(table: "event", options: .withoutRowID) { t in
                t.column("topic", .text).notNull()
                t.column("seq", .integer).notNull()
                t.column("event", .text).notNull()
                t.column("data", .text).notNull()
                t.column("at", .datetime).notNull()
                t.primaryKey(["topic", "seq"])
            }
        }
        return migrator
    }
}
