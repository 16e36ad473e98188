import ArgumentParser
import Foundation
import Synchronization

struct BenchWebSocket: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ws",
        abstract: "Hold N authenticated WebSocket sessions against a running Facet and measure event delivery.",
        discussion: """
            Signs in as a staff account, onboards --accounts buyers (no e-mail sent), opens --connections
            WebSockets that share a few staff sessions and each subscribe to one buyer's topic, then publishes
            --rate notices per second through POST /api/admin/notices for --seconds. Prints sessions held,
            delivery latency p50/p95/p99 (from the request being sent to the event arriving), events lost and
            duplicated, and the server's resident memory per connection (from /api/health).
            Start the server first, e.g. `facet serve --data /tmp/bench-data`, with
            `facet admin create --data /tmp/bench-data --email … --password … --role ops`.
            """)

    @Option(help: "Base URL of the running server.")
    var url: String = "http://127.0.0.1:8080"

    @Option(help: "WebSocket sessions to open.")
    var connections: Int = 1000

    @Option(help: "Events published per second, spread over the topics.")
    var rate: Int = 100

    @Option(help: "Seconds to publish for.")
    var seconds: Int = 10

    @Option(help: "Buyer topics the sessions are spread over (default: connections / 10).")
    var accounts: Int?

    @Option(help: "Staff sessions the connections share.")
    var sessions: Int = 4

    @Option(help: "Staff e-mail (ops or admin).")
    var email: String = "admin@demo.facet.local"

    @Option(help: "Staff password.")
    var password: String = "Admin-demo-2026"

    func validate() throws {
        guard connections > 0, rate > 0, seconds > 0, sessions > 0 else { throw ValidationError("counts must be positive") }
    }

    func run() throws {
        ResourceLimits.raiseOpenFiles()
        guard let parsed = URL(string: url), let host = parsed.host, let port = parsed.port ?? (parsed.scheme == "http" ? 80 : nil) else {
            throw ValidationError("--url must look like http://127.0.0.1:8080")
        }
        let topicCount = max(1, min(accounts ?? connections / 10, connections))
        let setup = HTTPSession(host: host, port: UInt16(port))
        var cookies: [String] = []
        for _ in 0..<sessions {
            let login = HTTPSession(host: host, port: UInt16(port))
            let response = try login.request("POST", "/api/auth/login", json: ["email": email, "password": password])
            guard response.status == 200, let cookie = login.cookie else {
                throw ValidationError("staff sign-in failed (\(response.status)): \(String(decoding: response.body, as: UTF8.self))")
            }
            cookies.append(cookie)
        }
        setup.cookie = cookies[0]
        print("onboarding \(topicCount) buyer accounts…")
        let run = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        var topics: [String] = []
        for i in 0..<topicCount {
            let response = try setup.request("POST", "/api/admin/buyers", json: [
                "email": "bench-\(run)-\(i)@bench.facet.local", "sendInvite": false, "companyName": "Bench \(i)",
                "businessLicense": "BENCH-\(i)", "contactName": "Bench", "phone": "+1 555 0100", "country": "US",
                "businessType": "retailer", "typicalOrderVolume": "1k-10k", "preferredCategories": ["ring"]])
            guard response.status == 201, let user = response.json()?["user"] as? [String: Any], let id = user["id"] as? String else {
                throw ValidationError("creating a bench buyer failed (\(response.status))")
            }
            topics.append("buyer:\(id)")
        }
        let rssBefore = try serverMemory(setup)

        let load = WebSocketLoad(host: host, port: port, connections: connections, topics: topics, cookies: cookies)
        try load.start()
        let connectStart = Date()
        print("opening \(connections) WebSocket sessions…")
        load.service(for: 180) { load.subscribedCount + load.failures >= connections }
        let connectSeconds = Date().timeIntervalSince(connectStart)
        load.service(for: 0.5)
        let rssAfter = try serverMemory(setup)
        var subscribers = [Int](repeating: 0, count: topics.count)
        for client in load.clients where client.subscribed { subscribers[client.topic] += 1 }

        print("publishing \(rate) events/s for \(seconds) s…")
        let publisher = RatePublisher(host: host, port: UInt16(port), cookie: cookies[0], topics: topics, rate: rate, seconds: seconds)
        publisher.start()
        let publishStart = Date()
        // Keep reading until the publisher is done, however far behind schedule it fell.
        load.service(for: Double(seconds) * 10 + 30) { publisher.finished }
        let publishSeconds = Date().timeIntervalSince(publishStart)
        load.service(for: 3)
        publisher.wait()
        let held = load.clients.filter { $0.subscribed && $0.wsi != nil }.count
        let closedEarly = load.closedAfterOpen
        load.stop()

        let published = publisher.publishedPerTopic
        let expected = zip(published, subscribers).reduce(0) { $0 + $1.0 * $1.1 }
        let received = load.clients.reduce(0) { $0 + $1.received }
        let duplicates = load.clients.reduce(0) { $0 + $1.duplicates }
        let sorted = load.latenciesNanos.sorted()
        func percentile(_ p: Double) -> String {
            guard !sorted.isEmpty else { return "n/a" }
            let value = sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
            return String(format: "%.1f ms", Double(value) / 1e6)
        }
        let perConnection = Double(max(0, rssAfter - rssBefore)) / Double(max(1, load.subscribedCount))
        print("""

            Facet WebSocket benchmark against \(url)
            sessions held           \(held) / \(connections)  (opened in \(String(format: "%.1f", connectSeconds)) s; \(load.failures) failed; \(closedEarly) closed early)
            topics                  \(topics.count) buyer topics, \(String(format: "%.1f", Double(load.subscribedCount) / Double(topics.count))) sessions each
            events published        \(publisher.published) (\(publisher.rejected) rejected), asked \(rate)/s for \(seconds) s, achieved \(String(format: "%.0f", Double(publisher.published) / publishSeconds))/s
            deliveries              \(received) of \(expected) expected
            delivery latency        p50 \(percentile(0.50))  p95 \(percentile(0.95))  p99 \(percentile(0.99))  max \(percentile(1.0))
            lost                    \(max(0, expected - received))
            duplicated              \(duplicates)
            server memory           \(String(format: "%.1f", Double(rssAfter - rssBefore) / 1_048_576)) MiB for \(load.subscribedCount) sessions = \(String(format: "%.1f", perConnection / 1024)) KB per connection
            """)
    }

    private func serverMemory(_ session: HTTPSession) throws -> Int {
        let health = try session.request("GET", "/api/health").json()
        return (health?["memory"] as? [String: Any])?["rssBytes"] as? Int ?? 0
    }
}

/// Publishes notices at a fixed rate from a few threads, each on its own keep-alive
/// connection. Titles carry the send time so receivers can compute latency.
final class RatePublisher: @unchecked Sendable {
    let host: String
    let port: UInt16
    let cookie: String
    let topics: [String]
    let rate: Int
    let seconds: Int
    private let state = Mutex<(published: Int, rejected: Int, perTopic: [Int], done: Int)>((0, 0, [], 0))
    private let threads = 8
    private let group = DispatchGroup()

    init(host: String, port: UInt16, cookie: String, topics: [String], rate: Int, seconds: Int) {
        self.host = host
        self.port = port
        self.cookie = cookie
        self.topics = topics
        self.rate = rate
        self.seconds = seconds
        state.withLock { $0.perTopic = [Int](repeating: 0, count: topics.count) }
    }

    var published: Int { state.withLock { $0.published } }
    var rejected: Int { state.withLock { $0.rejected } }
    var publishedPerTopic: [Int] { state.withLock { $0.perTopic } }
    var finished: Bool { state.withLock { $0.done == threads } }

    func start() {
        let total = rate * seconds
        let start = DispatchTime.now().uptimeNanoseconds
        for t in 0..<threads {
            group.enter()
            Thread.detachNewThread { [self] in
                let session = HTTPSession(host: host, port: port)
                session.cookie = cookie
                var k = t
                while k < total {
                    let due = start + UInt64(Double(k) / Double(rate) * 1e9)
                    let now = DispatchTime.now().uptimeNanoseconds
                    if due > now { usleep(UInt32((due - now) / 1000)) }
                    let topic = k % topics.count
                    let sent = DispatchTime.now().uptimeNanoseconds
                    let ok = (try? session.request("POST", "/api/admin/notices", json: [
                        "topic": topics[topic], "title": "bench \(sent)", "body": "benchmark event \(k)"]))?.status == 202
                    state.withLock {
                        if ok { $0.published += 1; $0.perTopic[topic] += 1 } else { $0.rejected += 1 }
                    }
                    k += threads
                }
                state.withLock { $0.done += 1 }
                group.leave()
            }
        }
    }

    func wait() { group.wait() }
}
