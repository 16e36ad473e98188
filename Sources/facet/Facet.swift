import ArgumentParser

@main
struct Facet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facet",
        abstract: "Facet: reverse-catalog jewelry sourcing for B2B buyers.",
        discussion: "Run `facet serve` for the web app and API, `facet seed load` for demo accounts.",
        version: "0.1.0",
        subcommands: [Serve.self, Demo.self, BrandSim.self, MarketSim.self, Migrate.self, Admin.self, Seed.self, Bench.self, Eval.self,
                      Backup.self, Restore.self, Model.self])
}
