import Foundation
#if canImport(Glibc)
import Glibc
#endif
import KeelCore
import KeelKernel

/// The figures of docs/PERFORMANCE.md "Fault proofs" (`keel bench --fault-proofs`): on a node of an
/// optimistic rollup whose L1 clock moves only by command, one block of transfers as one batch of
/// about 1,024 steps; the challenger's CPU to compute its trace, the one-step verification time (the
/// verifier alone, and the host's whole step with the DA fetch and the batch decode), and a game
/// over the batch with a wrong root at its last step played to the end.
public struct FaultProofBenchReport: Sendable, Codable {
    public var transfers: Int
    public var steps: Int
    public var traceCPUSeconds: Double
    public var traceWallSeconds: Double
    public var verifierMicroseconds: [String: Double]
    public var hostStepMicroseconds: [String: Double]
    public var witnessBytes: [String: Int]
    public var gameMoves: Int
    public var gameL1Blocks: UInt64
    public var gameOutcome: String

    public var text: String {
        func quantiles(_ values: [String: Double]) -> String {
            ["median", "p90", "max"].map { "\($0) \(String(format: "%.0f", values[$0] ?? 0)) µs" }.joined(separator: ", ")
        }
        return """
        fault proofs: one batch of \(transfers) transfers, \(steps) steps
          challenger's trace of the batch: \(String(format: "%.3f", traceCPUSeconds)) s CPU (\(String(format: "%.3f", traceWallSeconds)) s wall)
          one-step verification, verifier alone: \(quantiles(verifierMicroseconds))
          one-step verification, host's whole step (DA fetch, decode, verify): \(quantiles(hostStepMicroseconds))
          witness size: median \(witnessBytes["median"] ?? 0) B, max \(witnessBytes["max"] ?? 0) B
          game over the batch (wrong root at the last step): \(gameMoves) moves, \(gameL1Blocks) L1 blocks, won by the \(gameOutcome)
        """
    }
}

extension Node {
    /// Runs the measurement on this node (mode `optimistic`, a development L1 with a manual clock),
    /// with `raws` the signed transfers for one block.
    public func measureFaultProofs(_ raws: [[UInt8]]) async throws -> FaultProofBenchReport {
        guard let producer, let batcher, let proposer = batcher.faultProposer else { throw TraceError(message: "not an optimistic sequencing node") }
        for raw in raws { _ = try await submit(raw: raw) }
        while mempool.count > 0 { _ = try producer.produce(nowMilliseconds: Node.nowMilliseconds()) }
        try batcher.store(nowMilliseconds: Node.nowMilliseconds(), force: true)
        guard let row = try chain.lastBatch() else { throw TraceError(message: "no batch was made") }
        let executions = upgrades.executions
        // The challenger's work per batch: its trace from its own state.
        let cpuStart = Self.processCPUSeconds(), wallStart = ContinuousClock.now
        let honest = try BatchTrace.compute(row.record, blob: row.blob, chain: chain, executions: executions, bridge: bridge, chainID: chainID)
        let traceCPU = Self.processCPUSeconds() - cpuStart, traceWall = (ContinuousClock.now - wallStart).seconds
        let steps = honest.roots.count - 1
        // One-step verification over a sample of steps: the verifier alone, and the host's whole step.
        let machine = StepMachine(execution: { executions.at($0) }, chainID: chainID) { [bridge] index in
            try bridge.deposits(from: index, limit: 1).first { $0.index == index }
        }
        let verifier = OneStepVerifier(machine: machine)
        let runner = HostStepRunner(da: da, executions: executions, chainID: chainID)
        var alone: [Double] = [], whole: [Double] = [], sizes: [Int] = []
        for index in stride(from: 1, through: steps, by: max(1, steps / 64)) {
            let (opening, witness) = try honest.prove(index)
            let bytes = witness.encoded
            sizes.append(bytes.count)
            let start = ContinuousClock.now
            let leaf = try verifier.correctLeaf(after: opening, steps: honest.steps, witness: try StepWitness(encoded: bytes))
            alone.append((ContinuousClock.now - start).seconds * 1e6)
            guard leaf == honest.roots[index].hash else { throw TraceError(message: "step \(index) verified to another leaf") }
            let request = try JSONSerialization.data(withJSONObject: [
                "batch": ["index": row.index, "first_block": row.firstBlock, "last_block": row.lastBlock,
                          "previous_root": row.previousRoot.description, "root": row.root.description,
                          "withdrawals_root": row.withdrawalsRoot.description, "da_commitment": Hex.encode(row.commitment ?? [])],
                "opening": Hex.encode(opening.encoded), "witness": Hex.encode(bytes)])
            let hostStart = ContinuousClock.now
            _ = try runner.run([UInt8](request))
            whole.append((ContinuousClock.now - hostStart).seconds * 1e6)
        }
        // A game over the whole batch, each side moving in the L1 block after the other's move.
        let dishonest = try BatchTrace.compute(row.record, blob: row.blob, chain: chain, executions: executions, bridge: bridge, chainID: chainID) { roots in
            roots[roots.count - 1].stateRoot = Keccak256.hash(Array("keel/bench/wrong".utf8))
        }
        let player = try proposer.player()
        try proposer.ensureStake(player)
        try player.post(dishonest)
        let challenger = DisputePlayer(bridge: bridge, chainID: chainID, signer: .key(try PrivateKey(hex: Self.benchChallengerKey), chainID: chainID))
        try challenger.call("ledger.fund", ["account": challenger.address.description, "amount": "\(UInt128(1) << 100)"])
        guard let id = try challenger.challenge(honest, postedSteps: steps, postedEnd: dishonest.roots[steps].hash) else {
            throw TraceError(message: "the challenger found nothing to dispute")
        }
        var game: [String: Any] = [:]
        for _ in 0..<100 {
            try player.move(game: id, as: "proposer", trace: dishonest)
            try bridge.devAdvance(blocks: 1)
            game = try challenger.move(game: id, as: "challenger", trace: honest)
            if game["phase"] as? String == "resolved" { break }
            try bridge.devAdvance(blocks: 1)
        }
        let opened = (game["opened_l1_block"] as? NSNumber)?.uint64Value ?? 0, resolved = (game["resolved_l1_block"] as? NSNumber)?.uint64Value ?? 0
        return FaultProofBenchReport(transfers: raws.count, steps: steps, traceCPUSeconds: traceCPU, traceWallSeconds: traceWall,
                                     verifierMicroseconds: Self.quantiles(alone), hostStepMicroseconds: Self.quantiles(whole),
                                     witnessBytes: Self.quantiles(sizes.map(Double.init)).mapValues { Int($0) },
                                     gameMoves: (game["moves"] as? NSNumber)?.intValue ?? 0, gameL1Blocks: resolved - opened,
                                     gameOutcome: game["outcome"] as? String ?? "?")
    }

    /// A development key for the benchmark's challenger (account 1 of the test mnemonic).
    static let benchChallengerKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"

    /// The process's CPU time (every thread), in seconds.
    static func processCPUSeconds() -> Double {
        Double(clock()) / Double(CLOCKS_PER_SEC)
    }

    static func quantiles(_ values: [Double]) -> [String: Double] {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return [:] }
        return ["median": sorted[sorted.count / 2], "p90": sorted[min(sorted.count - 1, sorted.count * 9 / 10)], "max": sorted[sorted.count - 1]]
    }
}
