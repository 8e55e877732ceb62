import ArgumentParser
import Foundation
import KeelCore
import KeelKernel
import KeelNode
import Logging

/// `keel follow MANIFEST --data-dir DIR [--rpc-port N]`: a node without the sequencer role that
/// derives the chain from the settlement layer and DA, checking every root, and serves the read
/// methods (docs/NODE.md, "The follower").
struct FollowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Derive the chain from L1 batch records and DA, re-executing every block, and serve it over JSON-RPC.")

    @Argument(help: "The rollup's manifest (its da: list must name every provider that holds batches).")
    var manifest: String

    @Option(name: .long, help: "Where the follower keeps its derived chain.")
    var dataDir: String

    @Option(name: .long, help: "The JSON-RPC port (default: node.rpc.port + 1; 0 picks a free port).")
    var rpcPort: Int?

    func run() async throws {
        try await reportingUserErrors { try await runCommand() }
    }

    private func runCommand() async throws {
        let logger = NodeLogging.logger(label: "keel.follow")
        let node: Node
        do {
            var options = NodeOptions(manifestPath: manifest, dataDirectory: dataDir, rpcPort: rpcPort, attest: false)
            options.follower = true
            node = try Node.open(options, logger: logger)
        } catch {
            throw UserError("\(error)")
        }
        let port = rpcPort ?? Int(node.manifest.node.rpcPort) + 1
        let host = node.rpcHost
        let server = RPCServer(backend: node, host: host, port: port, logger: logger) { bound in
            FileHandle.standardOutput.write(Data("following \(node.manifest.rollup.name) (chain \(node.chainID)) from block \(node.headNumber()); Listening on http://\(host):\(bound)\n".utf8))
        }
        do {
            try await NodeRunner.run(node, rpc: server, logger: logger)
        } catch {
            throw UserError("the follower stopped: \(error)")
        }
        if let alarm = node.followerAlarm {
            throw UserError("\(alarm)")
        }
        print("\nkeel follow: stopped cleanly at block \(node.headNumber())")
    }
}
