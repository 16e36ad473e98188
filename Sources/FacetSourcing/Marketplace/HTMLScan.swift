import Foundation

/// Just enough HTML reading for result pages: elements found by class, their text and
/// attributes. Not a general parser; a page it cannot read is reported, not guessed at.
enum HTMLScan {
    /// Each element whose opening tag carries `class="name"`, as text from its `<` up to the next such element.
    static func blocks(_ html: Substring, className: String) -> [Substring] {
        let marker = "class=\"\(className)\""
        var starts: [String.Index] = []
        var cursor = html.startIndex
        while let found = html.range(of: marker, range: cursor..<html.endIndex) {
            if let open = html[..<found.lowerBound].lastIndex(of: "<") { starts.append(open) }
            cursor = found.upperBound
        }
        return starts.enumerated().map { i, start in html[start..<(i + 1 < starts.count ? starts[i + 1] : html.endIndex)] }
    }

    /// The opening tag of the first element with this class.
    static func tag(_ html: Substring, className: String) -> Substring? {
        guard let found = html.range(of: "class=\"\(className)\""),
              let open = html[..<found.lowerBound].lastIndex(of: "<"),
              let close = html[found.upperBound...].firstIndex(of: ">") else { return nil }
        return html[open...close]
    }

    static func attribute(_ tag: Substring, _ name: String) -> String? {
        guard let found = tag.range(of: " \(name)=\"") else { return nil }
        guard let end = tag[found.upperBound...].firstIndex(of: "\"") else { return nil }
        return decodeEntities(String(tag[found.upperBound..<end]))
    }

    /// Inner text (tags removed, entities decoded, whitespace collapsed) of the first element with this class.
    static func text(_ html: Substring, className: String) -> String? {
        guard let opening = tag(html, className: className) else { return nil }
        let name = opening.dropFirst().prefix { $0.isLetter || $0.isNumber }
        guard !name.isEmpty else { return nil }
        let bodyStart = opening.endIndex
        let end = html.range(of: "</\(name)>", range: bodyStart..<html.endIndex)?.lowerBound ?? html.endIndex
        return plain(html[bodyStart..<end])
    }

    static func plain(_ fragment: Substring) -> String {
        var out = ""
        var inTag = false
        for ch in fragment {
            if ch == "<" { inTag = true; out.append(" ") } else if ch == ">" { inTag = false } else if !inTag { out.append(ch) }
        }
        return decodeEntities(out).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var s = text
        for (entity, value) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&nbsp;", " ")] {
            s = s.replacingOccurrences(of: entity, with: value)
        }
        return s.replacingOccurrences(of: "&amp;", with: "&")
    }
}
