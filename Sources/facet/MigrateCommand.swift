import ArgumentParser
import FacetStore

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the database or bring it to the current schema, then list applied migrations.")

    @OptionGroup var data: DataOption

    func run() throws {
        let database = try FacetDatabase(dataDirectory: data.url)
        for migration in try database.appliedMigrations() { print("applied \(migration)") }
        print("database \(database.path) is current")
    }
}
