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
    private var server: RunningProcess
    /// The port it listens on, picked by the kernel at each start.
    var port: Int { server.port }
    var url: String { server.url }

    /// Starts `keel da-server --dir DIRECTORY --port 0 extra…` and waits for its `Listening on` line.
    init(directory: String, extraArguments: [String] = []) throws {
        self.directory = directory
        self.extraArguments = extraArguments
        logPath = directory + ".log"
        server = try Self.start(directory: directory, extraArguments: extraArguments, logPath: logPath)
    }

    /// SIGTERM, then the exit status.
    @discardableResult
    func stop() -> Int32 { server.terminate() }

    /// Stops the server and starts it again on the same folder; `url` changes with the port.
    func restart() throws {
        stop()
        server = try Self.start(directory: directory, extraArguments: extraArguments, logPath: logPath)
    }

    /// Everything the server printed so far.
    var log: String { server.log }

    private static func start(directory: String, extraArguments: [String], logPath: String) throws -> RunningProcess {
        try RunningProcess(keel: ["da-server", "--dir", directory, "--port", "0"] + extraArguments, logPath: logPath,
                           listening: true, timeout: 30)
    }
}
