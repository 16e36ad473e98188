import Foundation
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
        migrator.registerMigration("v2-brand-catalog") { db in
            // Brands' products as Facet holds them; `native` keeps the brand's own JSON (the true source).
            try db.create(table: "catalogProduct") { t in
                t.primaryKey("sku", .text)
                t.column("brand", .text).notNull().indexed()
                t.column("title", .text).notNull()
                t.column("category", .text).notNull().indexed()
                t.column("status", .text).notNull()
                t.column("baseCostAmount", .integer).notNull()
                t.column("currency", .text).notNull()
                t.column("moq", .integer).notNull()
                t.column("stock", .integer).notNull()
                t.column("product", .text).notNull()
                t.column("native", .text).notNull()
                t.column("fingerprint", .text).notNull()
                t.column("sourceUpdatedAt", .datetime)
                t.column("syncedAt", .datetime).notNull()
                t.column("stockCheckedAt", .datetime).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            // The content-addressed store's view of each product's photos, main view first.
            try db.create(table: "catalogImage") { t in
                t.column("sku", .text).notNull().references("catalogProduct", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("sourceURL", .text).notNull()
                t.column("fileName", .text).notNull()
                t.primaryKey(["sku", "position"])
            }
            // Each source URL is downloaded once; a missing photo is remembered too.
            try db.create(table: "imageSource") { t in
                t.primaryKey("sourceURL", .text)
                t.column("fileName", .text)
                t.column("bytes", .integer)
                t.column("httpStatus", .integer).notNull()
                t.column("fetchedAt", .datetime).notNull()
            }
            try db.create(table: "brandSyncState") { t in
                t.primaryKey("brand", .text)
                t.column("cursor", .text)
                t.column("lastSuccessAt", .datetime)
                t.column("lastAttemptAt", .datetime)
                t.column("lastFullSyncAt", .datetime)
                t.column("lastError", .text)
                t.column("itemsSynced", .integer).notNull().defaults(to: 0)
                t.column("webhooksReceived", .integer).notNull().defaults(to: 0)
            }
            try db.create(table: "brandSyncError") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("brand", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("message", .text).notNull()
                t.column("kind", .text).notNull()
            }
            try db.create(index: "brandSyncError_brand_at", on: "brandSyncError", columns: ["brand", "at"])
            try db.create(table: "webhookDelivery") { t in
                t.column("brand", .text).notNull()
                t.column("deliveryId", .text).notNull()
                t.column("type", .text).notNull()
                t.column("receivedAt", .datetime).notNull()
                t.primaryKey(["brand", "deliveryId"])
            }
            // Order notifications to brands; the idempotency key is reused on every retry.
            try db.create(table: "brandOrder") { t in
                t.primaryKey("idempotencyKey", .text)
                t.column("brand", .text).notNull()
                t.column("facetOrderId", .text).notNull()
                t.column("request", .text).notNull()
                t.column("status", .text).notNull()
                t.column("brandOrderId", .text)
                t.column("brandStatus", .text)
                t.column("attempts", .integer).notNull()
                t.column("lastError", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v3-search") { db in
            // One row per buyer search; the result columns hold the final state as JSON so a
            // reload shows exactly what the live page showed.
            try db.create(table: "search") { t in
                t.primaryKey("id", .text)
                t.column("buyerId", .text).notNull().references("user", onDelete: .cascade)
                t.column("category", .text).notNull()
                t.column("maxPriceAmount", .integer)
                t.column("currency", .text).notNull()
                t.column("status", .text).notNull()
                t.column("stage", .text).notNull()
                t.column("imageFile", .text).notNull()
                t.column("attributes", .text)
                t.column("exactMatch", .text)
                t.column("alternatives", .text)
                t.column("notes", .text)
                t.column("error", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("completedAt", .datetime)
            }
            try db.create(index: "search_buyer_created", on: "search", columns: ["buyerId", "createdAt"])
            // Opaque offer ids: buyers never see a SKU or a listing id, only these.
            try db.create(table: "offer") { t in
                t.primaryKey("id", .text)
                t.column("source", .text).notNull()
                t.column("ref", .text).notNull().unique()
                t.column("createdAt", .datetime).notNull()
            }
            // Vision features per stored photo (content-addressed, so shared by every product
            // that uses the same file); keypoints live here, not in the in-memory index.
            try db.create(table: "imageFeature") { t in
                t.primaryKey("fileName", .text)
                t.column("embedder", .text).notNull()
                t.column("embedding", .blob).notNull()
                t.column("keypoints", .blob).notNull()
                t.column("attributes", .text).notNull()
                t.column("computedAt", .datetime).notNull()
            }
            try db.create(table: "markup") { t in
                t.primaryKey("scope", .text)
                t.column("basisPoints", .integer).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("updatedBy", .text)
            }
            try db.create(table: "markupAudit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("scope", .text).notNull()
                t.column("oldBasisPoints", .integer)
                t.column("newBasisPoints", .integer)
                t.column("actorId", .text).notNull()
                t.column("actorEmail", .text).notNull()
                t.column("at", .datetime).notNull()
            }
        }
        migrator.registerMigration("v4-marketplace") { db in
            // Marketplace offers as Facet normalised them, kept so later searches need not fetch again.
            try db.create(table: "marketplaceListing") { t in
                t.primaryKey("id", .text)
                t.column("source", .text).notNull()
                t.column("offerId", .text).notNull()
                t.column("category", .text).notNull().indexed()
                t.column("listing", .text).notNull()
                t.column("fetchedAt", .datetime).notNull()
            }
            // One row: the admin-editable settings as JSON.
            try db.create(table: "marketplaceSettings") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("settings", .text).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("updatedBy", .text)
            }
            try db.create(table: "marketplaceAudit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("actorId", .text).notNull()
                t.column("actorEmail", .text).notNull()
                t.column("old", .text).notNull()
                t.column("new", .text).notNull()
            }
        }
        migrator.registerMigration("v5-marketplace-markup") { db in
            // The marketplace markup joins the markup table (audited like the others); carry over
            // the value staff had set in the marketplace settings, if any.
            guard let json = try String.fetchOne(db, sql: "SELECT settings FROM marketplaceSettings WHERE id = 1"),
                  let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
                  let bp = object["markupBasisPoints"] as? Int else { return }
            try db.execute(sql: """
                INSERT INTO markup (scope, basisPoints, updatedAt, updatedBy) VALUES ('marketplace', ?, ?, NULL)
                ON CONFLICT(scope) DO NOTHING
                """, arguments: [bp, Date()])
        }
        migrator.registerMigration("v6-workspace") { db in
            // A buyer's cart: one line per offer, with the offer as it was when added, so a price
            // change or a discontinued product shows on the line instead of silently changing it.
            try db.create(table: "cartLine") { t in
                t.primaryKey("id", .text)
                t.column("buyerId", .text).notNull().references("user", onDelete: .cascade)
                t.column("offerId", .text).notNull()
                t.column("quantity", .integer).notNull()
                t.column("note", .text)
                t.column("snapshot", .text).notNull()
                t.column("addedAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.uniqueKey(["buyerId", "offerId"])
            }
            try db.create(table: "wishlistItem") { t in
                t.primaryKey("id", .text)
                t.column("buyerId", .text).notNull().references("user", onDelete: .cascade)
                t.column("offerId", .text).notNull()
                t.column("snapshot", .text).notNull()
                t.column("addedAt", .datetime).notNull()
                t.uniqueKey(["buyerId", "offerId"])
            }
            try db.create(table: "savedSearch") { t in
                t.primaryKey("id", .text)
                t.column("buyerId", .text).notNull().references("user", onDelete: .cascade).indexed()
                t.column("searchId", .text).notNull().references("search", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("watch", .boolean).notNull().defaults(to: false)
                t.column("minSimilarity", .double).notNull().defaults(to: 80)
                t.column("lastSearchId", .text).notNull()
                t.column("lastRunAt", .datetime).notNull()
                t.column("newMatches", .integer).notNull().defaults(to: 0)
                t.column("lastDigestAt", .datetime)
                t.column("createdAt", .datetime).notNull()
            }
            // Offers a watched search was told about, so each is announced once.
            try db.create(table: "savedSearchMatch") { t in
                t.column("savedSearchId", .text).notNull().references("savedSearch", onDelete: .cascade)
                t.column("offerId", .text).notNull()
                t.column("similarity", .double).notNull()
                t.column("foundAt", .datetime).notNull()
                t.column("digested", .boolean).notNull().defaults(to: false)
                t.primaryKey(["savedSearchId", "offerId"])
            }
            // Up to 48 ranked designs per search (for "show more" and filters), and the run it repeats.
            try db.alter(table: "search") { t in
                t.add(column: "ranked", .text)
                t.add(column: "previousSearchId", .text)
            }
        }
        migrator.registerMigration("v7-quotes-orders") { db in
            // A quote: the buyer's request (immutable JSON), staff's working draft (with the
            // revision that makes a second concurrent save a conflict), and the frozen versions.
            try db.create(table: "quote") { t in
                t.primaryKey("id", .text)
                t.column("number", .integer).notNull().unique()
                t.column("buyerId", .text).notNull().references("user", onDelete: .cascade).indexed()
                t.column("status", .text).notNull().indexed()
                t.column("urgency", .text).notNull()
                t.column("request", .text).notNull()
                t.column("draft", .text).notNull()
                t.column("draftRevision", .integer).notNull()
                t.column("currentVersion", .integer)
                t.column("validUntil", .datetime)
                t.column("assigneeId", .text)
                t.column("dueAt", .datetime).notNull()
                t.column("isRepeat", .boolean).notNull().defaults(to: false)
                t.column("idempotencyKey", .text)
                t.column("orderId", .text)
                t.column("buyerReadAt", .datetime)
                t.column("staffReadAt", .datetime)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.uniqueKey(["buyerId", "idempotencyKey"])
            }
            try db.create(table: "quoteVersion") { t in
                t.column("quoteId", .text).notNull().references("quote", onDelete: .cascade)
                t.column("version", .integer).notNull()
                t.column("body", .text).notNull()
                t.column("sentAt", .datetime).notNull()
                t.column("sentBy", .text).notNull()
                t.primaryKey(["quoteId", "version"])
            }
            try db.create(table: "quoteMessage") { t in
                t.primaryKey("id", .text)
                t.column("quoteId", .text).notNull().references("quote", onDelete: .cascade).indexed()
                t.column("authorId", .text).notNull()
                t.column("author", .text).notNull()
                t.column("body", .text).notNull()
                t.column("attachments", .text).notNull()
                t.column("at", .datetime).notNull()
            }
            // Every status move with who made it; change requests carry their lines in `detail`.
            try db.create(table: "quoteActivity") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("quoteId", .text).notNull().references("quote", onDelete: .cascade).indexed()
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("actorId", .text)
                t.column("status", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("note", .text)
                t.column("detail", .text)
            }
            // Files attached to messages and issues, stored by content hash under <data>/attachments.
            try db.create(table: "attachment") { t in
                t.primaryKey("id", .text)
                t.column("ownerId", .text).notNull()
                t.column("name", .text).notNull()
                t.column("contentType", .text).notNull()
                t.column("bytes", .integer).notNull()
                t.column("fileName", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "salesOrder") { t in
                t.primaryKey("id", .text)
                t.column("number", .integer).notNull().unique()
                t.column("quoteId", .text).notNull().unique().references("quote")
                t.column("quoteVersion", .integer).notNull()
                t.column("buyerId", .text).notNull().references("user", onDelete: .cascade).indexed()
                t.column("status", .text).notNull().indexed()
                t.column("currency", .text).notNull()
                t.column("lines", .text).notNull()
                t.column("total", .integer).notNull()
                t.column("paymentTerms", .text).notNull()
                t.column("paid", .integer).notNull().defaults(to: 0)
                t.column("receivedAt", .datetime)
                t.column("feedback", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "orderActivity") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("orderId", .text).notNull().references("salesOrder", onDelete: .cascade).indexed()
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("actorId", .text)
                t.column("status", .text).notNull()
                t.column("note", .text)
                t.column("detail", .text)
            }
            try db.create(table: "orderPayment") { t in
                t.primaryKey("id", .text)
                t.column("orderId", .text).notNull().references("salesOrder", onDelete: .cascade).indexed()
                t.column("amount", .integer).notNull()
                t.column("reference", .text).notNull()
                t.column("receivedAt", .datetime).notNull()
                t.column("recordedBy", .text).notNull()
                t.column("recordedAt", .datetime).notNull()
            }
            try db.create(table: "supplierOrder") { t in
                t.primaryKey("id", .text)
                t.column("orderId", .text).notNull().references("salesOrder", onDelete: .cascade).indexed()
                t.column("lineId", .text).notNull()
                t.column("supplier", .text).notNull()
                t.column("reference", .text).notNull()
                t.column("promisedDate", .text).notNull()
                t.column("recordedBy", .text).notNull()
                t.column("at", .datetime).notNull()
            }
            try db.create(table: "orderIssue") { t in
                t.primaryKey("id", .text)
                t.column("orderId", .text).notNull().references("salesOrder", onDelete: .cascade).indexed()
                t.column("kind", .text).notNull()
                t.column("status", .text).notNull()
                t.column("description", .text).notNull()
                t.column("lineIds", .text).notNull()
                t.column("attachments", .text).notNull()
                t.column("outcome", .text)
                t.column("reference", .text)
                t.column("notes", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            // The last e-mail per thread and recipient, so a busy thread sends at most one per window.
            try db.create(table: "mailThrottle") { t in
                t.primaryKey("key", .text)
                t.column("lastAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v8-operations") { db in
            // Staff actions that have no audit table of their own (accounts, approvals, buyers,
            // policies): one sentence each, with who and when.
            try db.create(table: "staffAudit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull().indexed()
                t.column("actorId", .text).notNull()
                t.column("actorEmail", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("subject", .text)
                t.column("summary", .text).notNull()
            }
            // New brand products wait here when their brand's policy is "review"; marketplace
            // listings wait here when staff propose them for the curated catalog.
            try db.create(table: "approval") { t in
                t.primaryKey("id", .text)
                t.column("kind", .text).notNull()
                t.column("subject", .text).notNull()
                t.column("status", .text).notNull().indexed()
                t.column("reason", .text)
                t.column("corrections", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("decidedAt", .datetime)
                t.column("decidedBy", .text)
                t.uniqueKey(["kind", "subject"])
            }
            try db.create(table: "brandPolicy") { t in
                t.primaryKey("brand", .text)
                t.column("policy", .text).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("updatedBy", .text)
            }
            // Attribute values staff corrected in a review: labelled examples for the attribute heads.
            try db.create(table: "attributeCorrection") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("subject", .text).notNull()
                t.column("fileName", .text)
                t.column("attribute", .text).notNull()
                t.column("extracted", .text)
                t.column("corrected", .text).notNull()
                t.column("by", .text).notNull()
                t.column("at", .datetime).notNull()
            }
            // A buyer's thumbs up or down on one result of one search.
            try db.create(table: "resultFeedback") { t in
                t.column("searchId", .text).notNull().references("search", onDelete: .cascade)
                t.column("offerId", .text).notNull()
                t.column("buyerId", .text).notNull()
                t.column("vote", .integer).notNull()
                t.column("at", .datetime).notNull()
                t.primaryKey(["searchId", "offerId"])
            }
            try db.create(table: "buyerNote") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("buyerId", .text).notNull().references("user", onDelete: .cascade).indexed()
                t.column("authorEmail", .text).notNull()
                t.column("body", .text).notNull()
                t.column("at", .datetime).notNull()
            }
            try db.alter(table: "user") { t in
                t.add(column: "suspendedAt", .datetime)
                t.add(column: "businessVerifiedAt", .datetime)
            }
            // Live checks that found a product out of stock, for the supply report.
            try db.create(table: "stockCheck") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("sku", .text).notNull()
                t.column("brand", .text).notNull()
                t.column("inStock", .boolean).notNull()
                t.column("at", .datetime).notNull()
            }
        }
        return migrator
    }
}
