import Foundation

/// A real `keel up` process for end-to-end tests: started on a free port with its output in a log
/// file, stopped with SIGTERM (clean) or SIGKILL (a crash).
public final class RunningNode: @unchecked Sendable {
    public let process: Process
    public let logPath: String
    /// The port the RPC server listens on, read from the banner.
    public private(set) var port: Int = 0
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Starts `keel up MANIFEST --rpc-port 0 [--data-dir DIR] extra…` and waits (up to `timeout`
    /// seconds) for the banner's `Listening on` line. Throws with the log when it does not come.
    public init(manifest: String, dataDirectory: String? = nil, extraArguments: [String] = [], logPath: String,
                environment: [String: String] = [:], timeout: TimeInterval = 60) throws {
        self.logPath = logPath
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process = Process()
        process.executableURL = URL(fileURLWithPath: PluginUnderTest.buildDirectory + "/keel")
        process.arguments = ["up", manifest, "--rpc-port", "0"] + (dataDirectory.map { ["--data-dir", $0] } ?? []) + extraArguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let port = Self.listeningPort(in: (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "") {
                self.port = port
                return
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if process.isRunning { kill() }
        throw RunningNodeError(message: "keel up did not start listening:\n" + self.log(lastLines: 40))
    }

    /// The last lines of the node's output.
    public func log(lastLines count: Int) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }

    /// SIGTERM, then waits for the exit and returns its status.
    @discardableResult
    public func terminate() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL: the process dies at once, mid-write if it was writing.
    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill() }
    }

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
