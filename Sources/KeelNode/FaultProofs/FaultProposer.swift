import Foundation
import KeelCore
import KeelKernel
import KeelState
import Logging

/// The proposer role under fault proofs (docs/FAULT_PROOFS.md, §1–§2): posts each batch with its
/// trace, stakes when it must, answers every game against its batches, and when the settlement
/// layer rejects a batch, rewinds the outbox so its blocks are batched and posted again.
final class FaultProposer: @unchecked Sendable {
    // @unchecked: the trace cache and the player are guarded by `lock`; the rest is immutable.
    let chain: ChainStore
    let executions: PluginSchedule<ExecutionClient>
    let proofs: PluginSchedule<ProofClient>
    let bridge: BridgeClient
    let chainID: UInt64
    let injection: FaultInjection
    let logger: Logger
    private let lock = NSLock()
    private var traces: [UInt64: BatchTrace] = [:]
    private var cachedPlayer: DisputePlayer?

    init(chain: ChainStore, executions: PluginSchedule<ExecutionClient>, proofs: PluginSchedule<ProofClient>, bridge: BridgeClient,
         chainID: UInt64, injection: FaultInjection, logger: Logger) {
        self.chain = chain
        self.executions = executions
        self.proofs = proofs
        self.bridge = bridge
        self.chainID = chainID
        self.injection = injection
        self.logger = logger
    }

    /// Whether the batch starting at `block` is settled by fault proofs (its proof plugin says so).
    func posts(atBlock block: UInt64) -> Bool {
        proofs.at(block).instance.library.capabilities.contains(DeclaredCapabilities.faultProof)
    }

    func player() throws -> DisputePlayer {
        try lock.withLock {
            if let cachedPlayer { return cachedPlayer }
            let player = DisputePlayer(bridge: bridge, chainID: chainID, signer: try CallSigner.plugin(proofs.at(chain.head?.number ?? 0)))
            cachedPlayer = player
            return player
        }
    }

    /// Posts `row` with its trace, staking first if this proposer's stake does not cover it.
    func post(_ row: OutboxRow) throws {
        let trace = try trace(of: row)
        let player = try player()
        try ensureStake(player)
        try player.post(trace)
        logger.info("batch posted with its trace", metadata: ["index": "\(row.index)", "steps": "\(trace.roots.count - 1)",
                                                            "trace": "\(trace.commitment.root)"])
    }

    /// This node's trace of `row` (the injected fault, on a development L1, changes it once).
    func trace(of row: OutboxRow) throws -> BatchTrace {
        if let cached = lock.withLock({ traces[row.index] }), cached.record.firstBlock == row.firstBlock { return cached }
        let trace = try BatchTrace.compute(row.record, blob: row.blob, chain: chain, executions: executions, bridge: bridge,
                                           chainID: chainID, tamper: injection.tamper(batch: row.index))
        lock.withLock { traces[row.index] = trace }
        return trace
    }

    /// One round of the proposer's duties: a move in every running game against its batches, and a
    /// rewind after a rejection. Returns whether anything happened.
    @discardableResult
    func defend() throws -> Bool {
        let player = try player()
        var moved = false
        let listed = try player.call("game.list", ["running": true])
        for game in listed["games"] as? [[String: Any]] ?? [] where game["phase"] as? String != "resolved" {
            guard let id = (game["id"] as? NSNumber)?.int64Value, let batch = (game["batch"] as? NSNumber)?.uint64Value else { continue }
            var known = lock.withLock { traces[batch] }
            if known == nil, let row = try chain.batchRow(batch) { known = try trace(of: row) }
            guard let trace = known else { continue }
            let before = game["moves"] as? Int
            let after = try player.move(game: id, as: "proposer", trace: trace)
            if after["moves"] as? Int != before || after["phase"] as? String == "resolved" { moved = true }
        }
        return try rewindAfterRejection() || moved
    }

    /// When the settlement layer has rejected a batch this node posted, forgets it and every later
    /// row, so the batcher batches their blocks again from the last batch still standing.
    private func rewindAfterRejection() throws -> Bool {
        let count = try bridge.batchCount().count
        // Batches below the marker are known final; the marker moves up as they become so.
        var marker = try chain.meta("proposer_final_batches").map { ChainStore.uint64($0) } ?? 0
        defer {
            try? chain.setMeta("proposer_final_batches", ChainStore.bytes(marker))
            keepStateOfUnfinishedBatches(from: marker)
        }
        for index in marker..<max(marker, count) {
            let status = try (try player()).call("batch.status", ["index": index])["status"] as? String
            if status == "final", marker == index { marker = index + 1 }
            guard status == "rejected", try chain.batchRow(index) != nil else { continue }
            try chain.rewindBatches(from: index, nextIndex: count)
            lock.withLock { traces = traces.filter { $0.key < index } }
            logger.warning("the settlement layer rejected batch \(index): posting its blocks again from the last batch standing",
                           metadata: ["next_index": "\(count)"])
            return true
        }
        return false
    }

    /// Keeps the state of every batch from `marker` (the first not known final) readable, and of the
    /// next batch to close: their steps may still have to be proven.
    private func keepStateOfUnfinishedBatches(from marker: UInt64) {
        let row = (try? chain.batchRow(marker)) ?? nil
        let last = (try? chain.lastBatch()) ?? nil
        guard let oldest = row?.firstBlock ?? last.map({ $0.lastBlock + 1 }), oldest > 0 else { return }
        chain.state.keepVersions(from: oldest - 1)
    }

    func ensureStake(_ player: DisputePlayer) throws {
        let parameters = try player.call("fault.parameters", [:])
        let required = (parameters["proposer_stake"] as? String).flatMap { UInt128($0) } ?? 0
        let account = try player.call("ledger.balance", ["account": player.address.description])
        let stake = (account["stake"] as? String).flatMap { UInt128($0) } ?? 0
        guard stake < required else { return }
        let balance = (account["balance"] as? String).flatMap { UInt128($0) } ?? 0
        if balance < required - stake, bridge.isDevelopmentL1 {
            try player.call("ledger.fund", ["account": player.address.description, "amount": "\(required - stake - balance)"])
        }
        try player.call("stake.deposit", ["amount": "\(required - stake)"], signed: true)
        logger.notice("staked as a proposer", metadata: ["stake": "\(required)", "proposer": "\(player.address)"])
    }
}

/// Faults a proposer injects on purpose, for tests of the dispute game: a wrong state root (from
/// the middle of the batch on) or a wrong withdrawals root at a chosen batch. A node accepts them
/// only on a development L1 (`keel up --dev-post-wrong-root N`).
public struct FaultInjection: Sendable, Equatable {
    /// Where in the batch the wrong state root starts.
    public enum Step: String, Sendable, CaseIterable { case first, middle, last }

    public var wrongRootAtBatch: UInt64?
    public var wrongRootFrom: Step
    public var wrongWithdrawalsRootAtBatch: UInt64?
    /// What the wrong roots are made from, so a lying challenger's roots differ from a lying proposer's.
    public var label = "wrong-root"

    public init(wrongRootAtBatch: UInt64? = nil, from step: Step = .middle, wrongWithdrawalsRootAtBatch: UInt64? = nil) {
        self.wrongRootAtBatch = wrongRootAtBatch
        wrongRootFrom = step
        self.wrongWithdrawalsRootAtBatch = wrongWithdrawalsRootAtBatch
    }

    public var isEmpty: Bool { wrongRootAtBatch == nil && wrongWithdrawalsRootAtBatch == nil }

    func tamper(batch index: UInt64) -> ((inout [StepRoot]) -> Void)? {
        if index == wrongRootAtBatch {
            let step = wrongRootFrom, label = label
            return { roots in
                let wrong = Keccak256.hash(Array("keel/dev/\(label)/\(index)".utf8))
                let first = switch step {
                case .first: 1
                case .middle: max(1, roots.count / 2)
                case .last: roots.count - 1
                }
                for position in first..<roots.count { roots[position].stateRoot = wrong }
            }
        }
        if index == wrongWithdrawalsRootAtBatch {
            return { roots in roots[roots.count - 1].withdrawalsRoot = Keccak256.hash(Array("keel/dev/wrong-withdrawals/\(index)".utf8)) }
        }
        return nil
    }
}
