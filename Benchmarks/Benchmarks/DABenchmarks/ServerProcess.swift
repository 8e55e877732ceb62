import Foundation

/// A `keel` server (`da-server`, `dac-member`) started for the networked providers' benchmarks: run
/// from `$KEEL_BINARY` (a release build of `keel`) on a free loopback port, stopped with SIGTERM.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: started and stopped from the benchmark's setup and teardown only.
    private let process: Process
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    /// The `keel` executable the servers run, from `KEEL_BINARY`; nil when it is not set.
    static var binary: String? {
        guard let path = ProcessInfo.processInfo.environment["KEEL_BINARY"], FileManager.default.isExecutableFile(atPath: path) else {
            return nil
        }
        return path
    }

    /// Starts `keel ARGUMENTS… --port 0` and waits up to 30 s for its `Listening on http://HOST:PORT` line.
    init(_ arguments: [String], log logPath: String) throws {
        guard let binary = Self.binary else { throw ServerError("KEEL_BINARY is not set to a keel executable") }
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments + ["--port", "0"]
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"Listening on http://[^:\s]+:(\d+)"#, options: .regularExpression),
               let port = Int(text[range].split(separator: ":").last ?? "") {
                self.port = port
                return
            }
            guard process.isRunning else { throw ServerError("keel \(arguments.joined(separator: " ")) exited: \(text)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw ServerError("keel \(arguments.joined(separator: " ")) printed no `Listening on` line within 30 s")
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

struct ServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Hardhat's development accounts 1–3 (public keys of a public mnemonic): a local committee.
enum DevelopmentCommittee {
    static let members: [(key: String, address: String)] = [
        ("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
        ("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
        ("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6", "0x90F79bf6EB2c4f870365E785982E1f101E93b906"),
    ]

    /// Writes member `index`'s key to `folder/member-INDEX.key` with mode 0600 and returns the path.
    static func keyFile(_ index: Int, in folder: String) -> String {
        let path = "\(folder)/member-\(index).key"
        FileManager.default.createFile(atPath: path, contents: Data((members[index].key + "\n").utf8),
                                       attributes: [.posixPermissions: 0o600])
        return path
    }
}
