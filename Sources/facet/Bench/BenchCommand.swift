import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print their figures.",
        subcommands: [BenchWebSocket.self, BenchSync.self, BenchMarket.self, BenchMatch.self, BenchWorkspace.self, BenchSoak.self, BenchConsole.self])
}
