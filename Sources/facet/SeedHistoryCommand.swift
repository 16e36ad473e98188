import ArgumentParser
import FacetServer
import Foundation
import Logging

struct SeedHistory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Add a business history to a data folder: searches, quote requests and orders at every stage (for the operations console).",
        discussion: """
            Quote requests and orders go through the real quote and order services; searches are stored as finished \
            searches. Products HIST-0… are added to the catalog for them. `facet bench console` makes the same history \
            in a throw-away folder and times the console against it.
            """)

    @OptionGroup var data: DataOption
    @Option(help: "Searches.") var searches: Int = 10_000
    @Option(help: "Quote requests.") var quotes: Int = 1_000
    @Option(help: "Orders (accepted quote requests).") var orders: Int = 500

    func validate() throws {
        guard orders <= quotes else { throw ValidationError("--orders cannot exceed --quotes.") }
        guard (0...200_000).contains(searches), (0...20_000).contains(quotes) else { throw ValidationError("--searches up to 200000, --quotes up to 20000.") }
    }

    func run() async throws {
        CommandLogging.bootstrap(level: .warning)
        var configuration = ServerConfiguration()
        configuration.dataDirectory = data.url
        configuration.startSync = false
        let services = try Services.make(configuration, logger: Logger(label: "seed"), deliver: { _ in })
        let f = try await ConsoleHistory(services: services, searches: searches, quotes: quotes, orders: orders).make()
        print("added \(f.searches) searches, \(f.quotes) quote requests (\(f.sent) answered), \(f.orders) orders (\(f.paid) paid, \(f.shipped) shipped, \(f.delivered) delivered)")
    }
}
