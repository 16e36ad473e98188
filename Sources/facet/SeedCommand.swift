import ArgumentParser
import FacetSeeds
import Foundation

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "The demo world: two brands and a marketplace with rendered product photos.",
        discussion: """
            The demo world lives in seeds/: brands/aurelia/products.json, brands/northbridge/catalog.json, \
            marketplace/listings.json, catalog/images.jsonl (every image with its ground-truth attributes), \
            the POV-Ray scenes in scenes/ and the rendered photos in images/.

            Typical use: `facet seed generate --seed 42`, then `facet seed render` (only missing images), \
            `facet seed stats`, and `facet seed load --data D` for the demo accounts.
            """,
        subcommands: [SeedGenerate.self, SeedRender.self, SeedStats.self, SeedLoad.self, SeedHistory.self])
}

struct SeedGenerate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate the demo world's catalog files from a seed (deterministic).",
        discussion: """
            Writes the two brand catalogs, the marketplace listings and the image index under --out. \
            The same seed always produces byte-identical files. Images are not rendered here: \
            run `facet seed render` afterwards (existing images are kept).
            """)

    @Option(help: "Seed of the world; the committed world uses 42.")
    var seed: UInt64 = 42

    @Option(help: "Seeds directory to write into, relative to the repository root. Image paths in the files start with it.")
    var out: String = "seeds"

    func run() async throws {
        var options = WorldOptions()
        options.pathPrefix = out
        let world = WorldGenerator.generate(seed: seed, options: options)
        let files = try world.write(to: URL(fileURLWithPath: out))
        print("seed \(seed): \(world.aurelia.count) Aurelia products, \(world.northbridge.count) Northbridge items, "
              + "\(world.listings.count) marketplace listings, \(world.images.count) images indexed")
        for f in files { print("  wrote \(f.path)") }
        print("next: facet seed render --out \(out)")
    }
}

struct SeedRender: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render the demo world's photos with POV-Ray (skips images that already exist).",
        discussion: """
            Reads catalog/images.jsonl, writes one scene file per image that includes scenes/facet.inc, \
            the category's scene and scenes/studio.inc, renders it with povray at 320x320 and stores a \
            JPEG (quality 82) under images/. Needs the povray and imagemagick packages. \
            About one second of CPU per image; run it with `nice` on a shared machine.
            """)

    @Option(help: "Seeds directory holding catalog/images.jsonl and scenes/.")
    var out: String = "seeds"

    @Flag(help: "Re-render images that already exist.")
    var force = false

    @Option(help: "Number of povray processes at a time.")
    var jobs: Int = 1

    @Option(help: "Threads per povray process (0: povray's default).")
    var threads: Int = 0

    @Option(help: "Only render images whose path contains this text (e.g. 'aurelia/AUR-R').")
    var only: String?

    @Option(help: "Render at most this many images.")
    var limit: Int?

    @Option(help: "JPEG quality.")
    var quality: Int = 82

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1...100") }
    }

    func run() async throws {
        var options = RenderOptions()
        options.force = force
        options.jobs = jobs
        options.threadsPerJob = jobs > 1 && threads == 0 ? 1 : threads
        options.filter = only
        options.limit = limit
        options.jpegQuality = quality
        let start = Date()
        let report = try SceneRenderer.render(seedsDirectory: URL(fileURLWithPath: out), options: options) { done, total, path in
            if done % 50 == 0 || done == total {
                let elapsed = Date().timeIntervalSince(start)
                let eta = Int(elapsed / Double(done) * Double(total - done))
                print("  \(done)/\(total) \(path)  (\(Int(elapsed)) s, about \(eta) s left)")
            }
        }
        print("rendered \(report.rendered), already present \(report.skipped), failed \(report.failed.count), "
              + "in \(Int(report.seconds)) s")
        for f in report.failed.prefix(20) { print("  failed: \(f)") }
        if !report.failed.isEmpty { throw ExitCode.failure }
    }
}

struct SeedStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count the demo world: products and images per source, per category and per attribute value.")

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @Option(help: "Seeds directory holding catalog/images.jsonl.")
    var seeds: String = "seeds"

    func run() async throws {
        let stats = try WorldStats.compute(seedsDirectory: URL(fileURLWithPath: seeds))
        print(json ? try stats.json() : stats.text())
    }
}

