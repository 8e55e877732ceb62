import KeelCore
import KeelKernel

/// Re-executes batches from the settlement layer's records and the DA provider's blobs on a chain
/// of its own, checking every root; the attestor signs only what it reproduced, and the follower
/// (issue 5) serves what it derived. Any mismatch throws a `ReplayAlarm` naming the batch and block.
final class BatchReplayer: @unchecked Sendable {
    let chain: ChainStore
    /// The execution and sequencer plugins of each height: a block is replayed by its range's plugins.
    let executions: PluginSchedule<ExecutionClient>
    let sequencers: PluginSchedule<SequencerClient>
    let da: DARouter
    let bridge: BridgeClient
    /// The bridge of each height, whose deposit queue a block's deposits are checked against.
    let bridges: PluginSchedule<BridgeClient>
    let chainID: UInt64
    /// The block rules the replay checks every header against (its gas limit).
    let rules: ChainRules
    /// Senders already known (the node's admissions), so the replay recovers each sender once.
    let senders: RecoveryCache
    /// Whether replayed batches are written to the chain's batch table (a follower serves them).
    let recordBatches: Bool
    /// Whether the record's claimed root and withdrawals root must match re-execution (an alarm if
    /// not). A challenger derives the chain without them and disputes wrong claims in games instead.
    var checksClaimedRoots = true

    init(chain: ChainStore, executions: PluginSchedule<ExecutionClient>, sequencers: PluginSchedule<SequencerClient>, da: DARouter,
         bridges: PluginSchedule<BridgeClient>, chainID: UInt64,
         rules: ChainRules, senders: RecoveryCache = RecoveryCache(), recordBatches: Bool = false) {
        self.rules = rules
        self.senders = senders
        self.recordBatches = recordBatches
        self.chain = chain
        self.executions = executions
        self.sequencers = sequencers
        self.da = da
        self.bridges = bridges
        self.bridge = bridges.at(0)
        self.chainID = chainID
    }

    /// The next batch index this replayer has not applied.
    var nextBatch: UInt64 {
        ((try? chain.meta("replayed_batches")) ?? nil).map { ChainStore.uint64($0) } ?? 0
    }

    /// Fetches batch `record`'s blob from DA, replays it (which must be `nextBatch`, possibly begun
    /// before a crash) and returns the blob.
    @discardableResult
    func replay(_ record: BatchRecord) throws -> [UInt8] {
        let index = record.index
        func alarm(_ message: String, block: UInt64? = nil) -> ReplayAlarm { ReplayAlarm(batch: index, block: block, message: message) }
        guard let head = chain.head else { throw alarm("the replaying chain has no genesis") }
        let blob = try fetch(record)
        let batch: Batch
        do { batch = try BatchDecoder(expectedChainID: chainID).decode(blob) } catch { throw alarm("its data does not decode: \(error)") }
        guard batch.firstBlockNumber == record.firstBlock, batch.lastBlockNumber == record.lastBlock else {
            throw alarm("the data holds blocks \(batch.firstBlockNumber ?? 0)-\(batch.lastBlockNumber ?? 0), the record says "
                        + "\(record.firstBlock)-\(record.lastBlock)")
        }
        // A crash may have left part of this batch replayed: those blocks must be the batch's own.
        guard record.firstBlock >= 1, record.firstBlock <= head.number + 1 else {
            throw alarm("it starts at block \(record.firstBlock), but this chain's head is \(head.number)")
        }
        guard let before = try chain.block(number: record.firstBlock - 1), !checksClaimedRoots || record.previousRoot == before.header.stateRoot.bytes else {
            throw alarm("its previous root \(Hex.encode(record.previousRoot)) is not the state root of block \(record.firstBlock - 1)")
        }
        for block in batch.blocks {
            if block.header.number <= head.number {
                guard try chain.block(number: block.header.number)?.hash == block.header.hash else {
                    throw alarm("block \(block.header.number) differs from the one replayed before", block: block.header.number)
                }
                continue
            }
            try replay(block, batch: index)
        }
        guard let end = try chain.block(number: record.lastBlock), !checksClaimedRoots || end.header.stateRoot.bytes == record.root else {
            throw alarm("re-execution ends at another state root than the record's \(Hex.encode(record.root))")
        }
        let messages = try chain.messages(record.firstBlock...record.lastBlock).map(\.message)
        let withdrawalsRoot = BlockRoots.withdrawalsRoot(messages: messages)
        guard !checksClaimedRoots || withdrawalsRoot.bytes == record.withdrawalsRoot else {
            throw alarm("the withdrawals root is \(withdrawalsRoot), the record says \(Hex.encode(record.withdrawalsRoot))")
        }
        if recordBatches, try chain.batchRow(index) == nil {
            let codec = (try? BatchDecoder().header(of: blob).codec) ?? .none
            try chain.insertBatch(OutboxRow(index: index, firstBlock: record.firstBlock, lastBlock: record.lastBlock, codec: codec,
                                            blob: blob, previousRoot: Hash32(bytes: record.previousRoot) ?? .zero,
                                            root: Hash32(bytes: record.root) ?? .zero, withdrawalsRoot: withdrawalsRoot,
                                            commitment: record.daCommitment, stage: .posted,
                                            provider: da.allLoaded.first { $0.providerID == record.daCommitment.first }?.name))
        }
        try chain.setMeta("replayed_batches", ChainStore.bytes(index + 1))
        return blob
    }

    /// The batch's blob from the DA provider its commitment names.
    func fetch(_ record: BatchRecord) throws -> [UInt8] {
        do { return try da.retrieve(record.daCommitment) } catch {
            throw ReplayAlarm(batch: record.index, block: nil, message: "its data cannot be had from DA: \(error)")
        }
    }

    private func replay(_ block: Block, batch index: UInt64) throws {
        let header = block.header
        func alarm(_ message: String) -> ReplayAlarm { ReplayAlarm(batch: index, block: header.number, message: message) }
        guard let head = chain.head else { throw alarm("no head") }
        guard header.number == head.number + 1, header.parentHash == head.hash else {
            throw alarm("its parent hash \(header.parentHash) is not block \(head.number)'s hash \(head.hash)")
        }
        guard header.baseFee == head.nextBaseFee else {
            throw alarm("its base fee is \(header.baseFee), the fee market says \(head.nextBaseFee)")
        }
        let gasLimit = rules.gasLimit(atHeight: header.number)
        guard header.gasLimit == gasLimit else {
            throw alarm("its gas limit is \(header.gasLimit), the chain's rules give \(gasLimit) at this height")
        }
        guard let signature = header.sequencerSignature, let signer = try? header.sequencerAddress() else {
            throw alarm("its sequencer signature is missing or does not recover")
        }
        do {
            try sequencers.at(header.number).verifyHeader(height: header.number, hash: header.hash.bytes, signature: signature.compactBytes)
        } catch {
            throw alarm("the sequencer plugin refuses its signature: \(error.message)")
        }
        var inputs: [BlockExecutor.Input] = []
        var nextDeposit = head.nextDeposit
        for raw in block.transactions {
            if raw.first == DepositTransaction.typeByte {
                let deposit: DepositTransaction
                do { deposit = try Transaction.decodeDeposit(raw: raw) } catch { throw alarm("a deposit does not decode: \(error)") }
                let queued = try bridges.at(header.number).deposits(from: nextDeposit, limit: 1).first
                guard let queued, queued.index == deposit.depositIndex, queued.from == deposit.from.bytes,
                      queued.to == deposit.to.bytes, queued.amount == deposit.amount, queued.l1Block == deposit.l1Block else {
                    throw alarm("deposit \(deposit.depositIndex) differs from the bridge's deposit \(nextDeposit)")
                }
                nextDeposit += 1
                inputs.append(.init(raw: raw, hash: deposit.hash, sender: deposit.from, isDeposit: true))
            } else {
                let tx: SignedTransaction
                do { tx = try Transaction.decode(raw: raw, recoveryCache: senders) } catch { throw alarm("a transaction does not decode: \(error)") }
                inputs.append(.init(raw: raw, hash: tx.hash, sender: tx.sender, isDeposit: false))
            }
        }
        let executor = BlockExecutor(execution: executions.at(header.number), chainID: chainID, feeRecipient: signer)
        let result: (block: ExecutedBlock, refused: [BlockExecutor.Refusal])
        do {
            result = try executor.run(number: header.number, timestamp: header.timestamp, parentHash: head.hash, baseFee: header.baseFee,
                                      gasLimit: header.gasLimit, nextDeposit: head.nextDeposit, inputs: inputs, store: chain.state,
                                      baseVersion: head.number, skipRefused: false)
        } catch {
            throw alarm("re-execution failed: \(error)")
        }
        try chain.commit(result.block) { hash in
            guard hash == header.hash else {
                throw alarm("re-execution gives block hash \(hash), the batch has \(header.hash) (state root or another root differs)")
            }
            return signature
        }
    }
}

/// A batch that could not be reproduced: the replayer stops and never skips it.
struct ReplayAlarm: Error, CustomStringConvertible {
    var batch: UInt64
    var block: UInt64?
    var message: String
    var description: String {
        "ALARM: batch \(batch)" + (block.map { ", block \($0)" } ?? "") + " cannot be reproduced: \(message)"
    }
}
