import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// A real `keel dac-member` process on a free loopback port, its output in a log file.
final class DACMemberProcess: @unchecked Sendable {
    // @unchecked: the process is started once in `init` and never replaced.
    let member: RunningProcess
    var process: Process { member.process }
    var logPath: String { member.logPath }
    var port: Int { member.port }
    var url: String { member.url }

    /// Starts `keel dac-member --key-file keyFile --dir dir --port 0` and waits for its `Listening on` line.
    init(keyFile: String, dir: String, logPath: String, extraArguments: [String] = []) throws {
        member = try RunningProcess(keel: ["dac-member", "--key-file", keyFile, "--dir", dir, "--port", "0"] + extraArguments,
                                    logPath: logPath, listening: true, timeout: 30)
    }

    /// SIGTERM, then waits for the exit and returns its status.
    @discardableResult
    func stop() -> Int32 { member.terminate() }

    /// SIGSTOP: the member keeps its socket but answers nothing (a hung member).
    func freeze() { Foundation.kill(process.processIdentifier, SIGSTOP) }

    deinit {
        // A frozen member cannot die of SIGKILL before it is continued.
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGCONT) }
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
