import ArgumentParser
import Foundation
import Logging

struct DataOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Data folder holding facet.sqlite and outbox/ (env FACET_DATA).", valueName: "dir"))
    var data: String = ProcessInfo.processInfo.environment["FACET_DATA"] ?? "./data"

    var url: URL { URL(fileURLWithPath: data, isDirectory: true) }
}

enum CommandLogging {
    static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
