import FacetCore
@testable import FacetSourcing
import FacetStore
import Foundation
import XCTest

final class WebhookSignatureTests: XCTestCase {
    let body = Array(#"{"id":"wh_1","type":"stock.changed"}"#.utf8)

    func testAValidSignatureInsideTheWindowPasses() throws {
        let now = Date()
        let ts = Int(now.timeIntervalSince1970)
        let signature = WebhookSignature.sign(secret: "s3cret", timestamp: ts, body: body)
        XCTAssertTrue(signature.hasPrefix("v1="))
        XCTAssertEqual(signature.count, 67)
        XCTAssertNoThrow(try WebhookSignature.verify(secrets: ["old", "s3cret"], timestamp: String(ts), signature: signature, body: body, now: now))
    }

    func testForgedTamperedAndReplayedDeliveriesAreRejected() {
        let now = Date()
        let ts = Int(now.timeIntervalSince1970)
        let forged = WebhookSignature.sign(secret: "guess", timestamp: ts, body: body)
        XCTAssertThrowsError(try WebhookSignature.verify(secrets: ["s3cret"], timestamp: String(ts), signature: forged, body: body, now: now)) {
            XCTAssertEqual($0 as? WebhookSignature.Rejection, .badSignature)
        }
        let good = WebhookSignature.sign(secret: "s3cret", timestamp: ts, body: body)
        XCTAssertThrowsError(try WebhookSignature.verify(secrets: ["s3cret"], timestamp: String(ts), signature: good, body: body + [32], now: now))
        // The same signature with another timestamp does not verify, and an old one is outside the window.
        XCTAssertThrowsError(try WebhookSignature.verify(secrets: ["s3cret"], timestamp: String(ts + 1), signature: good, body: body, now: now))
        let old = ts - 301
        let oldSignature = WebhookSignature.sign(secret: "s3cret", timestamp: old, body: body)
        XCTAssertThrowsError(try WebhookSignature.verify(secrets: ["s3cret"], timestamp: String(old), signature: oldSignature, body: body, now: now)) {
            XCTAssertEqual($0 as? WebhookSignature.Rejection, .outsideWindow(skewSeconds: 301))
        }
        XCTAssertThrowsError(try WebhookSignature.verify(secrets: ["s3cret"], timestamp: nil, signature: good, body: body, now: now))
    }
}

final class BackoffTests: XCTestCase {
    func testCeilingDoublesUpToTheCap() {
        let backoff = Backoff(base: 0.5, cap: 30, maxAttempts: 10)
        XCTAssertEqual((0..<8).map { backoff.ceiling(attempt: $0) }, [0.5, 1, 2, 4, 8, 16, 30, 30])
    }

    func testJitterStaysInTheWindowAndRetryAfterIsHonoured() {
        let backoff = Backoff(base: 0.5, cap: 30, maxAttempts: 4)
        XCTAssertEqual(backoff.delay(attempt: 2, retryAfter: nil, unit: 0), 0)
        XCTAssertEqual(backoff.delay(attempt: 2, retryAfter: nil, unit: 0.5), 1)
        XCTAssertEqual(backoff.delay(attempt: 0, retryAfter: 3, unit: 0.9), 3)
        XCTAssertEqual(backoff.delay(attempt: 6, retryAfter: 1, unit: 0.5), 15)
        XCTAssertTrue(Backoff.shouldRetry(status: 503))
        XCTAssertTrue(Backoff.shouldRetry(status: 429))
        XCTAssertFalse(Backoff.shouldRetry(status: 404))
        XCTAssertFalse(Backoff.shouldRetry(status: 409))
    }

    func testAPhotoIsAskedTwiceAtMostAndWaitsAtMostEightSeconds() {
        let photo = BrandConnector.photoBackoff(Backoff(base: 0.5, cap: 30, maxAttempts: 4))
        XCTAssertEqual(photo.maxAttempts, 2)
        XCTAssertEqual(photo.delay(attempt: 0, retryAfter: 120, unit: 0.5), 8)
        XCTAssertEqual(BrandConnector.photoBackoff(.noRetry), .noRetry)
    }

    func testRetryAfterHeaderIsRead() {
        XCTAssertEqual(HTTPClientResponse(status: 429, headers: ["retry-after": "2"]).retryAfter, 2)
        XCTAssertNil(HTTPClientResponse(status: 429).retryAfter)
        XCTAssertEqual(HTTPClient.parseHeaders("HTTP/1.1 100 Continue\r\nX-A: 1\r\n\r\nHTTP/1.1 200 OK\r\nRetry-After: 5\r\n"), ["retry-after": "5"])
    }
}

final class ImageStoreTests: XCTestCase {
    var directory: URL!

    override func setUp() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("facet-images-\(UUID().uuidString)")
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    /// A minimal JPEG-shaped byte stream: SOI, APP0, APP1 (EXIF), COM, DQT, SOS + data, EOI.
    func jpeg(exif: String, comment: String) -> [UInt8] {
        func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
            let length = payload.count + 2
            return [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        }
        return [0xFF, 0xD8] + segment(0xE0, Array("JFIF\0".utf8) + [1, 1, 0, 0, 1, 0, 1, 0, 0])
            + segment(0xE1, Array("Exif\0\0\(exif)".utf8)) + segment(0xFE, Array(comment.utf8))
            + segment(0xDB, [0] + Array(repeating: 1, count: 64))
            + segment(0xDA, [1, 1, 0, 0, 63, 0]) + [0x12, 0x34, 0xFF, 0x00, 0x56] + [0xFF, 0xD9]
    }

    func testSniffingUsesMagicBytesOnly() {
        XCTAssertEqual(ImageStore.sniff([0xFF, 0xD8, 0xFF, 0xE0]), .jpeg)
        XCTAssertEqual(ImageStore.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]), .png)
        XCTAssertEqual(ImageStore.sniff(Array("RIFF\0\0\0\0WEBPVP8 ".utf8)), .webp)
        XCTAssertNil(ImageStore.sniff(Array("<html>".utf8)))
        XCTAssertNil(ImageStore.sniff(Array("GIF89a".utf8)))
    }

    func testMetadataIsStrippedAndTheImageDataKept() throws {
        let raw = jpeg(exif: "GPS 51.5N 0.1W camera", comment: "shot by someone")
        let clean = try ImageStore.stripJPEGMetadata(raw)
        XCTAssertFalse(String(decoding: clean, as: UTF8.self).contains("GPS"))
        XCTAssertFalse(String(decoding: clean, as: UTF8.self).contains("shot by"))
        XCTAssertTrue(String(decoding: clean, as: UTF8.self).contains("JFIF"))
        XCTAssertEqual(Array(clean.suffix(7)), [0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9])
        XCTAssertLessThan(clean.count, raw.count)
    }

    func testSameImageWithDifferentMetadataIsStoredOnce() throws {
        let store = ImageStore(directory: directory, maxBytes: 1 << 20)
        let a = try store.store(jpeg(exif: "camera A", comment: "one"))
        let b = try store.store(jpeg(exif: "camera B, other place", comment: "two"))
        XCTAssertTrue(a.created)
        XCTAssertFalse(b.created)
        XCTAssertEqual(a.sha256, b.sha256)
        XCTAssertEqual(a.fileName, "\(a.sha256).jpg")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(files, [a.fileName])
        XCTAssertNotNil(store.file(named: a.fileName))
        XCTAssertNil(store.file(named: "../etc/passwd"))
    }

    func testOversizedAndNonImagesAreRefused() {
        let store = ImageStore(directory: directory, maxBytes: 10)
        XCTAssertThrowsError(try store.store(jpeg(exif: "x", comment: "y"))) { XCTAssertEqual($0 as? ImageStore.Failure, .tooLarge(10)) }
        let big = ImageStore(directory: directory)
        XCTAssertThrowsError(try big.store(Array("<svg onload=alert(1)>".utf8))) { XCTAssertEqual($0 as? ImageStore.Failure, .notAnImage) }
    }
}

final class CatalogStoreTests: XCTestCase {
    static func product(_ sku: String, cost: Int64 = 1000, stock: Int = 5, status: CatalogProduct.Status = .active) -> CatalogProduct {
        CatalogProduct(sku: sku, brand: "aurelia", title: "Ring \(sku)", category: .ring, attributes: ["metal": .text("silver")],
                       gemstones: [], baseCost: .init(amount: cost, currency: "USD"), moq: 1, priceTiers: [], stock: stock,
                       leadTimes: .init(readyDays: 2, madeToOrderDays: 10), status: status, imageURLs: [], sourceUpdatedAt: nil)
    }

    func testUpsertReportsOnlyRealChangesAndWebhookDeliveriesAreIdempotent() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-catalog-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = try FacetDatabase(dataDirectory: dir)
        let now = Date()
        let first = try await database.writer.write { db in
            try CatalogStore.upsert(db, [.init(product: Self.product("A"), native: "{}", images: nil)], at: now)
        }
        XCTAssertEqual(first.map(\.kind), [.created])
        let same = try await database.writer.write { db in
            try CatalogStore.upsert(db, [.init(product: Self.product("A"), native: "{}", images: nil)], at: now)
        }
        XCTAssertEqual(same, [])
        let priced = try await database.writer.write { db in
            try CatalogStore.upsert(db, [.init(product: Self.product("A", cost: 1200), native: "{}", images: nil)], at: now)
        }
        XCTAssertEqual(priced.first?.fields, ["baseCost"])
        let gone = try await database.writer.write { db in
            try CatalogStore.upsert(db, [.init(product: Self.product("A", cost: 1200, status: .discontinued), native: "{}", images: nil)], at: now)
        }
        XCTAssertEqual(gone.first?.kind, .discontinued)
        // Another brand cannot take over the SKU, nor change its stock.
        var foreign = Self.product("A", cost: 1)
        foreign.brand = "northbridge"
        let intruder = foreign
        let hijack = try await database.writer.write { db in
            try CatalogStore.upsert(db, [.init(product: intruder, native: "{}", images: nil)], at: now)
        }
        XCTAssertEqual(hijack, [])
        let stock = try await database.writer.write { db in
            try CatalogStore.applyStock(db, brand: "northbridge", sku: "A", stock: 999, cost: nil, at: now)
        }
        XCTAssertNil(stock)
        let kept = try await CatalogStore(database: database).product(sku: "A")
        XCTAssertEqual(kept?.brand, "aurelia")
        XCTAssertEqual(kept?.baseCost.amount, 1200)
        let fresh = try await database.writer.write { db in try BrandSyncStore.recordDelivery(db, brand: "aurelia", id: "wh_1", type: "x", at: now) }
        let again = try await database.writer.write { db in try BrandSyncStore.recordDelivery(db, brand: "aurelia", id: "wh_1", type: "x", at: now) }
        XCTAssertTrue(fresh)
        XCTAssertFalse(again)
        XCTAssertEqual(try BrandSyncStore(database: database).syncState(brand: "aurelia").webhooksReceived, 1)
    }

    func testASyncPageAskedBeforeAWebhookDoesNotUndoItsStock() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-race-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = try FacetDatabase(dataDirectory: dir)
        let start = Date()
        _ = try await database.writer.write { db in
            try CatalogStore.upsert(db, [.init(product: Self.product("A", stock: 11), native: "{}", images: nil)], at: start)
        }
        // The page is requested, then a webhook lands, then the page (still saying 11) is written.
        let asked = start.addingTimeInterval(1)
        _ = try await database.writer.write { db in
            try CatalogStore.applyStock(db, brand: "aurelia", sku: "A", stock: 511, cost: 1300, at: asked.addingTimeInterval(0.5))
        }
        let late = try await database.writer.write { db in
            try CatalogStore.upsert(db, [.init(product: Self.product("A", stock: 11).retitled("Ring A, renamed"), native: "{\"v\":2}",
                                               images: nil, observedAt: asked)], at: asked.addingTimeInterval(1))
        }
        XCTAssertEqual(late.first?.fields, ["title"], "the older reading changes the title only")
        let kept = try await CatalogStore(database: database).product(sku: "A")
        XCTAssertEqual(kept?.stock, 511)
        XCTAssertEqual(kept?.baseCost.amount, 1300)
        // A page asked after the webhook is newer, and wins.
        let newer = try await database.writer.write { db in
            try CatalogStore.upsert(db, [.init(product: Self.product("A", stock: 7), native: "{\"v\":3}", images: nil,
                                               observedAt: asked.addingTimeInterval(2))], at: asked.addingTimeInterval(2))
        }
        XCTAssertEqual(Set(newer.first?.fields ?? []), ["stock", "baseCost", "title"])
        let now = try await CatalogStore(database: database).product(sku: "A")
        XCTAssertEqual(now?.stock, 7)
    }

    func testAFullReconcileDiscontinuesWhatTheBrandNoLongerLists() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-reconcile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = try FacetDatabase(dataDirectory: dir)
        let now = Date()
        _ = try await database.writer.write { db in
            try CatalogStore.upsert(db, ["A", "B", "C"].map { .init(product: Self.product($0), native: "{}", images: nil) }, at: now)
        }
        let gone = try await database.writer.write { db in
            try CatalogStore.discontinueMissing(db, brand: "aurelia", listed: ["A", "C"], at: now)
        }
        XCTAssertEqual(gone.map(\.sku), ["B"])
        XCTAssertEqual(gone.first?.kind, .discontinued)
        let store = CatalogStore(database: database)
        let b = try await store.product(sku: "B")
        XCTAssertEqual(b?.status, .discontinued)
        let again = try await database.writer.write { db in
            try CatalogStore.discontinueMissing(db, brand: "aurelia", listed: ["A", "C"], at: now)
        }
        XCTAssertEqual(again, [])
        let state = try BrandSyncStore(database: database).syncState(brand: "aurelia")
        XCTAssertEqual(state.products, 3)
        XCTAssertEqual(state.activeProducts, 2)
    }

    func testOrderNotificationKeepsOneRecordPerKey() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("facet-orders-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = BrandOrderStore(database: try FacetDatabase(dataDirectory: dir))
        let a = try store.brandOrder(key: "k1", brand: "aurelia", facetOrderId: "F-1", request: "{}")
        _ = try store.updateBrandOrder(key: "k1", status: "pending", brandOrderId: nil, brandStatus: nil, error: "timed out")
        let b = try store.brandOrder(key: "k1", brand: "aurelia", facetOrderId: "F-1", request: "{}")
        XCTAssertEqual(a.idempotencyKey, b.idempotencyKey)
        XCTAssertEqual(b.attempts, 1)
        XCTAssertEqual(try store.pendingBrandOrders().count, 1)
        _ = try store.updateBrandOrder(key: "k1", status: "sent", brandOrderId: "AUR-PO-1", brandStatus: "received", error: nil)
        XCTAssertEqual(try store.pendingBrandOrders().count, 0)
        XCTAssertEqual(try store.brandOrders().first?.brandOrderId, "AUR-PO-1")
    }
}

private extension CatalogProduct {
    func retitled(_ title: String) -> CatalogProduct {
        var copy = self
        copy.title = title
        return copy
    }
}
