import ArgumentParser

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Demo data: accounts now; the generated demo world joins here.",
        subcommands: [SeedLoad.self])
}
