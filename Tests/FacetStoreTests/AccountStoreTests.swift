import FacetCore
import FacetStore
import Foundation
import XCTest

final class AccountStoreTests: StoreTestCase {
    var accounts: AccountStore!

    override func setUpWithError() throws {
        try super.setUpWithError()
        accounts = AccountStore(database: database)
    }

    func makeUser(_ email: String) -> UserRecord {
        let now = Date()
        return UserRecord(id: Identifier.make("u"), email: email, passwordHash: "!", role: .buyer, verifiedAt: nil,
                          companyName: "Acme", businessLicense: "L", contactName: "C", phone: "+1 555 0100",
                          country: "US", businessType: .retailer, typicalOrderVolume: .under1k,
                          preferredCategories: [.ring, .bangle], createdAt: now, updatedAt: now)
    }

    func testDuplicateEmailIsRefused() async throws {
        try await accounts.create(makeUser("a@example.com"))
        do {
            try await accounts.create(makeUser("a@example.com"))
            XCTFail("second account with the same e-mail")
        } catch AccountError.emailTaken {}
    }

    func testOneTimeTokenWorksOnceAndExpires() async throws {
        let user = makeUser("t@example.com")
        try await accounts.create(user)
        let token = try await accounts.issueToken(userId: user.id, purpose: .verify, lifetime: 60)
        let redeemed = try await accounts.redeemToken(token, purpose: .verify)
        XCTAssertEqual(redeemed, user.id)
        await XCTAssertThrowsAsync(try await accounts.redeemToken(token, purpose: .verify))
        let expired = try await accounts.issueToken(userId: user.id, purpose: .reset, lifetime: 60, now: Date().addingTimeInterval(-120))
        await XCTAssertThrowsAsync(try await accounts.redeemToken(expired, purpose: .reset))
        let wrongPurpose = try await accounts.issueToken(userId: user.id, purpose: .reset, lifetime: 60)
        await XCTAssertThrowsAsync(try await accounts.redeemToken(wrongPurpose, purpose: .verify))
    }

    func testSessionsResolveUntilClosedAndStoreOnlyDigests() async throws {
        let user = makeUser("s@example.com")
        try await accounts.create(user)
        let token = try await accounts.openSession(userId: user.id)
        XCTAssertEqual(try accounts.sessionUser(token: token)?.id, user.id)
        XCTAssertEqual(try accounts.sessionUser(token: token)?.preferredCategories, [.ring, .bangle])
        XCTAssertNil(try accounts.sessionUser(token: token + "x"))
        XCTAssertNil(try accounts.sessionUser(token: token, now: Date().addingTimeInterval(AccountStore.sessionLifetime + 1)))
        try await accounts.closeSession(token: token)
        XCTAssertNil(try accounts.sessionUser(token: token))
    }

    func testPasswordHashVerifies() throws {
        let hasher = PasswordHasher(logRounds: 10)
        let encoded = try hasher.hash("goldring2026")
        XCTAssertTrue(encoded.hasPrefix("scrypt$10$8$1$"))
        XCTAssertTrue(hasher.verify("goldring2026", against: encoded))
        XCTAssertFalse(hasher.verify("goldring2027", against: encoded))
        XCTAssertFalse(hasher.verify("goldring2026", against: "!"))
        XCTAssertNotEqual(encoded, try hasher.hash("goldring2026"), "salted")
    }

    func testSecretTokensAreLongAndUrlSafe() {
        let token = SecretToken.make()
        XCTAssertGreaterThanOrEqual(token.count, 43)
        XCTAssertTrue(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        XCTAssertEqual(SecretToken.digest(token).count, 64)
    }
}

func XCTAssertThrowsAsync<T>(_ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async {
    do {
        _ = try await expression()
        XCTFail("expected an error", file: file, line: line)
    } catch {}
}
