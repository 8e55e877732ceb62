import ArgumentParser
import Foundation
import KeelCore
import KeelKernel
import KeelNode
import Logging

/// `keel up MANIFEST [--data-dir DIR] [--rpc-port N]`: runs the rollup until SIGTERM or SIGINT.
/// Prints, like Anvil, the chain id, the RPC URL and the funded development accounts.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Run a rollup node from a manifest (Ctrl-C stops it cleanly).")

    @Argument(help: "The rollup's manifest.")
    var manifest: String

    @Option(name: .long, help: "Overrides node.data_dir.")
    var dataDir: String?

    @Option(name: .long, help: "Overrides node.rpc.port (0 picks a free port).")
    var rpcPort: Int?

    @Option(name: .long, help: "Overrides node.rpc.host.")
    var rpcHost: String?

    @Flag(name: .long, help: "Do not run the in-node attestor even if the proof plugin has a key.")
    var noAttest = false

    @Option(name: .long, help: ArgumentHelp("Tests only: post batch N with a wrong state root (fault proofs on a development L1).", visibility: .hidden))
    var devPostWrongRoot: UInt64?

    @Option(name: .long, help: ArgumentHelp("Tests only: where the wrong root starts: first, middle (default) or last step.", visibility: .hidden))
    var devWrongRootStep: String = "middle"

    @Option(name: .long, help: ArgumentHelp("Tests only: post batch N with a wrong withdrawals root (fault proofs on a development L1).", visibility: .hidden))
    var devPostWrongWithdrawalsRoot: UInt64?

    func validate() throws {
        if FaultInjection.Step(rawValue: devWrongRootStep) == nil { throw ValidationError("--dev-wrong-root-step is first, middle or last") }
        if let rpcPort, !(0...65535).contains(rpcPort) { throw ValidationError("--rpc-port must be 0 to 65535, not \(rpcPort)") }
    }

    func run() async throws {
        try await reportingUserErrors { try await runCommand() }
    }

    private func runCommand() async throws {
        let logger = NodeLogging.logger(label: "keel.node")
        let node: Node
        do {
            var options = NodeOptions(manifestPath: manifest, dataDirectory: dataDir, rpcPort: rpcPort, rpcHost: rpcHost, attest: !noAttest)
            options.faultInjection = FaultInjection(wrongRootAtBatch: devPostWrongRoot, from: FaultInjection.Step(rawValue: devWrongRootStep) ?? .middle,
                                                    wrongWithdrawalsRootAtBatch: devPostWrongWithdrawalsRoot)
            node = try Node.open(options, logger: logger)
        } catch {
            throw UserError("\(error)")
        }
        let host = node.rpcHost
        let server = RPCServer(backend: node, host: host, port: node.rpcPort) { port in
            // One write, so a reader of the output never sees half a banner.
            FileHandle.standardOutput.write(Data((Banner.text(node: node, host: host, port: port) + "\n").utf8))
        }
        do {
            try await NodeRunner.run(node, rpc: server, logger: logger)
        } catch {
            throw UserError("the node stopped: \(error)")
        }
        print("keel: stopped cleanly at block \(node.headNumber())")
    }
}

/// What `keel up` prints once the RPC server listens.
enum Banner {
    static func text(node: Node, host: String, port: Int) -> String {
        var lines = ["", "Keel — rollup \(node.manifest.rollup.name), mode \(node.manifest.rollup.mode)", ""]
        let accounts = node.genesisAccounts
        if !accounts.isEmpty {
            lines += ["Available Accounts", "=================="]
            for (index, account) in accounts.enumerated() {
                lines.append("(\(index)) \(account.address) (\(ether(account.balance)) ETH)")
            }
            lines.append("")
        }
        lines += [
            "Chain ID:     \(node.chainID)",
            "Block time:   \(node.manifest.node.blockTimeMilliseconds) ms, gas limit \(node.manifest.node.gasLimit)",
            "Data:         \(node.dataDirectory)",
            "Admin token:  \(node.dataDirectory)/admin.token",
            "",
            "Listening on http://\(host):\(port)",
        ]
        return lines.joined(separator: "\n")
    }

    /// Wei as ether, exactly (no floating point).
    static func ether(_ wei: UInt128) -> String {
        let unit: UInt128 = 1_000_000_000_000_000_000
        let fraction = String(wei % unit)
        let padded = String(repeating: "0", count: 18 - fraction.count) + fraction
        var trimmed = padded
        while trimmed.count > 1 && trimmed.hasSuffix("0") { trimmed.removeLast() }
        return "\(wei / unit).\(trimmed)"
    }
}
