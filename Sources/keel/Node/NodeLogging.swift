import Foundation
import Logging

/// Logs to standard error, at the level `KEEL_LOG` names (trace, debug, info, notice, warning,
/// error, critical; default info). Keys and tokens are never logged.
enum NodeLogging {
    static func logger(label: String) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        let level = ProcessInfo.processInfo.environment["KEEL_LOG"].flatMap(Logger.Level.init(rawValue:))
        logger.logLevel = level ?? .info
        return logger
    }
}
