import FacetCore
import FacetStore
import Foundation
import GRDB

/// The four analytics reports. Each is a set of small tables (what a chart draws and a CSV
/// exports), filtered by a date range on when things happened and by category.
public struct AnalyticsReport: Encodable, Sendable {
    public struct Table: Encodable, Sendable {
        public let name: String
        public let columns: [String]
        public let rows: [[Cell]]
    }

    /// A number or a label.
    public enum Cell: Encodable, Sendable, Equatable {
        case text(String), number(Double)
        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case let .text(t): try c.encode(t)
            case let .number(n): n.rounded() == n && abs(n) < 1e15 ? try c.encode(Int64(n)) : try c.encode((n * 10_000).rounded() / 10_000)
            }
        }
        var csv: String {
            switch self {
            case let .text(t):
                return t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : t
            case let .number(n): return n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(format: "%.4f", n)
            }
        }
    }

    public let report: String
    public let from: Date?
    public let to: Date?
    public let category: Category?
    public let tables: [Table]

    /// One table as CSV (the first when none is named).
    public func csv(table name: String?) throws -> String {
        guard let table = name.map({ n in tables.first { $0.name == n } }) ?? tables.first else {
            throw DomainError.invalid("table", "table is one of \(tables.map(\.name).joined(separator: ", ")).")
        }
        var lines = [table.columns.joined(separator: ",")]
        lines += table.rows.map { $0.map(\.csv).joined(separator: ",") }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

public enum AnalyticsKind: String, CaseIterable, Sendable {
    case demand
    case matchQuality = "match-quality"
    case sales, supply
}

extension Operations {
    public struct Range: Sendable {
        public var from: Date?
        public var to: Date?
        public var category: Category?
        public init(from: Date?, to: Date?, category: Category?) {
            self.from = from
            self.to = to
            self.category = category
        }
        /// SQL for "column within the range" (and the category, when the table has one).
        func filter(_ column: String, category categoryColumn: String? = nil) -> (String, StatementArguments) {
            var clauses = ["1 = 1"]
            var args = StatementArguments()
            if let from { clauses.append("\(column) >= ?"); _ = args.append(contentsOf: [from]) }
            if let to { clauses.append("\(column) < ?"); _ = args.append(contentsOf: [to]) }
            if let category, let categoryColumn { clauses.append("\(categoryColumn) = ?"); _ = args.append(contentsOf: [category.rawValue]) }
            return (clauses.joined(separator: " AND "), args)
        }
    }

    public func analytics(_ kind: AnalyticsKind, _ range: Range) throws -> AnalyticsReport {
        let tables = try database.read { db -> [AnalyticsReport.Table] in
            switch kind {
            case .demand: return try Self.demand(db, range)
            case .matchQuality: return try Self.matchQuality(db, range)
            case .sales: return try Self.sales(db, range)
            case .supply: return try Self.supply(db, range)
            }
        }
        return AnalyticsReport(report: kind.rawValue, from: range.from, to: range.to, category: range.category, tables: tables)
    }

    static func counted(_ db: Database, name: String, label: String, sql: String, _ args: StatementArguments) throws -> AnalyticsReport.Table {
        let rows = try Row.fetchAll(db, sql: sql, arguments: args).map { row -> [AnalyticsReport.Cell] in
            [.text((row["label"] as String?) ?? "unknown"), .number(Double(row["n"] as Int))]
        }
        return .init(name: name, columns: [label, "searches"], rows: rows)
    }

    // MARK: demand

    static let priceBands: [(label: String, below: Int64)] = [
        ("under 50", 5_000), ("50–100", 10_000), ("100–250", 25_000), ("250–500", 50_000), ("500–1,000", 100_000), ("1,000 and over", .max),
    ]

    /// Quote totals (major units) for "price point effectiveness".
    static let quoteBands: [(label: String, below: Int64)] = [
        ("under 500", 50_000), ("500–1,000", 100_000), ("1,000–2,500", 250_000), ("2,500–5,000", 500_000), ("5,000–10,000", 1_000_000),
        ("10,000 and over", .max),
    ]

    static func demand(_ db: Database, _ range: Range) throws -> [AnalyticsReport.Table] {
        let (where_, args) = range.filter("createdAt", category: "category")
        var tables = [try counted(db, name: "searches_per_day", label: "day",
                                  sql: "SELECT substr(createdAt, 1, 10) AS label, count(*) AS n FROM search WHERE \(where_) GROUP BY label ORDER BY label", args)]
        tables.append(try counted(db, name: "categories", label: "category",
                                  sql: "SELECT category AS label, count(*) AS n FROM search WHERE \(where_) GROUP BY label ORDER BY n DESC, label", args))
        for (name, key) in [("metals", "metal"), ("styles", "style"), ("stones", "stones"), ("stone_colours", "stoneColour")] {
            tables.append(try counted(db, name: name, label: key, sql: """
                SELECT json_extract(attributes, '$.values.\(key).value') AS label, count(*) AS n FROM search
                WHERE \(where_) AND attributes IS NOT NULL AND label IS NOT NULL AND label != 'unknown'
                GROUP BY label ORDER BY n DESC, label
                """, args))
        }
        var bands = Dictionary(uniqueKeysWithValues: priceBands.map { ($0.label, 0) })
        var none = 0
        for amount in try Int64?.fetchAll(db, sql: "SELECT maxPriceAmount FROM search WHERE \(where_)", arguments: args) {
            guard let amount else { none += 1; continue }
            bands[priceBands.first { amount < $0.below }!.label, default: 0] += 1
        }
        tables.append(.init(name: "price_limits", columns: ["band", "searches"],
                            rows: priceBands.map { [.text($0.label), .number(Double(bands[$0.label] ?? 0))] } + [[.text("no limit"), .number(Double(none))]]))
        return tables
    }

    // MARK: match quality

    static func offerIds(_ json: String?) -> [String] {
        guard let json, let data = json.data(using: .utf8) else { return [] }
        if let array = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] { return array.compactMap { $0["id"] as? String } }
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let id = object["id"] as? String { return [id] }
        return []
    }

    static func matchQuality(_ db: Database, _ range: Range) throws -> [AnalyticsReport.Table] {
        let (where_, args) = range.filter("createdAt", category: "category")
        let carted = Set(try String.fetchAll(db, sql: "SELECT offerId FROM cartLine UNION SELECT offerId FROM wishlistItem"))
        var quoted = Set<String>()
        for request in try String.fetchAll(db, sql: "SELECT request FROM quote") {
            if let data = request.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let lines = object["lines"] as? [[String: Any]] { quoted.formUnion(lines.compactMap { $0["offerId"] as? String }) }
        }
        var votes: [String: (up: Int, down: Int)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT searchId, vote FROM resultFeedback") {
            let id: String = row["searchId"]
            if (row["vote"] as Int) > 0 { votes[id, default: (0, 0)].up += 1 } else { votes[id, default: (0, 0)].down += 1 }
        }
        var days: [String: (searches: Int, exact: Int, nothing: Int)] = [:]
        var total = 0, done = 0, exact = 0, nothing = 0, cartedSearches = 0, quotedSearches = 0, up = 0, down = 0
        var alternativesShown = 0
        for row in try Row.fetchAll(db, sql: "SELECT id, status, exactMatch, alternatives, substr(createdAt, 1, 10) AS day FROM search WHERE \(where_)",
                                    arguments: args) {
            total += 1
            let day: String = row["day"]
            days[day, default: (0, 0, 0)].searches += 1
            guard (row["status"] as String) == "done" else { continue }
            done += 1
            let exactIds = offerIds(row["exactMatch"])
            let alternatives = offerIds(row["alternatives"])
            alternativesShown += alternatives.count
            if !exactIds.isEmpty { exact += 1; days[day, default: (0, 0, 0)].exact += 1 }
            let shown = Set(exactIds + alternatives)
            let relevant = relevantCount(row["alternatives"]) + exactIds.count
            if relevant == 0 { nothing += 1; days[day, default: (0, 0, 0)].nothing += 1 }
            if !shown.isDisjoint(with: carted) { cartedSearches += 1 }
            if !shown.isDisjoint(with: quoted) { quotedSearches += 1 }
            if let v = votes[row["id"]] { up += v.up; down += v.down }
        }
        let rate = { (n: Int) -> Double in done == 0 ? 0 : Double(n) / Double(done) }
        let summary: [[AnalyticsReport.Cell]] = [
            [.text("searches"), .number(Double(total))], [.text("completed"), .number(Double(done))],
            [.text("exact_matches"), .number(Double(exact))], [.text("exact_match_rate"), .number(rate(exact))],
            [.text("alternatives_per_search"), .number(done == 0 ? 0 : Double(alternativesShown) / Double(done))],
            [.text("searches_with_a_result_carted"), .number(Double(cartedSearches))], [.text("carted_rate"), .number(rate(cartedSearches))],
            [.text("searches_with_a_result_quoted"), .number(Double(quotedSearches))], [.text("quoted_rate"), .number(rate(quotedSearches))],
            [.text("thumbs_up"), .number(Double(up))], [.text("thumbs_down"), .number(Double(down))],
            [.text("nothing_relevant"), .number(Double(nothing))], [.text("nothing_relevant_rate"), .number(rate(nothing))],
        ]
        return [
            .init(name: "summary", columns: ["measure", "value"], rows: summary),
            .init(name: "per_day", columns: ["day", "searches", "exact_matches", "nothing_relevant"],
                  rows: days.keys.sorted().map { d in [.text(d), .number(Double(days[d]!.searches)), .number(Double(days[d]!.exact)), .number(Double(days[d]!.nothing))] }),
        ]
    }

    /// Alternatives a buyer would call relevant: at least 60 % similar.
    static func relevantCount(_ json: String?) -> Int {
        guard let json, let data = json.data(using: .utf8), let array = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return 0 }
        return array.filter { ($0["similarity"] as? Double ?? 0) >= 60 }.count
    }

    // MARK: sales

    static func sales(_ db: Database, _ range: Range) throws -> [AnalyticsReport.Table] {
        let (where_, args) = range.filter("q.createdAt")
        struct Q { let id: String; let status: String; let dueAt: Date; let createdAt: Date; var versions: [(Date, Int64)] = []; var category: String? }
        var quotes: [String: Q] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, status, dueAt, createdAt, request FROM quote q WHERE \(where_)", arguments: args) {
            var q = Q(id: row["id"], status: row["status"], dueAt: row["dueAt"], createdAt: row["createdAt"])
            if let data = (row["request"] as String).data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let lines = object["lines"] as? [[String: Any]], let snapshot = lines.first?["snapshot"] as? [String: Any] {
                q.category = snapshot["category"] as? String
            }
            if let category = range.category, q.category != category.rawValue { continue }
            quotes[q.id] = q
        }
        for row in try Row.fetchAll(db, sql: "SELECT quoteId, sentAt, body FROM quoteVersion ORDER BY version") where quotes[row["quoteId"]] != nil {
            let body: String = row["body"]
            var total: Int64 = 0
            if let data = body.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
               let t = object["total"] as? [String: Any], let amount = t["amount"] as? Int64 ?? (t["amount"] as? Int).map(Int64.init) { total = amount }
            quotes[row["quoteId"]]!.versions.append((row["sentAt"], total))
        }
        let answered = quotes.values.filter { !$0.versions.isEmpty }
        let won = quotes.values.filter { $0.status == QuoteStatus.accepted.rawValue }
        let lost = quotes.values.filter { ["declined", "expired", "withdrawn"].contains($0.status) }
        let hours = answered.map { $0.versions[0].0.timeIntervalSince($0.createdAt) / 3600 }.sorted()
        let onTime = answered.filter { $0.versions[0].0 <= $0.dueAt }.count
        var bands: [String: (won: Int, lost: Int)] = [:]
        for q in won + lost {
            let total = q.versions.last?.1 ?? 0
            let band = quoteBands.first { total < $0.below }!.label
            if q.status == QuoteStatus.accepted.rawValue { bands[band, default: (0, 0)].won += 1 } else { bands[band, default: (0, 0)].lost += 1 }
        }
        // Revenue and margin by source kind, from the orders' lines and today's cost of each.
        let (orderWhere, orderArgs) = range.filter("createdAt")
        var bySource: [String: (revenue: Int64, cost: Int64)] = [:]
        var orders = 0
        for text in try String.fetchAll(db, sql: "SELECT lines FROM salesOrder WHERE \(orderWhere)", arguments: orderArgs) {
            guard let data = text.data(using: .utf8), let lines = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { continue }
            if let category = range.category, !lines.contains(where: { $0["category"] as? String == category.rawValue }) { continue }
            orders += 1
            for line in lines {
                let source = line["source"] as? String ?? "inventory"
                let quantity = Int64(line["quantity"] as? Int ?? 0)
                let revenue = ((line["lineTotal"] as? [String: Any])?["amount"] as? Int).map(Int64.init) ?? 0
                let unitCost = try cost(db, offerId: line["offerId"] as? String ?? "")
                bySource[source, default: (0, 0)].revenue += revenue
                bySource[source, default: (0, 0)].cost += unitCost * quantity
            }
        }
        let median = hours.isEmpty ? 0 : hours[hours.count / 2]
        let summary: [[AnalyticsReport.Cell]] = [
            [.text("quote_requests"), .number(Double(quotes.count))], [.text("quoted"), .number(Double(answered.count))],
            [.text("accepted"), .number(Double(won.count))], [.text("lost"), .number(Double(lost.count))],
            [.text("orders"), .number(Double(orders))],
            [.text("conversion_rate"), .number(answered.isEmpty ? 0 : Double(won.count) / Double(answered.count))],
            [.text("median_hours_to_first_quote"), .number(median)],
            [.text("first_quote_on_time_rate"), .number(answered.isEmpty ? 0 : Double(onTime) / Double(answered.count))],
            [.text("versions_per_quote"), .number(answered.isEmpty ? 0 : Double(answered.reduce(0) { $0 + $1.versions.count }) / Double(answered.count))],
        ]
        return [
            .init(name: "summary", columns: ["measure", "value"], rows: summary),
            .init(name: "won_lost_by_price_band", columns: ["band", "won", "lost"],
                  rows: quoteBands.map { b in [.text(b.label), .number(Double(bands[b.label]?.won ?? 0)), .number(Double(bands[b.label]?.lost ?? 0))] }),
            .init(name: "revenue_by_source", columns: ["source", "revenue", "cost", "margin", "margin_rate"],
                  rows: bySource.keys.sorted().map { s in
                      let v = bySource[s]!
                      return [.text(s), .number(Double(v.revenue) / 100), .number(Double(v.cost) / 100), .number(Double(v.revenue - v.cost) / 100),
                              .number(v.revenue == 0 ? 0 : Double(v.revenue - v.cost) / Double(v.revenue))]
                  }),
        ]
    }

    /// Today's cost of one piece behind an offer id: the brand's base cost or the bottom of the listed price.
    static func cost(_ db: Database, offerId: String) throws -> Int64 {
        guard let ref = try String.fetchOne(db, sql: "SELECT ref FROM offer WHERE id = ?", arguments: [offerId]) else { return 0 }
        if ref.hasPrefix("inv:") {
            return try Int64.fetchOne(db, sql: "SELECT baseCostAmount FROM catalogProduct WHERE sku = ?", arguments: [String(ref.dropFirst(4))]) ?? 0
        }
        return try Int64.fetchOne(db, sql: "SELECT json_extract(listing, '$.price.min') FROM marketplaceListing WHERE id = ?",
                                  arguments: [String(ref.dropFirst(3))]) ?? 0
    }

    // MARK: supply

    static func supply(_ db: Database, _ range: Range) throws -> [AnalyticsReport.Table] {
        let (where_, args) = range.filter("o.createdAt")
        struct S { var lines = 0; var promised = 0.0; var actual: [Double] = []; var issues = 0; var orders = Set<String>() }
        var sources: [String: S] = [:]
        let rows = try Row.fetchAll(db, sql: """
            SELECT o.id, o.lines, o.createdAt,
              (SELECT min(at) FROM orderActivity a WHERE a.orderId = o.id AND a.status = 'delivered') AS deliveredAt,
              (SELECT count(*) FROM orderIssue i WHERE i.orderId = o.id) AS issues
            FROM salesOrder o WHERE \(where_)
            """, arguments: args)
        for row in rows {
            guard let data = (row["lines"] as String).data(using: .utf8), let lines = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { continue }
            let created: Date = row["createdAt"]
            let delivered: Date? = row["deliveredAt"]
            for line in lines {
                if let category = range.category, line["category"] as? String != category.rawValue { continue }
                let name = try supplierName(db, offerId: line["offerId"] as? String ?? "")
                var s = sources[name] ?? S()
                s.lines += 1
                s.promised += Double(line["deliveryDays"] as? Int ?? 0)
                if let delivered { s.actual.append(delivered.timeIntervalSince(created) / 86_400) }
                if (row["issues"] as Int) > 0, !s.orders.contains(row["id"]) { s.issues += 1 }
                s.orders.insert(row["id"])
                sources[name] = s
            }
        }
        var stock: [String: (checks: Int, outs: Int)] = [:]
        let (checkWhere, checkArgs) = range.filter("at")
        for row in try Row.fetchAll(db, sql: "SELECT brand, count(*) AS n, sum(CASE WHEN inStock THEN 0 ELSE 1 END) AS outs FROM stockCheck WHERE \(checkWhere) GROUP BY brand",
                                    arguments: checkArgs) {
            stock["brand " + (row["brand"] as String)] = (row["n"], row["outs"])
        }
        let names = Set(sources.keys).union(stock.keys).sorted()
        return [.init(name: "sources", columns: ["source", "order_lines", "promised_days", "actual_days", "orders_with_issues", "issue_rate",
                                                 "live_checks", "stock_outs", "stock_out_rate"],
                      rows: names.map { n in
                          let s = sources[n] ?? S()
                          let st = stock[n] ?? (0, 0)
                          return [.text(n), .number(Double(s.lines)), .number(s.lines == 0 ? 0 : s.promised / Double(s.lines)),
                                  .number(s.actual.isEmpty ? 0 : s.actual.reduce(0, +) / Double(s.actual.count)), .number(Double(s.issues)),
                                  .number(s.orders.isEmpty ? 0 : Double(s.issues) / Double(s.orders.count)), .number(Double(st.checks)),
                                  .number(Double(st.outs)), .number(st.checks == 0 ? 0 : Double(st.outs) / Double(st.checks))]
                      })]
    }

    /// "brand aurelia" or "supplier <name>" (staff only: this report never reaches a buyer).
    static func supplierName(_ db: Database, offerId: String) throws -> String {
        guard let ref = try String.fetchOne(db, sql: "SELECT ref FROM offer WHERE id = ?", arguments: [offerId]) else { return "unknown" }
        if ref.hasPrefix("inv:") {
            return "brand " + (try String.fetchOne(db, sql: "SELECT brand FROM catalogProduct WHERE sku = ?", arguments: [String(ref.dropFirst(4))]) ?? "unknown")
        }
        return "supplier " + (try String.fetchOne(db, sql: "SELECT json_extract(listing, '$.supplier.name') FROM marketplaceListing WHERE id = ?",
                                                 arguments: [String(ref.dropFirst(3))]) ?? "unknown")
    }
}
