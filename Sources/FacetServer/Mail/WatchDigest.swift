import FacetStore
import Foundation
import Synchronization

/// At most one e-mail a day per buyer listing what their watched searches found: the live event
/// tells an open page at once; this reaches the buyer who is away.
final class WatchDigest: Sendable {
    let services: Services
    let interval: Duration
    private let loop = Mutex<Task<Void, Never>?>(nil)

    init(services: Services, interval: Duration = .seconds(600)) {
        self.services = services
        self.interval = interval
    }

    func start() {
        let task = Task.detached { [self] in
            while !Task.isCancelled {
                await sendDue()
                try? await Task.sleep(for: interval)
            }
        }
        loop.withLock { $0 = task }
    }

    func stop() { loop.withLock { $0?.cancel(); $0 = nil } }

    /// One message per buyer whose last digest is a day old and who has matches not yet mailed.
    func sendDue(now: Date = Date()) async {
        let store = SavedSearchStore(database: services.database)
        guard let due = try? store.pendingDigests(before: now.addingTimeInterval(-86_400)) else { return }
        for (buyerId, matches) in due where !matches.isEmpty {
            do {
                guard let buyer = try await services.accounts.user(id: buyerId) else { continue }
                let offers = try services.search.offers(ids: matches.map(\.match.offerId))
                let base = services.configuration.resolvedPublicURL
                let lines = matches.map { pair -> String in
                    let title = offers[pair.match.offerId]?.title ?? "A new design"
                    return "- \(pair.saved.name): \(title), \(Int(pair.match.similarity)) % alike — \(base)/offer.html?id=\(pair.match.offerId)"
                }
                try services.mailer.send(MailMessage(to: buyer.email, subject: "New designs for your saved searches", text: """
                    Hello \(buyer.contactName),

                    New pieces in our stock match searches you are watching:

                    \(lines.joined(separator: "\n"))

                    Your saved searches: \(base)/app.html

                    -- Facet
                    """))
                try store.markDigested(buyerId: buyerId, at: now)
            } catch {
                services.logger.warning("watch digest not sent", metadata: ["buyer": "\(buyerId)", "error": "\(error)"])
            }
        }
    }
}
