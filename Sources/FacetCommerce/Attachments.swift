import Crypto
import FacetCore
import FacetStore
import Foundation
import GRDB

/// Files on a quote thread or an order issue: photos and PDFs, sniffed by their first bytes
/// (never by name or declared type), capped in size, stored once per content under
/// `<data>/attachments/<sha256>.<ext>`.
public struct Attachments: Sendable {
    public static let maximumBytes = 10 << 20
    let directory: URL
    let database: FacetDatabase

    public init(database: FacetDatabase, directory: URL) {
        self.database = database
        self.directory = directory
    }

    public enum Kind: String, Sendable {
        case jpeg = "image/jpeg", png = "image/png", webp = "image/webp", pdf = "application/pdf"
        var fileExtension: String {
            switch self {
            case .jpeg: "jpg"
            case .png: "png"
            case .webp: "webp"
            case .pdf: "pdf"
            }
        }
    }

    public static func sniff(_ bytes: [UInt8]) -> Kind? {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { return .webp }
        if bytes.starts(with: Array("%PDF-".utf8)) { return .pdf }
        return nil
    }

    public func store(_ bytes: [UInt8], name: String?, ownerId: String, now: Date = Date()) throws -> AttachmentView {
        guard !bytes.isEmpty else { throw DomainError.invalid("file", "The file is empty.") }
        guard bytes.count <= Self.maximumBytes else {
            throw DomainError(.tooLarge, code: "file_too_large", "Attachments are at most \(Self.maximumBytes >> 20) MB.", field: "file")
        }
        guard let kind = Self.sniff(bytes) else {
            throw DomainError(.unsupportedMedia, code: "unsupported_file", "Attach a JPEG, PNG or WebP photo, or a PDF.", field: "file")
        }
        let hash = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let fileName = "\(hash).\(kind.fileExtension)"
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(fileName)
        if !FileManager.default.fileExists(atPath: url.path) { try Data(bytes).write(to: url, options: .atomic) }
        let record = AttachmentRecord(id: Identifier.make("att"), ownerId: ownerId, name: Self.cleanName(name, kind: kind),
                                      contentType: kind.rawValue, bytes: bytes.count, fileName: fileName, createdAt: now)
        try database.writer.write { db in try record.insert(db) }
        return Self.view(record)
    }

    /// A display name without paths or control characters.
    static func cleanName(_ name: String?, kind: Kind) -> String {
        let base = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(base.unicodeScalars.filter { $0.properties.generalCategory != .control && $0 != "\"" }.prefix(120).map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty ? "attachment.\(kind.fileExtension)" : cleaned
    }

    static func view(_ r: AttachmentRecord) -> AttachmentView {
        AttachmentView(id: r.id, name: r.name, contentType: r.contentType, bytes: r.bytes, url: "/api/attachments/\(r.id)")
    }

    /// The viewer's own attachments among `ids`, in order; someone else's id is refused.
    func owned(_ db: Database, ids: [String], by viewer: Viewer, field: String) throws -> [AttachmentRecord] {
        guard ids.count <= QuoteRules.maximumAttachments else {
            throw DomainError.invalid(field, "At most \(QuoteRules.maximumAttachments) attachments.")
        }
        return try ids.enumerated().map { i, id in
            guard let r = try AttachmentRecord.fetchOne(db, key: id), r.ownerId == viewer.userId else {
                throw DomainError.invalid("\(field)[\(i)]", "No attachment \(id) of yours; upload it first.")
            }
            return r
        }
    }

    static func views(_ db: Database, idsJSON: String) throws -> [AttachmentView] {
        let ids = try Stored.decode([String].self, idsJSON)
        return try ids.compactMap { try AttachmentRecord.fetchOne(db, key: $0).map(view) }
    }

    /// The file, for its uploader, staff, and whoever may read a thread or issue it is on.
    public func file(id: String, viewer: Viewer) throws -> (url: URL, record: AttachmentRecord) {
        let record = try database.read { db -> AttachmentRecord? in
            guard let r = try AttachmentRecord.fetchOne(db, key: id) else { return nil }
            if viewer.role.isStaff || r.ownerId == viewer.userId { return r }
            let pattern = "%\"\(id)\"%"
            let onQuote = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM quoteMessage m JOIN quote q ON q.id = m.quoteId WHERE q.buyerId = ? AND m.attachments LIKE ?)
                """, arguments: [viewer.userId, pattern]) ?? false
            let onIssue = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM orderIssue i JOIN salesOrder o ON o.id = i.orderId WHERE o.buyerId = ? AND i.attachments LIKE ?)
                """, arguments: [viewer.userId, pattern]) ?? false
            return onQuote || onIssue ? r : nil
        }
        guard let record else { throw DomainError.notFound("No attachment \(id).") }
        return (directory.appendingPathComponent(record.fileName), record)
    }
}
