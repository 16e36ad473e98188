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

    func validate() throws {
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
