import ArgumentParser
import FacetCore
import FacetStore

struct SeedLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Create the demo accounts (a verified buyer, an ops user, an admin) and print how to sign in.",
        discussion: "Safe to run again: existing demo accounts get their demo passwords back.")

    @OptionGroup var data: DataOption

    static let demo: [(email: String, password: String, role: Role, name: String, company: String)] = [
        ("buyer@demo.facet.local", "Buyer-demo-2026", .buyer, "Dana Whitfield", "Whitfield & Daughters Jewellers"),
        ("ops@demo.facet.local", "Ops-demo-2026", .ops, "Omar Sales", "Facet"),
        ("admin@demo.facet.local", "Admin-demo-2026", .admin, "Ada Admin", "Facet"),
    ]

    func run() async throws {
        let database = try FacetDatabase(dataDirectory: data.url)
        for account in Self.demo {
            _ = try await StaffAccounts.upsert(database: database, email: account.email, password: account.password,
                                               role: account.role, name: account.name, company: account.company)
            print("  \(account.role.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) \(account.email)  password: \(account.password)")
        }
    }
}
