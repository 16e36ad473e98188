import ArgumentParser
import FacetServer
import FacetSourcing
import Foundation

/// How `facet serve` (and `facet demo`) reach the brands.
struct BrandOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        JSON file of brands to sync (env FACET_BRANDS): {"brands":[{"brand","baseURL","apiKey","webhookSecrets":[…],\
        "mappingFile":"seeds/brands/<brand>/mapping.json"}]}.
        """, valueName: "file"))
    var brands: String? = env("FACET_BRANDS")

    @Option(help: "Seconds between incremental brand syncs (env FACET_SYNC_INTERVAL).")
    var syncInterval: Double = Double(env("FACET_SYNC_INTERVAL") ?? "") ?? 60

    @Option(help: "Seconds between full reconciles with each brand.")
    var reconcileInterval: Double = 86_400

    @Option(help: "Seconds before a brand API request times out (live checks use 1.5).")
    var brandTimeout: Double = 10

    @Option(help: "Seconds a live stock check waits for the brand before answering from the cache.")
    var liveTimeout: Double = 1.5

    @Option(help: ArgumentHelp("Folder that mapping file paths are relative to.", valueName: "dir"))
    var mappingRoot: String = "."

    func validate() throws {
        guard syncInterval >= 0.1 else { throw ValidationError("--sync-interval must be at least 0.1 s.") }
        guard brandTimeout > 0, liveTimeout > 0 else { throw ValidationError("timeouts must be positive.") }
    }

    func apply(to configuration: inout ServerConfiguration) throws {
        if let brands { configuration.brands = try BrandConfig.load(file: URL(fileURLWithPath: brands)) }
        configuration.sourcing.syncInterval = syncInterval
        configuration.sourcing.reconcileInterval = reconcileInterval
        configuration.sourcing.requestTimeout = brandTimeout
        configuration.sourcing.liveTimeout = liveTimeout
        configuration.mappingRoot = URL(fileURLWithPath: mappingRoot, isDirectory: true)
    }
}
