import CCurl
import FacetHTTP
import Foundation
import Logging

public struct MailMessage: Sendable {
    public let to: String
    public let subject: String
    public let text: String
}

/// Every message is written to `<data>/outbox/` as an RFC 5322 file (the record of
/// what we sent, and how the demo and tests read their links); with an SMTP URL it is
/// also sent through libcurl.
public final class Mailer: Sendable {
    let outbox: URL
    let smtpURL: String?
    let from: String
    let logger: Logger

    init(outbox: URL, smtpURL: String?, from: String, logger: Logger) {
        self.outbox = outbox
        self.smtpURL = smtpURL
        self.from = from
        self.logger = logger
    }

    @discardableResult
    public func send(_ message: MailMessage, now: Date = Date()) throws -> URL {
        let id = UUID().uuidString.lowercased()
        let rendered = Self.render(message, from: from, id: id, date: now)
        try FileManager.default.createDirectory(at: outbox, withIntermediateDirectories: true)
        let stamp = now.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false)
            .dateSeparator(.omitted).timeSeparator(.omitted).dateTimeSeparator(.standard))
        let file = outbox.appendingPathComponent("\(stamp)-\(id).eml")
        try Data(rendered.utf8).write(to: file, options: .atomic)
        if let smtpURL { deliver(rendered, to: message.to, via: smtpURL) }
        return file
    }

    private func deliver(_ rendered: String, to: String, via url: String) {
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let bytes = Array(rendered.utf8)
        let code = bytes.withUnsafeBufferPointer { body in
            body.withMemoryRebound(to: CChar.self) { chars in
                facet_smtp_send(url, Self.address(from), "<\(to)>", chars.baseAddress, chars.count, 15, &errorBuffer)
            }
        }
        if code != CURLE_OK {
            let reason = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            logger.error("SMTP delivery failed", metadata: ["to": "\(to)", "error": "\(reason)"])
        }
    }

    static func address(_ from: String) -> String {
        if let open = from.firstIndex(of: "<"), let close = from.lastIndex(of: ">") {
            return String(from[open...close])
        }
        return "<\(from)>"
    }

    static func render(_ message: MailMessage, from: String, id: String, date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let domain = address(from).split(separator: "@").last.map { String($0.dropLast()) } ?? "facet.local"
        let clean = { (s: String) in s.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ") }
        let body = message.text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        return [
            "From: \(clean(from))",
            "To: <\(clean(message.to))>",
            "Subject: \(clean(message.subject))",
            "Date: \(formatter.string(from: date))",
            "Message-ID: <\(id)@\(domain)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "",
            body,
        ].joined(separator: "\r\n")
    }
}
