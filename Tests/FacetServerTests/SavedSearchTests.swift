import FacetCore
import FacetHTTP
@testable import FacetServer
import FacetStore
import XCTest

final class SavedSearchTests: XCTestCase {
    func finishedSearch(_ app: TestApp, buyerId: String) async throws -> SearchRecord {
        var record = SearchRecord(id: Identifier.make("s"), buyerId: buyerId, category: .ring, maxPriceAmount: 25_000, currency: "USD",
                                  imageFile: "photo.jpg", createdAt: Date())
        record.status = "done"
        let stored = record
        try await app.services.database.writer.write { db in try SearchStore.insert(db, stored) }
        return record
    }

    func testSavingIsValidatedAndScopedToTheBuyer() async throws {
        let app = try TestApp()
        let buyer = try await app.session(.buyer)
        let other = try await app.session(.buyer)
        let search = try await finishedSearch(app, buyerId: buyer.user.id)
        let created = await app.send(.POST, "/api/saved-searches", json: ["searchId": search.id, "name": "Halo rings", "watch": true],
                                     session: buyer.token)
        XCTAssertEqual(created.status, 201)
        let saved = created.json["savedSearch"] as? [String: Any]
        XCTAssertEqual(saved?["minSimilarity"] as? Double, 80)
        XCTAssertEqual((saved?["maxPrice"] as? [String: Any])?["amount"] as? Int, 25_000)
        for (body, field) in [(["searchId": search.id, "name": " "] as [String: Any], "name"),
                              (["searchId": search.id, "name": "x", "minSimilarity": 20], "minSimilarity"),
                              (["searchId": "s_nope", "name": "x"], "searchId")] {
            let reply = await app.send(.POST, "/api/saved-searches", json: body, session: buyer.token)
            XCTAssertEqual(reply.error["field"] as? String, field, "\(body)")
        }
        let stolen = await app.send(.POST, "/api/saved-searches", json: ["searchId": search.id, "name": "mine"], session: other.token)
        XCTAssertEqual(stolen.status, 404)
        let id = saved?["id"] as? String ?? ""
        let renamed = await app.send(.PATCH, "/api/saved-searches/\(id)", json: ["name": "Halo rings, gold"], session: buyer.token)
        XCTAssertEqual((renamed.json["savedSearch"] as? [String: Any])?["name"] as? String, "Halo rings, gold")
        let foreign = await app.send(.DELETE, "/api/saved-searches/\(id)", session: other.token)
        XCTAssertEqual(foreign.status, 404)
        let mine = await app.send(.DELETE, "/api/saved-searches/\(id)", session: buyer.token)
        XCTAssertEqual(mine.status, 204)
    }

    func testTheDigestMailsMatchesAtMostDaily() async throws {
        let app = try TestApp()
        let buyer = try await app.session(.buyer)
        let search = try await finishedSearch(app, buyerId: buyer.user.id)
        let offer = try await app.stock("W-1")
        let saved = SavedSearchRecord(id: "ss_1", buyerId: buyer.user.id, searchId: search.id, name: "Halo rings", watch: true,
                                      minSimilarity: 80, createdAt: Date())
        try await app.services.database.writer.write { db in
            try saved.insert(db)
            try SavedSearchMatchRecord(savedSearchId: "ss_1", offerId: offer, similarity: 97, foundAt: Date()).insert(db)
        }
        let digest = WatchDigest(services: app.services)
        let outbox = app.directory.appendingPathComponent("outbox")
        await digest.sendDue()
        let sent = try FileManager.default.contentsOfDirectory(atPath: outbox.path)
        XCTAssertEqual(sent.count, 1)
        let mail = try String(contentsOf: outbox.appendingPathComponent(sent[0]), encoding: .utf8)
        XCTAssertTrue(mail.contains("Halo rings"))
        XCTAssertTrue(mail.contains("offer.html?id=\(offer)"))
        XCTAssertFalse(mail.contains("aurelia") || mail.contains("W-1"), "white label: no brand, no SKU")
        // A new match the same day waits for tomorrow's digest.
        let second = try await app.stock("W-2")
        try await app.services.database.writer.write { db in
            try SavedSearchMatchRecord(savedSearchId: "ss_1", offerId: second, similarity: 91, foundAt: Date()).insert(db)
        }
        await digest.sendDue()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outbox.path).count, 1)
        await digest.sendDue(now: Date().addingTimeInterval(86_401))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outbox.path).count, 2)
    }
}
