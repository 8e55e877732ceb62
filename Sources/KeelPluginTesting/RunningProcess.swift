import Foundation

/// A long-running `keel` command for end-to-end tests (`keel da-server`, `keel follow`, members),
/// its output in a log file; `RunningNode` is the same for `keel up` with its banner.
public final class RunningProcess: @unchecked Sendable {
    public let process: Process
    public let logPath: String
    /// With `listening`, the port from the command's `Listening on http://HOST:PORT` line.
    public private(set) var port: Int = 0
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Starts `keel arguments…`. With `listening`, waits (up to `timeout` s) for the command's
    /// `Listening on http://HOST:PORT` line and keeps the port (start servers on port 0: no race for
    /// a free port); with `readyURL`, waits until an HTTP GET of it answers at all. Throws with the
    /// log when the process exits first. `directory` is its working directory (the test's, unless given).
    public init(keel arguments: [String], logPath: String, environment: [String: String] = [:], listening: Bool = false,
                readyURL: String? = nil, timeout: TimeInterval = 60, directory: String? = nil) throws {
        self.logPath = logPath
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        // A restart appends to the same log: the banner looked for is the one this start writes.
        let startOffset = Int(log.seekToEndOfFile())
        process = Process()
        process.executableURL = URL(fileURLWithPath: PluginUnderTest.buildDirectory + "/keel")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        if listening {
            while Date() < deadline, process.isRunning {
                let written = (try? Data(contentsOf: URL(fileURLWithPath: logPath))).map { String(decoding: $0.dropFirst(startOffset), as: UTF8.self) }
                if let port = RunningNode.listeningPort(in: written ?? "") {
                    self.port = port
                    return
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            kill()
            throw RunningNodeError(message: "keel \(arguments.joined(separator: " ")) did not start listening:\n" + tail(40))
        }
        guard let readyURL else { return }
        while Date() < deadline, process.isRunning {
            if Self.answers(readyURL) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill()
        throw RunningNodeError(message: "keel \(arguments.joined(separator: " ")) did not start:\n" + tail(40))
    }

    /// Everything in the log so far (earlier starts on the same log included).
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    public func tail(_ lines: Int) -> String {
        let text = log
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    @discardableResult
    public func terminate() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill() } }

    /// Whether something answers HTTP at `url` (any status).
    static func answers(_ url: String) -> Bool {
        guard let target = URL(string: url), let host = target.host, let port = target.port else { return false }
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A free TCP port on 127.0.0.1 (bound and released; a race with another process is possible but rare).
    public static func freePort() -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: bound.sin_port))
    }
}
