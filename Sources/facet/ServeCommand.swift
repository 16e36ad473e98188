import ArgumentParser
import FacetCore
import FacetHTTP
import FacetServer
import FacetVision
import Foundation
import Logging

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the web app, the JSON API under /api and the WebSocket at /ws.",
        discussion: "Every flag also reads an environment variable (FACET_HOST, FACET_PORT, FACET_DATA, FACET_WEB, FACET_PUBLIC_URL, FACET_SMTP_URL). SIGINT or SIGTERM stops it after in-flight responses are written.")

    @Option(help: "Address to listen on (env FACET_HOST).")
    var host: String = env("FACET_HOST") ?? "127.0.0.1"

    @Option(help: "TCP port (env FACET_PORT).")
    var port: Int = Int(env("FACET_PORT") ?? "") ?? 8080

    @OptionGroup var data: DataOption

    @Option(help: ArgumentHelp("Folder of static web files (env FACET_WEB).", valueName: "dir"))
    var web: String = env("FACET_WEB") ?? "./web"

    @Option(help: ArgumentHelp("Base URL used in e-mailed links (env FACET_PUBLIC_URL); default http://host:port.", valueName: "url"))
    var publicURL: String? = env("FACET_PUBLIC_URL")

    @Option(help: ArgumentHelp("Send mail through this SMTP server too, e.g. smtp://127.0.0.1:2525 (env FACET_SMTP_URL).", valueName: "url"))
    var smtpURL: String? = env("FACET_SMTP_URL")

    @Option(help: ArgumentHelp("PEM certificate: serve HTTPS and WSS.", valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("PEM private key for --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Option(help: "libev (epoll: cheap wake-ups with thousands of WebSockets; the default) or poll (libwebsockets' own loop) (env FACET_EVENT_LOOP).")
    var eventLoop: TransportConfiguration.EventLoop = TransportConfiguration.EventLoop(rawValue: env("FACET_EVENT_LOOP") ?? "") ?? .libev

    @Option(help: ArgumentHelp("Similarity (%) from which a stocked item is shown as the exact match, 90 to 99.9 (env FACET_EXACT_THRESHOLD).",
                               valueName: "percent"))
    var exactThreshold: Double = Double(env("FACET_EXACT_THRESHOLD") ?? "") ?? ExactMatch.defaultThreshold

    @Option(help: ArgumentHelp("A reverse proxy's address whose X-Forwarded-For names the client; repeat for several (env FACET_TRUSTED_PROXY, comma-separated). Without it the header is ignored.",
                               valueName: "address"))
    var trustedProxy: [String] = (env("FACET_TRUSTED_PROXY") ?? "").split(separator: ",").map { String($0) }

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @OptionGroup var brands: BrandOptions

    @OptionGroup var marketplace: MarketplaceOptions

    @OptionGroup var embedding: EmbedderOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535.") }
        guard ExactMatch.allowedThresholds.contains(exactThreshold) else {
            throw ValidationError("--exact-threshold must be between \(ExactMatch.allowedThresholds.lowerBound) and \(ExactMatch.allowedThresholds.upperBound).")
        }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together.") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: web, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--web \(web) is not a folder.")
        }
    }

    func run() throws {
        CommandLogging.bootstrap(level: logLevel)
        let logger = Logger(label: "facet")
        ResourceLimits.raiseOpenFiles()
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.dataDirectory = data.url
        configuration.webRoot = URL(fileURLWithPath: web, isDirectory: true).standardizedFileURL
        configuration.publicURL = publicURL
        configuration.smtpURL = smtpURL
        configuration.tlsCertificate = tlsCert
        configuration.tlsPrivateKey = tlsKey
        configuration.eventLoop = eventLoop
        configuration.trustedProxies = Set(trustedProxy.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        configuration.search.matcher.exactThreshold = exactThreshold
        try embedding.configure(&configuration.search)
        try brands.apply(to: &configuration)
        marketplace.apply(to: &configuration)
        let server = try FacetServer(configuration: configuration, logger: logger)
        try server.start()
        // Under libev the event loop owns SIGINT (lws routes it to the server's stop).
        let handled = eventLoop == .libev ? [SIGTERM] : [SIGINT, SIGTERM]
        let signals = handled.map { signal -> DispatchSourceSignal in
            Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                logger.info("stopping: finishing in-flight responses")
                server.stop()
            }
            source.resume()
            return source
        }
        FileHandle.standardOutput.write(Data("Facet listening on \(configuration.resolvedPublicURL)\n".utf8))
        server.waitUntilStopped()
        signals.forEach { $0.cancel() }
        logger.info("stopped")
    }
}

extension TransportConfiguration.EventLoop: ExpressibleByArgument {}

func env(_ name: String) -> String? {
    ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
}

enum ResourceLimits {
    /// Each WebSocket is a descriptor; the default soft limit of 1024 would cap sessions.
    static func raiseOpenFiles() {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }
}
