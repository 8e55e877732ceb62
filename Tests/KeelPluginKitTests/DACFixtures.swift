import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// A real `keel dac-member` process on a free loopback port, its output in a log file.
final class DACMemberProcess: @unchecked Sendable {
    // @unchecked: the process is started once in `init`; `port` is set there and never changes.
    let process = Process()
    let logPath: String
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    /// Starts `keel dac-member --key-file keyFile --dir dir --port 0` and waits for its `Listening on` line.
    init(keyFile: String, dir: String, logPath: String, extraArguments: [String] = []) throws {
        self.logPath = logPath
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: PluginUnderTest.buildDirectory + "/keel")
        process.arguments = ["dac-member", "--key-file", keyFile, "--dir", dir, "--port", "0"] + extraArguments
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: "Listening on http://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits), text[range.upperBound...].dropFirst(digits.count).first == "\n" {
                    self.port = port
                    return
                }
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        throw TestProcessError("keel dac-member did not start listening:\n" + ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""))
    }

    /// SIGTERM, then waits for the exit and returns its status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGSTOP: the member keeps its socket but answers nothing (a hung member).
    func freeze() { Foundation.kill(process.processIdentifier, SIGSTOP) }

    deinit {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGCONT)
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// A committee of real members (keys of seeds 1…n, as `AttestFixtures.key`), their folders under
/// one scratch folder, and `dac` plugin instances configured for it.
final class DACCommitteeFixture: @unchecked Sendable {
    // @unchecked: used from one test at a time; `members` changes only in `restart`.
    typealias F = AttestFixtures

    let folder: String
    let seeds: [UInt8]
    private(set) var members: [DACMemberProcess] = []

    init(_ label: String, seeds: [UInt8] = [1, 2, 3]) throws {
        folder = try F.folder(label)
        self.seeds = seeds
        try start()
    }

    /// Starts every member (again, after `stopAll`, on new ports and the same folders).
    func start() throws {
        members = try seeds.map { seed in
            try DACMemberProcess(keyFile: try F.keyFile(seed, in: folder), dir: "\(folder)/member-\(seed)",
                                 logPath: "\(folder)/member-\(seed).log")
        }
    }

    /// Stops every member with SIGTERM; each must exit 0.
    func stopAll() {
        for member in members { #expect(member.stop() == 0, "a member did not stop cleanly: \(member.logPath)") }
    }

    /// The plugin config for this committee: members in seed order, `threshold`, `timeout` ms, and `extra` keys.
    func config(threshold: Int = 2, timeout: UInt64 = 10_000, extra: String = "") throws -> String {
        let list = try zip(seeds, members).map { seed, member in
            #"{"url": "\#(member.url)", "address": "\#(try F.key(seed).address)"}"#
        }.joined(separator: ", ")
        return #"{"members": [\#(list)], "threshold": \#(threshold), "timeout_ms": \#(timeout)\#(extra)}"#
    }

    /// A `dac` instance over this committee.
    func client(threshold: Int = 2, timeout: UInt64 = 10_000, extra: String = "") throws -> DAClient {
        DAClient(try PluginUnderTest.create(path: try F.library(.da, "dac").path, configJSON: try config(threshold: threshold, timeout: timeout, extra: extra),
                                            dataDirectory: folder, chainID: F.chainID))
    }

    /// The config error from creating a `dac` instance with `config`, or nil if it was created.
    static func refusal(_ config: String) throws -> PluginCallError? {
        do {
            _ = try PluginUnderTest.create(path: try F.library(.da, "dac").path, configJSON: config, chainID: F.chainID)
            return nil
        } catch let error as PluginCallError {
            return error
        }
    }
}
