import KeelCore
import KeelKernel
import Logging

/// Attests batches: replays each from DA (`BatchReplayer`), then signs it with the proof plugin and
/// hands the proof to the settlement layer (docs/NODE.md, "The attestor").
final class Attestor: @unchecked Sendable {
    let replayer: BatchReplayer
    let proof: ProofClient
    let bridge: BridgeClient
    let chainID: UInt64
    let logger: Logger

    init(replayer: BatchReplayer, proof: ProofClient, bridge: BridgeClient, chainID: UInt64, logger: Logger) {
        self.replayer = replayer
        self.proof = proof
        self.bridge = bridge
        self.chainID = chainID
        self.logger = logger
    }

    /// Attests every batch the settlement layer holds that this attestor has not; returns how many.
    @discardableResult
    func step() throws -> Int {
        var done = 0
        while true {
            let index = replayer.nextBatch
            guard index < (try bridge.batchCount().count) else { return done }
            let record = try bridge.batch(index)
            let blob = try replayer.replay(record)
            let transition = Transition(chainID: chainID, batchIndex: index, firstBlock: record.firstBlock, lastBlock: record.lastBlock,
                                        previousRoot: record.previousRoot, root: record.root, withdrawalsRoot: record.withdrawalsRoot,
                                        daCommitment: record.daCommitment, batch: blob)
            let signature = try proof.prove(transition, state: MemoryState())
            try bridge.submitProof(batch: index, proof: signature)
            logger.info("batch attested", metadata: ["index": "\(index)", "blocks": "\(record.firstBlock)-\(record.lastBlock)"])
            done += 1
        }
    }
}
