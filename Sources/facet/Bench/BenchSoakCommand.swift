import ArgumentParser
import FacetCore
import FacetStore
import Foundation
import Synchronization

struct BenchSoak: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Steady load on a running Facet for M minutes: searches, WebSockets and writes; prints RSS over time, errors and p95.",
        discussion: """
            Against a running server (e.g. `facet demo --data D`): creates --buyers soak buyers directly in D's \
            database, holds --sockets WebSocket sessions subscribed to their topics, uploads one search every \
            --search-every seconds (rotating buyers and demo photos) and follows it to done, and publishes \
            --writes notices per second (each stored in the event log and fanned out to the sockets). Every \
            --sample seconds it prints the server's resident memory (from /api/health); at the end, errors, \
            p95 of upload-to-done and of event delivery, and the memory drift between the first and last minute.
            """)

    @Option(help: "Base URL of the running server.")
    var url: String = "http://127.0.0.1:8300"

    @OptionGroup var data: DataOption

    @Option(help: "Minutes to run.")
    var minutes: Double = 5

    @Option(help: "WebSocket sessions to hold.")
    var sockets: Int = 200

    @Option(help: "Seconds between search uploads.")
    var searchEvery: Double = 1

    @Option(help: "Notices published per second (writes).")
    var writes: Int = 5

    @Option(help: "Soak buyers (each may have 3 searches in flight).")
    var buyers: Int = 6

    @Option(help: "Seconds between memory samples.")
    var sample: Double = 10

    @Option(help: "Staff e-mail (ops or admin) that publishes and holds the WebSocket sessions.")
    var email: String = "admin@demo.facet.local"

    @Option(help: "Staff password.")
    var password: String = "Admin-demo-2026"

    func validate() throws {
        guard minutes > 0, sockets > 0, searchEvery > 0, writes > 0, buyers > 0, sample > 0 else {
            throw ValidationError("every figure must be positive")
        }
    }

    func run() throws {
        ResourceLimits.raiseOpenFiles()
        guard let parsed = URL(string: url), let host = parsed.host, let port = parsed.port else {
            throw ValidationError("--url must look like http://127.0.0.1:8300")
        }
        let seconds = Int((minutes * 60).rounded())
        let staff = HTTPSession(host: host, port: UInt16(port))
        guard try staff.request("POST", "/api/auth/login", json: ["email": email, "password": password]).status == 200,
              let staffCookie = staff.cookie else { throw ValidationError("staff sign-in failed") }

        // Soak buyers straight into the database (WAL: the running server does not mind).
        let database = try FacetDatabase(dataDirectory: data.url)
        let soakPassword = "Soak-buyer-2026"
        var buyerSessions: [(cookie: String, id: String)] = []
        for i in 0..<buyers {
            let address = "soak-\(i)@bench.facet.local"
            _ = try blocking { try await StaffAccounts.upsert(database: database, email: address, password: soakPassword,
                                                              role: .buyer, name: "Soak \(i)", company: "Soak Jewels") }
            let session = HTTPSession(host: host, port: UInt16(port))
            let login = try session.request("POST", "/api/auth/login", json: ["email": address, "password": soakPassword])
            guard login.status == 200, let cookie = session.cookie, let user = login.json()?["user"] as? [String: Any],
                  let id = user["id"] as? String else { throw ValidationError("soak buyer sign-in failed (\(login.status))") }
            buyerSessions.append((cookie, id))
        }
        let photos = try SoakPhotos.load(count: 24)
        let soakBuyers = buyerSessions

        let load = WebSocketLoad(host: host, port: port, connections: sockets,
                                 topics: soakBuyers.map { "buyer:\($0.id)" }, cookies: [staffCookie])
        try load.start()
        load.service(for: 60) { load.subscribedCount + load.failures >= sockets }

        let stop = Atomic<Bool>(false)
        let searches = SoakSearches()
        let searchThread = Thread {
            var k = 0
            let started = Date()
            while !stop.load(ordering: .relaxed) {
                let due = started.addingTimeInterval(Double(k) * searchEvery)
                if due > Date() { Thread.sleep(until: due) }
                let buyer = soakBuyers[k % soakBuyers.count]
                let photo = photos[k % photos.count]
                Thread.detachNewThread { searches.run(host: host, port: UInt16(port), cookie: buyer.cookie, photo: photo) }
                k += 1
            }
        }
        searchThread.start()
        let publisher = RatePublisher(host: host, port: UInt16(port), cookie: staffCookie,
                                      topics: soakBuyers.map { "buyer:\($0.id)" }, rate: writes, seconds: seconds)
        publisher.start()

        let probe = HTTPSession(host: host, port: UInt16(port))
        func rss() -> Int {
            ((try? probe.request("GET", "/api/health"))?.json()?["memory"] as? [String: Any])?["rssBytes"] as? Int ?? 0
        }
        var samples: [(Double, Int)] = [(0, rss())]
        print("  t (s)   RSS (MB)   searches   errors  sockets")
        let begin = Date()
        while Date().timeIntervalSince(begin) < Double(seconds) {
            load.service(for: min(sample, Double(seconds) - Date().timeIntervalSince(begin)))
            let t = Date().timeIntervalSince(begin)
            let now = rss()
            samples.append((t, now))
            let (done, errors) = searches.counts
            print(String(format: "%7.0f  %9.1f  %9d  %7d  %d", t, Double(now) / 1_048_576, done, errors,
                         load.clients.filter { $0.subscribed && $0.wsi != nil }.count))
        }
        stop.store(true, ordering: .relaxed)
        load.service(for: 10) { publisher.finished && searches.inFlight == 0 }
        publisher.wait()
        let held = load.clients.filter { $0.subscribed && $0.wsi != nil }.count
        let closedEarly = load.closedAfterOpen
        load.stop()

        let (done, errors) = searches.counts
        let doneTimes = searches.durations.sorted()
        let delivery = load.latenciesNanos.sorted()
        func p95<T: BinaryInteger>(_ values: [T]) -> Double { values.isEmpty ? .nan : Double(values[min(values.count - 1, Int(Double(values.count) * 0.95))]) }
        func p95(_ values: [Double]) -> Double { values.isEmpty ? .nan : values[min(values.count - 1, Int(Double(values.count) * 0.95))] }
        let firstMinute = samples.filter { $0.0 <= 60 }.map(\.1)
        let lastMinute = samples.filter { $0.0 >= Double(seconds) - 60 }.map(\.1)
        let drift = Double((lastMinute.max() ?? 0) - (firstMinute.max() ?? 0)) / 1_048_576
        print("""

            Facet soak against \(url), \(String(format: "%.1f", minutes)) min
            searches          \(done) done, \(errors) errors (\(searches.refused) refused 429/503), upload to done p95 \(String(format: "%.2f", p95(doneTimes))) s
            writes            \(publisher.published) notices, \(publisher.rejected) rejected; delivery p95 \(String(format: "%.1f", p95(delivery) / 1e6)) ms
            websockets        \(held) / \(sockets) held at the end (\(load.failures) failed, \(closedEarly) closed early)
            memory            RSS \(String(format: "%.0f", Double(samples.first?.1 ?? 0) / 1_048_576)) MB at start, max \(String(format: "%.0f", Double(samples.map(\.1).max() ?? 0) / 1_048_576)) MB, \(String(format: "%.0f", Double(samples.last?.1 ?? 0) / 1_048_576)) MB at end; last minute vs first minute \(String(format: "%+.1f", drift)) MB
            """)
    }
}

/// Runs `body` to completion from synchronous code.
private func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let result = Mutex<Result<T, Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let value: Result<T, Error>
        do { value = .success(try await body()) } catch { value = .failure(error) }
        result.withLock { $0 = value }
        done.signal()
    }
    done.wait()
    return try result.withLock { $0! }.get()
}

/// Demo marketplace photos as 640 px JPEGs, the size a phone upload is after the browser scales it.
enum SoakPhotos {
    static func load(count: Int) throws -> [(bytes: Data, category: String)] {
        let seeds = URL(fileURLWithPath: "seeds/marketplace/listings.json")
        guard let json = try JSONSerialization.jsonObject(with: Data(contentsOf: seeds)) as? [String: Any],
              let listings = json["listings"] as? [[String: Any]] else { throw ValidationError("run from the repository root (seeds/)") }
        let step = max(1, listings.count / count)
        return try stride(from: 0, to: listings.count, by: step).prefix(count).compactMap { i -> (Data, String)? in
            guard let path = listings[i]["mainImage"] as? String, let category = listings[i]["category"] as? String else { return nil }
            return (try Data(contentsOf: URL(fileURLWithPath: path)), category)
        }
    }
}

/// Searches in flight and their outcomes.
final class SoakSearches: @unchecked Sendable {
    private let state = Mutex<(done: Int, errors: Int, refused: Int, inFlight: Int, durations: [Double])>((0, 0, 0, 0, []))

    var counts: (Int, Int) { state.withLock { ($0.done, $0.errors) } }
    var refused: Int { state.withLock { $0.refused } }
    var inFlight: Int { state.withLock { $0.inFlight } }
    var durations: [Double] { state.withLock { $0.durations } }

    func run(host: String, port: UInt16, cookie: String, photo: (bytes: Data, category: String)) {
        state.withLock { $0.inFlight += 1 }
        defer { state.withLock { $0.inFlight -= 1 } }
        let session = HTTPSession(host: host, port: port)
        session.cookie = cookie
        let boundary = "soak\(UInt32.random(in: 0...UInt32.max))"
        var body = Data()
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\n\(photo.category)\r\n".utf8))
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"image\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".utf8))
        body.append(photo.bytes)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        let began = Date()
        guard let created = try? session.request("POST", "/api/searches", body: body, contentType: "multipart/form-data; boundary=\(boundary)") else {
            state.withLock { $0.errors += 1 }
            return
        }
        if created.status == 429 || created.status == 503 { state.withLock { $0.refused += 1 }; return }
        guard created.status == 202, let id = created.json()?["id"] as? String else { state.withLock { $0.errors += 1 }; return }
        while Date().timeIntervalSince(began) < 120 {
            Thread.sleep(forTimeInterval: 0.25)
            guard let view = try? session.request("GET", "/api/searches/\(id)"), view.status == 200 else { continue }
            if (view.json()?["stage"] as? String) == "done" {
                let ok = (view.json()?["status"] as? String) == "done"
                state.withLock { if ok { $0.done += 1; $0.durations.append(Date().timeIntervalSince(began)) } else { $0.errors += 1 } }
                return
            }
        }
        state.withLock { $0.errors += 1 }
    }
}
