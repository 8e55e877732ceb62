import Foundation

/// A real `keel up` process for end-to-end tests: a `RunningProcess` started on port 0, the port
/// read from its banner, stopped with SIGTERM (clean) or SIGKILL (a crash). Restarts may share a
/// log file: each appends to it.
public final class RunningNode: @unchecked Sendable {
    public let running: RunningProcess
    public var process: Process { running.process }
    public var logPath: String { running.logPath }
    /// The port the RPC server listens on, read from the banner.
    public var port: Int { running.port }
    public var url: String { running.url }

    /// Starts `keel up MANIFEST --rpc-port 0 [--data-dir DIR] extra…` and waits (up to `timeout`
    /// seconds) for the banner's `Listening on` line. Throws with the log when it does not come.
    public init(manifest: String, dataDirectory: String? = nil, extraArguments: [String] = [], logPath: String,
                environment: [String: String] = [:], timeout: TimeInterval = 60) throws {
        running = try RunningProcess(
            keel: ["up", manifest, "--rpc-port", "0"] + (dataDirectory.map { ["--data-dir", $0] } ?? []) + extraArguments,
            logPath: logPath, environment: environment, listening: true, timeout: timeout)
    }

    /// The last lines of the node's output.
    public func log(lastLines count: Int) -> String { running.tail(count) }

    /// SIGTERM, then waits for the exit and returns its status.
    @discardableResult
    public func terminate() -> Int32 { running.terminate() }

    /// SIGKILL: the process dies at once, mid-write if it was writing.
    public func kill() { running.kill() }

    /// The port in a `Listening on http://HOST:PORT` line of `text`.
    static func listeningPort(in text: String) -> Int? {
        guard let range = text.range(of: "Listening on http://") else { return nil }
        let rest = text[range.upperBound...]
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let digits = rest[rest.index(after: colon)...].prefix { $0.isNumber }
        return Int(digits)
    }
}

public struct RunningNodeError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
