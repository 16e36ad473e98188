import ArgumentParser
import FacetServer
import FacetSourcing
import Foundation

/// How `facet serve` reaches the marketplace. Without --marketplace-url there is no tier 2.
struct MarketplaceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Marketplace base URL for result pages and the API (env FACET_MARKETPLACE_URL).", valueName: "url"))
    var marketplaceURL: String = env("FACET_MARKETPLACE_URL") ?? ""

    @Option(help: "Source enabled at first start: api (the official API; preferred) or web (result pages) (env FACET_MARKETPLACE_SOURCE).")
    var marketplaceSource: String = env("FACET_MARKETPLACE_SOURCE") ?? "api"

    @Option(help: "Open-platform app key (env FACET_MARKETPLACE_APP_KEY).")
    var marketplaceAppKey: String = env("FACET_MARKETPLACE_APP_KEY") ?? ""

    @Option(help: "Open-platform app secret (env FACET_MARKETPLACE_APP_SECRET).")
    var marketplaceAppSecret: String = env("FACET_MARKETPLACE_APP_SECRET") ?? ""

    @Flag(help: "Let the marketplace fetcher reach loopback addresses: only for the simulator (env FACET_MARKETPLACE_ALLOW_LOOPBACK=1).")
    var marketplaceAllowLoopback = env("FACET_MARKETPLACE_ALLOW_LOOPBACK") == "1"

    @Option(help: ArgumentHelp("Seconds from the upload until a search is done with what it has; later marketplace designs are pushed (env FACET_MARKETPLACE_BUDGET).",
                               valueName: "seconds"))
    var marketplaceBudget: Double = Double(env("FACET_MARKETPLACE_BUDGET") ?? "") ?? 4.0

    @Option(help: ArgumentHelp("Seconds sourcing goes on after that for the open page; later designs are pushed and stored (env FACET_LATE_SOURCING).",
                               valueName: "seconds"))
    var lateSourcing: Double = Double(env("FACET_LATE_SOURCING") ?? "") ?? 45

    func validate() throws {
        guard (0.5...60).contains(marketplaceBudget) else { throw ValidationError("--marketplace-budget must be 0.5 to 60 seconds.") }
        guard (0...600).contains(lateSourcing) else { throw ValidationError("--late-sourcing must be 0 to 600 seconds.") }
        guard ["api", "web"].contains(marketplaceSource) else { throw ValidationError("--marketplace-source must be api or web.") }
        if !marketplaceURL.isEmpty {
            guard let url = URL(string: marketplaceURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--marketplace-url must be an http(s) URL.")
            }
            if marketplaceSource == "api", marketplaceAppKey.isEmpty || marketplaceAppSecret.isEmpty {
                throw ValidationError("--marketplace-source api needs --marketplace-app-key and --marketplace-app-secret.")
            }
        }
    }

    func apply(to configuration: inout ServerConfiguration) {
        configuration.search.marketplaceBudget = marketplaceBudget
        configuration.search.lateSourcingWindow = lateSourcing
        guard !marketplaceURL.isEmpty, let url = URL(string: marketplaceURL) else { return }
        var options = MarketplaceService.Options()
        options.webURL = url
        options.apiURL = url
        options.appKey = marketplaceAppKey.isEmpty ? nil : marketplaceAppKey
        options.appSecret = marketplaceAppSecret.isEmpty ? nil : marketplaceAppSecret
        options.allowLoopback = marketplaceAllowLoopback
        options.defaults.sources = ["api": marketplaceSource == "api", "web": marketplaceSource == "web"]
        configuration.marketplace = options
    }
}
