import FacetCore
import Foundation

/// Parsers for the free-text fields of marketplace offers. Pure and total: anything they do
/// not understand gives nil, never a guess presented as fact.
public enum ListingText {
    /// "US $1.20-3.50", "$12.50", "1,200.00 - 1,500.00 CNY", "€3,50 - €4,20", "¥ 88 ~ 120".
    public static func price(_ text: String, defaultCurrency: String? = nil) -> MoneyRange? {
        var rest = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !rest.isEmpty, rest.count < 80 else { return nil }
        var currency: String?
        for (marker, code) in currencyMarkers where rest.localizedCaseInsensitiveContains(marker) {
            currency = code
            rest = rest.replacingOccurrences(of: marker, with: " ", options: .caseInsensitive)
            break
        }
        // Other symbols of the same currency ("€3,50 - €4,20") go too.
        rest = String(rest.unicodeScalars.filter { !"$€£¥₹".unicodeScalars.contains($0) })
        guard let code = currency ?? defaultCurrency else { return nil }
        let parts = splitRange(rest)
        guard (1...2).contains(parts.count) else { return nil }
        let exponent = minorExponent(code)
        let amounts = parts.compactMap { minorUnits($0, exponent: exponent) }
        guard amounts.count == parts.count, let low = amounts.first, let high = amounts.last, low > 0, low <= high else { return nil }
        return MoneyRange(min: low, max: high, currency: code)
    }

    /// "100 Pieces", "2 pairs", "1 set", "Min. order: 12 pieces", "MOQ 1,000 pcs".
    public static func moq(_ text: String) -> Quantity? {
        var rest = text.lowercased()
        for prefix in ["min. order", "min order", "minimum order", "moq"] {
            if let r = rest.range(of: prefix) { rest = String(rest[r.upperBound...]) }
        }
        rest = rest.replacingOccurrences(of: ":", with: " ")
        let scanner = Scanner(string: rest)
        scanner.charactersToBeSkipped = .whitespaces
        guard let digits = scanner.scanCharacters(from: CharacterSet(charactersIn: "0123456789,")),
              let amount = Int(digits.replacingOccurrences(of: ",", with: "")), amount > 0, amount < 10_000_000 else { return nil }
        let word = scanner.scanCharacters(from: .letters) ?? ""
        return Quantity(amount: amount, unit: unit(word))
    }

    /// "12-30 days", "7 days", "Ships in 7 days", "2-3 weeks", "Ready to ship".
    public static func leadTime(_ text: String) -> DayRange? {
        let lower = text.lowercased()
        // Alibaba's ready-to-ship offers promise dispatch within about a week.
        if lower.contains("ready to ship") || lower.contains("in stock") { return DayRange(min: 1, max: 7) }
        let numbers = integers(in: lower)
        guard let first = numbers.first, first >= 0 else { return nil }
        let last = numbers.count > 1 ? numbers[1] : first
        let factor: Int
        if lower.contains("week") { factor = 7 } else if lower.contains("day") { factor = 1 } else { return nil }
        guard first <= last, last * factor <= 365 else { return nil }
        return DayRange(min: first * factor, max: last * factor)
    }

    /// "5 yrs", "12 years", "5YRS".
    public static func years(_ text: String) -> Int? {
        integers(in: text).first.flatMap { $0 <= 100 ? $0 : nil }
    }

    /// "4.2", "4.2/5.0", "4.8 (120 reviews)".
    public static func rating(_ text: String) -> Double? {
        let scanner = Scanner(string: text)
        scanner.charactersToBeSkipped = CharacterSet.decimalDigits.inverted
        guard let value = scanner.scanDouble(), (0...5).contains(value) else { return nil }
        return value
    }

    /// "87%", "Response rate: 87.5%", "0.87".
    public static func percent(_ text: String) -> Int? {
        let scanner = Scanner(string: text)
        scanner.charactersToBeSkipped = CharacterSet.decimalDigits.inverted
        guard let value = scanner.scanDouble() else { return nil }
        let percent = text.contains("%") || value > 1 ? value : value * 100
        guard (0...100).contains(percent) else { return nil }
        return Int(percent.rounded())
    }

    // MARK: pieces

    static let currencyMarkers: [(String, String)] = [
        ("US $", "USD"), ("US$", "USD"), ("USD", "USD"), ("CA$", "CAD"), ("CAD", "CAD"), ("A$", "AUD"), ("AUD", "AUD"),
        ("HK$", "HKD"), ("HKD", "HKD"), ("€", "EUR"), ("EUR", "EUR"), ("£", "GBP"), ("GBP", "GBP"), ("CNY", "CNY"),
        ("RMB", "CNY"), ("¥", "CNY"), ("JPY", "JPY"), ("₹", "INR"), ("INR", "INR"), ("$", "USD"),
    ]

    static func minorExponent(_ currency: String) -> Int { ["JPY", "KRW", "VND"].contains(currency) ? 0 : 2 }

    static func splitRange(_ text: String) -> [String] {
        var normalised = text.replacingOccurrences(of: " to ", with: "-", options: .caseInsensitive)
        for dash in ["–", "—", "~"] { normalised = normalised.replacingOccurrences(of: dash, with: "-") }
        return normalised.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Exact decimal → minor units without a Double. The last of ',' and '.' is the decimal
    /// separator when both appear; a lone ',' is decimal only with 1–2 digits after it.
    static func minorUnits(_ raw: String, exponent: Int) -> Int64? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "," || $0 == ".") }) else { return nil }
        var integer = text
        var fraction = ""
        let lastComma = text.lastIndex(of: ",")
        let lastDot = text.lastIndex(of: ".")
        var decimalMark: String.Index?
        switch (lastComma, lastDot) {
        case let (c?, d?): decimalMark = max(c, d)
        case let (nil, d?): decimalMark = text.filter { $0 == "." }.count == 1 ? d : nil
        case let (c?, nil):
            let after = text.distance(from: c, to: text.endIndex) - 1
            decimalMark = text.filter { $0 == "," }.count == 1 && (1...2).contains(after) ? c : nil
        case (nil, nil): decimalMark = nil
        }
        if let mark = decimalMark {
            integer = String(text[..<mark])
            fraction = String(text[text.index(after: mark)...])
        }
        integer.removeAll { $0 == "," || $0 == "." }
        guard !integer.isEmpty || !fraction.isEmpty, fraction.allSatisfy(\.isNumber), integer.count <= 12 else { return nil }
        var units = (Int64(integer.isEmpty ? "0" : integer) ?? -1)
        guard units >= 0 else { return nil }
        let digits = Array(fraction)
        for i in 0..<exponent { units = units * 10 + Int64(i < digits.count ? digits[i].wholeNumberValue! : 0) }
        if digits.count > exponent, digits[exponent].wholeNumberValue! >= 5 { units += 1 }
        return units
    }

    static func integers(in text: String) -> [Int] {
        text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    }

    static func unit(_ word: String) -> String {
        switch word.lowercased() {
        case "", "piece", "pieces", "pc", "pcs", "unit", "units", "item", "items": "piece"
        case "pair", "pairs", "pr": "pair"
        case "set", "sets": "set"
        case "dozen", "dozens", "doz": "dozen"
        case "box", "boxes": "box"
        case "bag", "bags": "bag"
        case "gram", "grams", "g": "gram"
        case let other: other.hasSuffix("s") ? String(other.dropLast()) : other
        }
    }
}
