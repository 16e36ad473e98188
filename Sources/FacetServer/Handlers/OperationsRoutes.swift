import FacetCore
import FacetHTTP
import FacetOperations
import FacetSearch
import FacetSourcing
import FacetStore
import Foundation

/// The operations console (docs/operations.md): the dashboard, analytics, approvals, the audit
/// log, buyers, and (admins only) staff accounts.
enum OperationsRoutes {
    static func register(_ routes: Routes) {
        let staff = routes.staff
        staff.get("/api/admin/dashboard", dashboard)
        staff.get("/api/admin/analytics/:report", analytics)
        staff.get("/api/admin/approvals", approvals)
        staff.post("/api/admin/approvals/:id/approve", approve)
        staff.post("/api/admin/approvals/:id/reject", reject)
        staff.get("/api/admin/approval-policies", policies)
        staff.put("/api/admin/approval-policies/:brand", setPolicy)
        staff.get("/api/admin/audit", audit)
        staff.get("/api/admin/buyers/:id", buyer)
        staff.patch("/api/admin/buyers/:id", updateBuyer)
        routes.admin.get("/api/admin/staff", staffList)
        routes.admin.post("/api/admin/staff", inviteStaff)
        routes.admin.patch("/api/admin/staff/:id", updateStaff)
        routes.verifiedBuyer.post("/api/searches/:id/feedback", resultFeedback)
    }

    // MARK: dashboard

    struct Tile: Encodable {
        let name: String
        let state: TileState
        let detail: [String: Detail]
    }

    /// A tile's figure: a number, a text, a time, or nothing known yet.
    enum Detail: Encodable {
        case number(Double), text(String), flag(Bool), time(Date), none
        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case let .number(n): try c.encode(n)
            case let .text(t): try c.encode(t)
            case let .flag(b): try c.encode(b)
            case let .time(d): try c.encode(JSONCoding.iso8601(d))
            case .none: try c.encodeNil()
            }
        }
    }

    struct Health: Encodable {
        let state: TileState
        let brands: [Tile]
        let marketplace: Tile
        let search: Tile
        let realtime: Tile
        let database: Tile
    }

    struct Dashboard: Encodable { let work: Operations.Work; let health: Health; let thresholds: HealthThresholds; let at: Date }

    @Sendable static func dashboard(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let services = context.services
        let t = services.configuration.healthThresholds
        let now = Date()
        var brands: [Tile] = []
        for h in try services.sourcing?.monitor.health() ?? [] {
            let lag = TileState.rising(Double(h.lagSeconds ?? Int.max), amber: Double(t.syncLagAmberSeconds), red: Double(t.syncLagRedSeconds))
            let errors = TileState.rising(Double(h.errors24h), amber: Double(t.syncErrorsAmber), red: Double(t.syncErrorsRed))
            brands.append(Tile(name: h.name, state: max(lag, errors), detail: [
                "brand": .text(h.brand), "lastSuccessAt": h.lastSuccessAt.map(Detail.time) ?? .none,
                "lagSeconds": h.lagSeconds.map { .number(Double($0)) } ?? .none, "errors24h": .number(Double(h.errors24h)),
                "products": .number(Double(h.products)), "activeProducts": .number(Double(h.activeProducts)),
                "lastError": h.lastError.map(Detail.text) ?? .none,
            ]))
        }
        let sources = services.marketplace?.status() ?? []
        let requests = sources.reduce(0) { $0 + $1.requests }
        let failed = sources.filter { $0.lastError != nil }.count
        let success = requests == 0 ? 1 : Double(max(0, requests - failed)) / Double(requests)
        let paused = sources.compactMap(\.pausedUntil).filter { $0 > now }.max()
        let index = services.search.indexStatus
        let marketplaceState: TileState = services.marketplace == nil ? .ok
            : max(paused == nil ? .ok : .amber, TileState.falling(success, amber: t.marketplaceSuccessAmber, red: t.marketplaceSuccessRed))
        let marketplace = Tile(name: "Marketplace", state: marketplaceState, detail: [
            "configured": .flag(services.marketplace != nil),
            "state": .text(services.marketplace == nil ? "off" : paused == nil ? "running" : "paused"),
            "pausedUntil": paused.map(Detail.time) ?? .none, "fetchSuccessRate": .number(success),
            "lastAlert": sources.compactMap(\.lastError).first.map(Detail.text) ?? .none,
            "knownListings": .number(Double((try? services.marketplace?.knownListings().count) ?? 0)),
        ])
        let activity = try services.operations.searchActivity(now: now)
        let searchState = max(TileState.rising(activity.p95Seconds ?? 0, amber: t.searchP95AmberSeconds, red: t.searchP95RedSeconds),
                              TileState.rising(Double(index.queuedJobs), amber: Double(t.queueAmber), red: Double(t.queueRed)),
                              services.search.embedderWarning == nil ? .ok : .amber)
        let search = Tile(name: "Search", state: searchState, detail: [
            "searchesLastHour": .number(Double(activity.lastHour)), "p95Seconds": activity.p95Seconds.map(Detail.number) ?? .none,
            "queueDepth": .number(Double(index.queuedJobs)), "indexImages": .number(Double(index.images)),
            "indexItems": .number(Double(index.items)), "embedder": .text(services.search.embedderIdentifier),
            "embedderWarning": services.search.embedderWarning.map(Detail.text) ?? .none,
        ])
        let sessions = services.webSockets.withLock { $0 }()
        let realtime = Tile(name: "Realtime", state: .ok, detail: ["sessions": .number(Double(sessions))])
        let backup = DataBackup.lastBackup(data: services.configuration.dataDirectory)
        let age = backup.map { now.timeIntervalSince($0.createdAt) / 3600 } ?? .infinity
        // Never backed up is a warning, not a failure: a new installation starts there.
        let backupState = backup == nil ? TileState.amber : TileState.rising(age, amber: t.backupAgeAmberHours, red: t.backupAgeRedHours)
        let database = Tile(name: "Database", state: backupState, detail: [
            "bytes": .number(Double(services.operations.databaseBytes)), "lastBackupAt": backup.map { .time($0.createdAt) } ?? .none,
        ])
        let all = brands.map(\.state) + [marketplace.state, search.state, database.state]
        let health = Health(state: all.max() ?? .ok, brands: brands, marketplace: marketplace, search: search, realtime: realtime, database: database)
        return .json(Dashboard(work: try services.operations.work(now: now), health: health, thresholds: t, at: now))
    }

    // MARK: analytics

    @Sendable static func analytics(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let name = context.parameter("report")
        guard let kind = AnalyticsKind(rawValue: name) else {
            throw DomainError(.notFound, code: "not_found", "No report \(name); reports are \(AnalyticsKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        var category: Category?
        if let raw = context.query("category") {
            guard let c = Category(rawValue: raw) else { throw DomainError.invalid("category", "Unknown category \(raw.prefix(40)).") }
            category = c
        }
        let report = try context.services.operations.analytics(kind, .init(from: try QueryValues.date(context, "from"),
                                                                          to: try QueryValues.date(context, "to", throughDay: true), category: category))
        switch context.query("format") {
        case nil, "", "json":
            return .json(report)
        case "csv":
            let table = context.query("table")
            let csv = try report.csv(table: table)
            let file = "\(name)-\(table ?? report.tables.first?.name ?? "report").csv"
            return HTTPResponse(status: 200, contentType: "text/csv; charset=utf-8",
                                headers: [("content-disposition", "attachment; filename=\"\(file)\"")], body: Array(csv.utf8))
        default:
            throw DomainError.invalid("format", "format is json or csv.")
        }
    }

    // MARK: approvals

    @Sendable static func approvals(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let status = context.query("status")
        if let status, !["pending", "approved", "rejected"].contains(status) {
            throw DomainError.invalid("status", "status is pending, approved or rejected.")
        }
        return .json(["approvals": try context.services.operations.approvals(status: status)])
    }

    struct Decision: Decodable { let reason: String?; let corrections: [String: String]? }

    @Sendable static func approve(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let input = try QuoteRoutes.optionalBody(context, Decision.self) ?? Decision(reason: nil, corrections: nil)
        let view = try context.services.operations.decide(id: context.parameter("id"), approve: true, reason: input.reason,
                                                          corrections: input.corrections ?? [:], by: staff)
        // An approved product may now be offered: carts and searches pick it up from the store.
        return .json(["approval": view])
    }

    @Sendable static func reject(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Decision.self)
        return .json(["approval": try context.services.operations.decide(id: context.parameter("id"), approve: false, reason: input.reason,
                                                                         corrections: input.corrections ?? [:], by: staff)])
    }

    static func brandNames(_ context: RequestContext) -> [String] { context.services.configuration.brands.map(\.brand) }

    @Sendable static func policies(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        .json(["policies": try context.services.operations.policies(brands: brandNames(context))])
    }

    struct PolicyInput: Decodable { let policy: ApprovalPolicy }

    @Sendable static func setPolicy(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(PolicyInput.self)
        return .json(["policy": try context.services.operations.setPolicy(brand: context.parameter("brand"), input.policy,
                                                                          known: brandNames(context), by: staff)])
    }

    // MARK: audit, buyers, staff

    @Sendable static func audit(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let limit = try QueryValues.integer(context, "limit", in: 1...2000) ?? 500
        let entries = try context.services.operations.auditLog(actor: context.query("actor").flatMap { $0.isEmpty ? nil : $0 },
                                                               kind: context.query("kind").flatMap { $0.isEmpty ? nil : $0 },
                                                               from: try QueryValues.date(context, "from"),
                                                               to: try QueryValues.date(context, "to", throughDay: true), limit: limit)
        return .json(["entries": entries])
    }

    @Sendable static func buyer(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        .json(try context.services.operations.buyer(id: context.parameter("id")))
    }

    @Sendable static func updateBuyer(_ context: RequestContext, _ staff: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Operations.BuyerUpdate.self)
        let detail = try context.services.operations.updateBuyer(id: context.parameter("id"), input, by: staff)
        if input.suspended == true { context.services.sessions.evict(userId: context.parameter("id")) }
        return .json(detail)
    }

    @Sendable static func staffList(_ context: RequestContext, _ admin: UserRecord) async throws -> HTTPResponse {
        .json(["staff": try context.services.operations.staff()])
    }

    struct Invite: Decodable { let email: String; let contactName: String; let role: Role }

    /// An admin invites a colleague: the account exists at once, without a password, and the
    /// colleague chooses one from the e-mailed link.
    @Sendable static func inviteStaff(_ context: RequestContext, _ admin: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Invite.self)
        guard let email = AccountRules.normalisedEmail(input.email) else { throw DomainError.invalid("email", "Give a valid e-mail address.") }
        guard input.role != .buyer else { throw DomainError.invalid("role", "role is ops or admin.") }
        let name = try AccountRules.requiredText(input.contactName, field: "contactName", maxLength: 120)
        if try await context.services.accounts.user(email: email) != nil {
            throw DomainError.conflict("email_taken", "An account with this e-mail exists.")
        }
        let now = Date()
        let user = UserRecord(id: Identifier.make("u"), email: email, passwordHash: "!", role: input.role, verifiedAt: now, companyName: "Facet",
                              businessLicense: "-", contactName: name, phone: "-", country: "-", businessType: .other,
                              typicalOrderVolume: .under1k, preferredCategories: [], createdAt: now, updatedAt: now)
        try await context.services.accounts.create(user)
        _ = try context.services.publisher.transaction { db, events in
            events.append(try context.services.operations.audit(db, actor: admin, kind: "staff.invite", subject: user.id,
                                                                summary: "Invited \(email) as \(input.role.rawValue)", at: now))
        }
        let token = try await context.services.accounts.issueToken(userId: user.id, purpose: .reset, lifetime: 7 * 24 * 3600)
        try context.services.mailer.send(MailMessage(to: email, subject: "You are invited to Facet's operations console", text: """
            Hello \(name),

            \(admin.contactName) invited you to Facet as \(input.role.rawValue). Choose your password here:

            \(context.services.configuration.resolvedPublicURL)/reset.html?token=\(token)

            The link expires in 7 days.

            -- Facet
            """))
        let row = try context.services.operations.staff().first { $0.id == user.id }
        return .json(201, ["staff": row])
    }

    @Sendable static func updateStaff(_ context: RequestContext, _ admin: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Operations.StaffUpdate.self)
        let row = try context.services.operations.updateStaff(id: context.parameter("id"), input, by: admin)
        context.services.sessions.evict(userId: row.id)
        return .json(["staff": row])
    }

    struct Vote: Decodable { let offerId: String; let vote: Int }
    struct VoteRecorded: Encodable { let searchId: String; let offerId: String; let vote: Int }

    /// A buyer's thumbs up (1) or down (-1) on one result; 0 takes it back.
    @Sendable static func resultFeedback(_ context: RequestContext, _ buyer: UserRecord) async throws -> HTTPResponse {
        let input = try context.body(Vote.self)
        guard [-1, 0, 1].contains(input.vote) else { throw DomainError.invalid("vote", "vote is 1 (useful), -1 (not useful) or 0 (clear).") }
        let record = try SearchRoutes.visible(context, buyer, context.parameter("id"))
        let view = context.services.search.view(record)
        // Any design the search showed: the headline, or further down the ranked list ("show more").
        guard ([view.exactMatch].compactMap { $0 } + view.alternatives + record.rankedOffers).contains(where: { $0.id == input.offerId }) else {
            throw DomainError.invalid("offerId", "This design is not among the search's results.")
        }
        try await context.services.database.writer.write { db in
            if input.vote == 0 {
                try db.execute(sql: "DELETE FROM resultFeedback WHERE searchId = ? AND offerId = ?", arguments: [record.id, input.offerId])
            } else {
                try db.execute(sql: """
                    INSERT INTO resultFeedback (searchId, offerId, buyerId, vote, at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(searchId, offerId) DO UPDATE SET vote = excluded.vote, at = excluded.at
                    """, arguments: [record.id, input.offerId, buyer.id, input.vote, Date()])
            }
        }
        return .json(VoteRecorded(searchId: record.id, offerId: input.offerId, vote: input.vote))
    }
}
