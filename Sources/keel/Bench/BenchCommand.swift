import ArgumentParser
import Foundation
import KeelCore
import KeelJSONRPC
import KeelKernel
import KeelNode
import Logging

/// `keel bench`: the end-to-end benchmark of docs/PERFORMANCE.md. It starts a devnet-like rollup in a
/// temporary folder (transfer, single, sqlite, attest with the in-node attestor, local), pre-signs
/// transfers from the ten development accounts, sends them as JSON-RPC batches over HTTP on
/// loopback, and stops the clock when every one is executed, persisted, batched and posted to the
/// L1. In the same run it measures bare signature recovery on one core: the ceiling.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure transfers per second end to end (JSON-RPC to a posted batch) against bare signature recovery.")

    @Option(name: .long, help: "Transfers to send.")
    var transactions = 20_000

    @Option(name: .long, help: "Transactions per JSON-RPC batch request.")
    var batch = 200

    @Option(name: .long, help: "Concurrent HTTP connections sending batches.")
    var connections = 4

    @Option(name: .long, help: "The rollup's block time in milliseconds.")
    var blockTimeMs = 250

    @Option(name: .long, help: "The rollup's block gas limit.")
    var gasLimit = 100_000_000

    @Flag(name: .long, help: "Print the figures as JSON.")
    var json = false

    @Flag(name: .long, help: "Measure fault proofs instead: one batch of about 1,024 steps (--transactions transfers, default 1,019), its trace, one-step verification and a game over it.")
    var faultProofs = false

    func run() async throws {
        try await reportingUserErrors { try await runCommand() }
    }

    private func runCommand() async throws {
        if faultProofs { return try await runFaultProofs() }
        let plan = try BenchPlan(blockTimeMilliseconds: blockTimeMs, gasLimit: gasLimit)
        defer { plan.removeFolder() }
        let raws = try BenchLoad.sign(count: transactions)
        let recovery = BenchLoad.recoveryRate(raws)
        var logger = NodeLogging.logger(label: "keel.bench")
        logger.logLevel = .error
        let node: Node
        do {
            node = try Node.open(NodeOptions(manifestPath: plan.manifestPath, rpcPort: 0), logger: logger)
        } catch {
            throw UserError("\(error)")
        }
        let ports = PortBox()
        let server = RPCServer(backend: node, host: "127.0.0.1", port: 0, logger: logger) { ports.set($0) }
        let runner = Task { try await NodeRunner.run(node, rpc: server, logger: logger, stopWhen: { ports.stopRequested }) }
        let port = try await ports.waitForPort()
        let client = JSONRPCClient(url: "http://127.0.0.1:\(port)", timeoutSeconds: 120, maxConnections: connections)
        defer { client.shutdown() }
        let result = try await BenchLoad.run(raws, client: client, batchSize: batch, connections: connections)
        ports.requestStop()
        _ = try? await runner.value
        let report = BenchReport(transactions: transactions, batchSize: batch, connections: connections, blockTimeMilliseconds: blockTimeMs,
                                 gasLimit: gasLimit, refused: result.refused, submitSeconds: result.submitSeconds,
                                 endToEndSeconds: result.endToEndSeconds, blocks: result.blocks, batches: result.batches,
                                 recoveriesPerSecond: recovery)
        if json { try printJSON(report) } else { print(report.text) }
        if result.refused > 0 { throw UserError("\(result.refused) transactions were refused; the figures above are not valid") }
    }
}

extension BenchCommand {
    /// `keel bench --fault-proofs` (docs/PERFORMANCE.md, "Fault proofs").
    private func runFaultProofs() async throws {
        let plan = try BenchPlan(blockTimeMilliseconds: blockTimeMs, gasLimit: gasLimit, faultProofs: true)
        defer { plan.removeFolder() }
        // One block of transfers from account 2 on (accounts 0 and 1 are the proposer and the challenger):
        // 2 boundaries + 1,019 transfers = 1,021 steps, near a trace's 1,023.
        let count = transactions == 20_000 ? 1_019 : transactions
        let raws = try BenchLoad.sign(count: count)
        var logger = NodeLogging.logger(label: "keel.bench")
        logger.logLevel = .error
        let node: Node
        do { node = try Node.open(NodeOptions(manifestPath: plan.manifestPath, rpcPort: 0), logger: logger) } catch { throw UserError("\(error)") }
        defer { node.close() }
        let report = try await node.measureFaultProofs(raws)
        if json { try printJSON(report) } else { print(report.text) }
    }
}

/// The port the in-process node bound, and the stop request.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var port: Int?
    private var stop = false

    func set(_ value: Int) { lock.withLock { port = value } }
    func requestStop() { lock.withLock { stop = true } }
    var stopRequested: Bool { lock.withLock { stop } }

    func waitForPort() async throws -> Int {
        for _ in 0..<600 {
            if let port = lock.withLock({ port }) { return port }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw UserError("the node did not start listening within 30 seconds")
    }
}
