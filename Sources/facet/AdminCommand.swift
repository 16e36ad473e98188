import ArgumentParser
import FacetCore
import FacetStore
import Foundation

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage staff accounts.",
        subcommands: [AdminCreate.self])
}

struct AdminCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a verified staff account (ops or admin), or reset its password and role if it exists.")

    @OptionGroup var data: DataOption

    @Option(help: "E-mail address used to sign in.")
    var email: String

    @Option(help: "Password (at least 10 characters with a letter and a digit).")
    var password: String

    @Option(help: "ops or admin.")
    var role: StaffRole = .ops

    enum StaffRole: String, ExpressibleByArgument, CaseIterable { case ops, admin }

    func run() async throws {
        let database = try FacetDatabase(dataDirectory: data.url)
        let created = try await StaffAccounts.upsert(database: database, email: email, password: password,
                                                     role: role == .admin ? .admin : .ops, name: "Facet \(role.rawValue)")
        print("\(created ? "created" : "updated") \(role.rawValue) \(email)")
    }
}

/// Staff and demo accounts created from the command line rather than sign-up.
enum StaffAccounts {
    static func upsert(database: FacetDatabase, email rawEmail: String, password: String, role: Role, name: String,
                       company: String = "Facet") async throws -> Bool {
        guard let email = AccountRules.normalisedEmail(rawEmail) else { throw ValidationError("\(rawEmail) is not an e-mail address.") }
        if let failure = AccountRules.checkPassword(password) { throw ValidationError(failure.message) }
        let accounts = AccountStore(database: database)
        let hash = try PasswordHasher().hash(password)
        let now = Date()
        if var existing = try await accounts.user(email: email) {
            existing.passwordHash = hash
            existing.role = role
            existing.verifiedAt = existing.verifiedAt ?? now
            existing.updatedAt = now
            try await accounts.save(existing)
            return false
        }
        try await accounts.create(UserRecord(
            id: Identifier.make("u"), email: email, passwordHash: hash, role: role, verifiedAt: now,
            companyName: company, businessLicense: role == .buyer ? "DEMO-LICENSE-0001" : "staff", contactName: name,
            phone: "+1 555 0100", country: "United States", businessType: role == .buyer ? .retailer : .other,
            typicalOrderVolume: role == .buyer ? .from10kTo50k : .under1k,
            preferredCategories: role == .buyer ? [.ring, .necklace, .earring] : [], createdAt: now, updatedAt: now))
        return true
    }
}
