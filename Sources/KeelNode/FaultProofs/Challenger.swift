import Foundation
import KeelCore
import KeelKernel
import KeelState
import Logging

/// `keel challenge` (docs/FAULT_PROOFS.md, §2): derives every batch from the settlement layer and
/// DA on a chain of its own, computes each fault-proof batch's trace, opens a game against any
/// posted end it computes otherwise, plays its games to the end, and defends honest batches by
/// playing the proposer's side in games others open against them. Everything it needs after a
/// crash is in its data directory (the derived chain, the last batch checked) and on the L1 (its
/// games), so it resumes where it was.
final class Challenger: @unchecked Sendable {
    // @unchecked: the trace cache is guarded by `lock`; the rest is immutable.
    let replayer: BatchReplayer
    let da: DARouter
    let executions: PluginSchedule<ExecutionClient>
    let player: DisputePlayer
    let chainID: UInt64
    let logger: Logger
    /// Tests only: a batch this challenger lies about (`keel challenge --dev-lie-about-batch`).
    let lie: FaultInjection
    private let lock = NSLock()
    private var traces: [UInt64: BatchTrace] = [:]

    init(replayer: BatchReplayer, da: DARouter, executions: PluginSchedule<ExecutionClient>, player: DisputePlayer, chainID: UInt64,
         lie: FaultInjection = FaultInjection(), logger: Logger) {
        self.lie = lie
        self.replayer = replayer
        self.da = da
        self.executions = executions
        self.player = player
        self.chainID = chainID
        self.logger = logger
    }

    var chain: ChainStore { replayer.chain }

    /// One round: check the batches derived since the last round, move in every running game, and
    /// collect what the L1 owes. Returns whether anything was done on the L1.
    @discardableResult
    func step() throws -> Bool {
        var acted = try checkNewBatches()
        let listed = try player.call("game.list", ["running": true])
        for game in listed["games"] as? [[String: Any]] ?? [] where game["phase"] as? String != "resolved" {
            guard let id = (game["id"] as? NSNumber)?.int64Value, let batch = (game["batch"] as? NSNumber)?.uint64Value,
                  batch < replayer.nextBatch else { continue }
            let trace = try trace(of: batch)
            let side: String
            if game["challenger_address"] as? String == player.address.description {
                side = "challenger"
            } else if try posted(batch)["trace_commitment"] as? String == trace.commitment.root.description {
                side = "proposer"  // an honest batch under attack: defend it
            } else {
                continue
            }
            let before = game["moves"] as? Int
            let after = try player.move(game: id, as: side, trace: trace)
            if after["moves"] as? Int != before || after["phase"] as? String == "resolved" { acted = true }
        }
        // The state of every batch not yet final stays readable: its steps may still be disputed.
        let (count, settled) = try player.bridge.batchCount()
        if settled < count, settled < replayer.nextBatch {
            chain.state.keepVersions(from: try player.bridge.batch(settled).firstBlock - 1)
        } else {
            chain.state.keepVersions(from: chain.head?.number)
        }
        let paid = try player.call("credits.claim", ["account": player.address.description])
        if let amount = paid["paid"] as? String, amount != "0" {
            logger.notice("collected from the L1", metadata: ["wei": "\(amount)"])
        }
        return acted
    }

    /// Opens a game against each newly derived batch whose posted end differs from this trace's.
    private func checkNewBatches() throws -> Bool {
        var marker = try chain.meta("challenger_checked").map { ChainStore.uint64($0) } ?? 0
        var opened = false
        while marker < replayer.nextBatch {
            let status = try posted(marker)
            if status["rule"] as? String == "fault", status["status"] as? String == "pending",
               let steps = (status["step_count"] as? NSNumber)?.intValue, let end = (status["end_leaf"] as? String).flatMap(Hash32.init(hex:)) {
                let trace = try trace(of: marker)
                if trace.commitment.root.description != status["trace_commitment"] as? String, try !hasGame(on: marker) {
                    try fundBondIfDevelopment()
                    if let id = try player.challenge(trace, postedSteps: steps, postedEnd: end) {
                        logger.warning("batch \(marker)'s posted trace differs from this challenger's: game \(id) opened")
                        opened = true
                    }
                }
            }
            marker += 1
            try chain.setMeta("challenger_checked", ChainStore.bytes(marker))
        }
        return opened
    }

    /// On a development L1 the faucet pays the bond when the challenger's account cannot.
    private func fundBondIfDevelopment() throws {
        guard player.bridge.isDevelopmentL1 else { return }
        let bond = (try player.call("fault.parameters", [:])["challenger_bond"] as? String).flatMap { UInt128($0) } ?? 0
        let balance = (try player.call("ledger.balance", ["account": player.address.description])["balance"] as? String).flatMap { UInt128($0) } ?? 0
        if balance < bond { try player.call("ledger.fund", ["account": player.address.description, "amount": "\(bond - balance)"]) }
    }

    private func hasGame(on batch: UInt64) throws -> Bool {
        let listed = try player.call("game.list", ["batch": batch])
        return (listed["games"] as? [[String: Any]] ?? []).contains { $0["challenger_address"] as? String == player.address.description }
    }

    private func posted(_ batch: UInt64) throws -> [String: Any] {
        try player.call("batch.status", ["index": batch])
    }

    /// This challenger's trace of batch `index`, computed on its own derived chain.
    func trace(of index: UInt64) throws -> BatchTrace {
        if let cached = lock.withLock({ traces[index] }) { return cached }
        let record = try player.bridge.batch(index)
        let trace = try BatchTrace.compute(record, blob: try replayer.fetch(record), chain: chain, executions: executions,
                                           bridge: player.bridge, chainID: chainID, tamper: lie.tamper(batch: index))
        lock.withLock { traces[index] = trace }
        return trace
    }
}
