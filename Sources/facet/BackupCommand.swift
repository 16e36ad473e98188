import ArgumentParser
import FacetStore
import Foundation

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a data folder while the server runs: an online SQLite backup of facet.sqlite, then the image store.",
        discussion: "The copy is one consistent snapshot; writers are not blocked. DIR gets facet.sqlite, images/ and manifest.json (row counts per table). Restore it with `facet restore --from DIR --data NEW`.")

    @OptionGroup var data: DataOption

    @Option(help: ArgumentHelp("Folder to write the backup to (created; a previous backup there is replaced, images already there are kept).", valueName: "dir"))
    var to: String

    func run() throws {
        let started = Date()
        do {
            let summary = try DataBackup.backup(data: data.url, to: URL(fileURLWithPath: to, isDirectory: true))
            print(BackupReport.line("backed up", summary, seconds: Date().timeIntervalSince(started), to: to))
        } catch let failure as DataBackup.Failure {
            throw ValidationError(failure.description)
        }
    }
}

struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup made by `facet backup` in place as a data folder (stop the server first).")

    @Option(help: ArgumentHelp("The backup folder.", valueName: "dir"))
    var from: String

    @OptionGroup var data: DataOption

    @Flag(help: "Replace a database already in the data folder.")
    var force = false

    func run() throws {
        let started = Date()
        do {
            let summary = try DataBackup.restore(from: URL(fileURLWithPath: from, isDirectory: true), to: data.url, force: force)
            print(BackupReport.line("restored", summary, seconds: Date().timeIntervalSince(started), to: data.data))
        } catch let failure as DataBackup.Failure {
            throw ValidationError(failure.description)
        }
    }
}

enum BackupReport {
    static func line(_ verb: String, _ summary: DataBackup.Summary, seconds: Double, to: String) -> String {
        let rows = summary.tables.values.reduce(0, +)
        return "\(verb) \(summary.tables.count) tables (\(rows) rows, \(summary.databaseBytes) bytes), "
            + "\(summary.images) images (\(summary.imageBytes) bytes) to \(to) in \(String(format: "%.2f", seconds)) s"
    }
}
