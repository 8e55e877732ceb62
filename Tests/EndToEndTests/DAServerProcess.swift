import Foundation
import KeelPluginTesting
import Testing

/// A real `keel da-server` process on a loopback port, its output in a log file; restarted on the
/// same folder (on a new free port: reusing the old one would race with other tests picking free
/// ports), stopped with SIGTERM.
final class DAServerProcess {
    let directory: String
    let logPath: String
    let extraArguments: [String]
    private(set) var process: Process
    /// The port it listens on, picked by the kernel at each start.
    private(set) var port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    /// Starts `keel da-server --dir DIRECTORY --port 0 extra…` and waits for its `Listening on` line.
    init(directory: String, extraArguments: [String] = []) throws {
        self.directory = directory
        self.extraArguments = extraArguments
        logPath = directory + ".log"
        (process, port) = try Self.start(directory: directory, port: 0, extraArguments: extraArguments, logPath: logPath)
    }

    /// SIGTERM, then the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Stops the server and starts it again on the same folder; `url` changes with the port.
    func restart() throws {
        stop()
        (process, port) = try Self.start(directory: directory, port: 0, extraArguments: extraArguments, logPath: logPath)
    }

    /// Everything the server printed so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    private static func start(directory: String, port: Int, extraArguments: [String], logPath: String) throws -> (Process, Int) {
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let startOffset = log.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PluginUnderTest.buildDirectory + "/keel")
        process.arguments = ["da-server", "--dir", directory, "--port", String(port)] + extraArguments
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? Data(contentsOf: URL(fileURLWithPath: logPath)))
                .map { String(decoding: $0.dropFirst(Int(startOffset)), as: UTF8.self) } ?? ""
            if let bound = listeningPort(in: text) { return (process, bound) }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        throw TestProcessError("keel da-server did not start listening:\n" + ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""))
    }

    /// The port of the first `Listening on http://HOST:PORT` line.
    static func listeningPort(in text: String) -> Int? {
        guard let range = text.range(of: "Listening on http://") else { return nil }
        let rest = text[range.upperBound...]
        guard let newline = rest.firstIndex(of: "\n"), let colon = rest[..<newline].lastIndex(of: ":") else { return nil }
        return Int(rest[rest.index(after: colon)..<newline])
    }
}
