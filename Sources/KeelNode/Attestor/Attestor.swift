import KeelCore
import KeelKernel
import Logging

/// Attests batches: replays each from DA (`BatchReplayer`), then signs it with the proof plugin and
/// hands the proof to the settlement layer (docs/NODE.md, "The attestor").
final class Attestor: @unchecked Sendable {
    let replayer: BatchReplayer
    /// The proof plugins by height: a batch is proved by the one serving its first block
    /// (an upgrade switches the proof at the first batch that starts at or above its height).
    let proofs: PluginSchedule<ProofClient>
    let bridge: BridgeClient
    /// The bridge of each height: a proof goes through the one serving its batch's first block.
    let bridges: PluginSchedule<BridgeClient>
    let chainID: UInt64
    /// A standalone attestor reads the change log itself (DA swaps); the in-node one shares the node's providers.
    let changeLog: ChangeLog?
    let logger: Logger

    init(replayer: BatchReplayer, proofs: PluginSchedule<ProofClient>, bridges: PluginSchedule<BridgeClient>, chainID: UInt64, changeLog: ChangeLog? = nil, logger: Logger) {
        self.replayer = replayer
        self.changeLog = changeLog
        self.proofs = proofs
        self.bridges = bridges
        self.bridge = bridges.at(0)
        self.chainID = chainID
        self.logger = logger
    }

    /// How many batches this attestor has attested (the next index to attest).
    var attested: UInt64 {
        ((try? replayer.chain.meta("attested_batches")) ?? nil).map { ChainStore.uint64($0) } ?? 0
    }

    /// Attests every batch the settlement layer holds that this attestor has not; returns how many.
    @discardableResult
    func step() throws -> Int {
        // The batch count before the change log, as the follower does.
        let count = try bridge.batchCount().count
        try changeLog?.catchUp()
        var done = 0
        while true {
            // Replayed and attested are recorded apart: a crash between them replays nothing twice
            // and still attests.
            let index = attested
            guard index < count else { return done }
            let record = try bridge.batch(index)
            let blob = index < replayer.nextBatch ? try replayer.fetch(record) : try replayer.replay(record)
            // An attestor of ABI 1.2 also signs the deposits consumed, so the L1 can enforce forced inclusion.
            let proof = proofs.at(record.firstBlock)
            let deposits = proof.instance.library.abiMinor >= 2 ? try replayer.chain.nextDeposit(afterBlock: record.lastBlock) : nil
            let transition = Transition(chainID: chainID, batchIndex: index, firstBlock: record.firstBlock, lastBlock: record.lastBlock,
                                        previousRoot: record.previousRoot, root: record.root, withdrawalsRoot: record.withdrawalsRoot,
                                        daCommitment: record.daCommitment, batch: blob, depositCount: deposits)
            var attestation: [UInt8] = []
            if let deposits { attestation.appendBigEndian(deposits) }
            attestation += try proof.prove(transition, state: MemoryState())
            try bridges.at(record.firstBlock).submitProof(batch: index, proof: attestation)
            try replayer.chain.setMeta("attested_batches", ChainStore.bytes(index + 1))
            logger.info("batch attested", metadata: ["index": "\(index)", "blocks": "\(record.firstBlock)-\(record.lastBlock)"])
            done += 1
        }
    }
}
