import Foundation

/// robots.txt as RFC 9309 reads it: the group for our product token (else `*`), the longest
/// matching Allow/Disallow wins, Allow wins a tie, `*` and `$` are wildcards.
public struct RobotsRules: Sendable, Equatable {
    struct Rule: Sendable, Equatable { let allow: Bool; let pattern: String }
    let rules: [Rule]

    public static let allowAll = RobotsRules(rules: [])
    public static let disallowAll = RobotsRules(rules: [Rule(allow: false, pattern: "/")])

    init(rules: [Rule]) { self.rules = rules }

    public init(parsing text: String, userAgent: String) {
        let token = userAgent.split(separator: "/").first.map { $0.lowercased() } ?? userAgent.lowercased()
        var groups: [(agents: [String], rules: [Rule])] = []
        var collectingAgents = false
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "user-agent":
                if !collectingAgents { groups.append(([], [])) }
                groups[groups.count - 1].agents.append(value.lowercased())
                collectingAgents = true
            case "allow", "disallow":
                collectingAgents = false
                guard !groups.isEmpty, !value.isEmpty else { continue }
                groups[groups.count - 1].rules.append(Rule(allow: key == "allow", pattern: value))
            default:
                collectingAgents = false
            }
        }
        let mine = groups.filter { $0.agents.contains { $0 != "*" && token.contains($0) } }
        let chosen = mine.isEmpty ? groups.filter { $0.agents.contains("*") } : mine
        rules = chosen.flatMap(\.rules)
    }

    /// `path` includes the query string.
    public func allows(_ path: String) -> Bool {
        var best: (length: Int, allow: Bool)?
        for rule in rules where Self.matches(rule.pattern, path) {
            let length = rule.pattern.count
            if best == nil || length > best!.length || (length == best!.length && rule.allow) { best = (length, rule.allow) }
        }
        return best?.allow ?? true
    }

    static func matches(_ pattern: String, _ path: String) -> Bool {
        let anchored = pattern.hasSuffix("$")
        let body = anchored ? String(pattern.dropLast()) : pattern
        let pieces = body.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var cursor = path.startIndex
        for (i, piece) in pieces.enumerated() {
            if i == 0 {
                guard path.hasPrefix(piece) else { return false }
                cursor = path.index(cursor, offsetBy: piece.count)
            } else if !piece.isEmpty {
                guard let found = path.range(of: piece, range: cursor..<path.endIndex) else { return false }
                cursor = found.upperBound
            }
        }
        if anchored {
            if pieces.count > 1, let last = pieces.last, !last.isEmpty { return path.hasSuffix(last) }
            return cursor == path.endIndex || (pieces.count > 1 && pieces.last!.isEmpty)
        }
        return true
    }
}
