import ArgumentParser
import Foundation
import KeelCore
import KeelKernel
import KeelNode
import Logging

/// `keel challenge MANIFEST --key-file F --data-dir DIR`: a follower that disputes every root it
/// computes otherwise, plays its games to the end and defends honest batches (docs/FAULT_PROOFS.md).
struct ChallengeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "challenge",
        abstract: "Derive the chain from L1 and DA, and open and play a dispute game against every wrong root.")

    @Argument(help: "The rollup's manifest.")
    var manifest: String

    @Option(name: .long, help: "The challenger's key: a file of mode 0600 holding 0x and 64 hex digits. It pays the bonds.")
    var keyFile: String

    @Option(name: .long, help: "Where the challenger keeps its derived chain (it resumes from there after a restart).")
    var dataDir: String

    @Option(name: .long, help: "The JSON-RPC port of its derived chain (default: node.rpc.port + 2; 0 picks a free port).")
    var rpcPort: Int?

    @Option(name: .long, help: ArgumentHelp("Tests only: lie about batch N (a wrong root from --dev-lie-from-step on) and dispute it; development L1 only.", visibility: .hidden))
    var devLieAboutBatch: UInt64?

    @Option(name: .long, help: ArgumentHelp("Tests only: where the lie starts: first, middle (default) or last step.", visibility: .hidden))
    var devLieFromStep: String = "middle"

    func run() async throws {
        try await reportingUserErrors { try await runCommand() }
    }

    private func runCommand() async throws {
        let logger = NodeLogging.logger(label: "keel.challenge")
        let key: PrivateKey
        do { key = try PrivateKey(contentsOfFile: keyFile) } catch { throw UserError("--key-file: \(error)") }
        let node: Node
        do {
            var options = NodeOptions(manifestPath: manifest, dataDirectory: dataDir, rpcPort: rpcPort, attest: false)
            options.follower = true
            options.challengerKey = key
            options.challengerLie = FaultInjection(wrongRootAtBatch: devLieAboutBatch, from: FaultInjection.Step(rawValue: devLieFromStep) ?? .middle)
            node = try Node.open(options, logger: logger)
        } catch {
            throw UserError("\(error)")
        }
        let port = rpcPort ?? Int(node.manifest.node.rpcPort) + 2
        let host = node.rpcHost
        let server = RPCServer(backend: node, host: host, port: port, logger: logger) { bound in
            FileHandle.standardOutput.write(Data("challenging \(node.manifest.rollup.name) (chain \(node.chainID)) as \(key.address) from block \(node.headNumber()); Listening on http://\(host):\(bound)\n".utf8))
        }
        do {
            try await NodeRunner.run(node, rpc: server, logger: logger)
        } catch {
            throw UserError("the challenger stopped: \(error)")
        }
        if let alarm = node.followerAlarm { throw UserError("\(alarm)") }
        print("\nkeel challenge: stopped cleanly at block \(node.headNumber())")
    }
}
