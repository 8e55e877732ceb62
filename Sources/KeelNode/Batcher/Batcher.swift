import Foundation
import KeelCore
import KeelKernel
import Logging

/// Closes batches of blocks and posts them: DA first, then the settlement layer, recording each
/// step in the outbox before the next (docs/NODE.md, "Durability"). `step` is idempotent and is
/// called after every block and on a timer; a failure leaves the row where it was, to retry.
final class Batcher: @unchecked Sendable {
    static let brotliFlag = "batch-codec-brotli"

    let chain: ChainStore
    let da: DARouter
    /// The bridge of each height: a batch is posted through the one serving its first block.
    let bridges: PluginSchedule<BridgeClient>
    let flags: FeatureFlags
    let chainID: UInt64
    let maxBlocks: Int
    let maxAgeMilliseconds: UInt64
    let logger: Logger
    /// Called with a new batch's first block before it is encoded: the node applies the manifest's
    /// DA upgrades there, so a batch is wholly on the providers of its first block.
    var onBatchStart: ((UInt64) throws -> Void)?
    /// Posts batches whose proof plugin is `fault` with their traces (docs/FAULT_PROOFS.md).
    var faultProposer: FaultProposer?
    private let lock = NSLock()

    init(chain: ChainStore, da: DARouter, bridges: PluginSchedule<BridgeClient>, flags: FeatureFlags, chainID: UInt64,
         maxBlocks: Int, maxAgeMilliseconds: UInt64, logger: Logger) {
        self.chain = chain
        self.da = da
        self.bridges = bridges
        self.flags = flags
        self.chainID = chainID
        self.maxBlocks = maxBlocks
        self.maxAgeMilliseconds = maxAgeMilliseconds
        self.logger = logger
    }

    /// Both roles' steps: the batcher's, then the proposer's (tests, and a node running both).
    /// `force` closes a batch of whatever blocks are waiting.
    func step(nowMilliseconds: UInt64, force: Bool = false) throws {
        try store(nowMilliseconds: nowMilliseconds, force: force)
        try propose()
    }

    /// The batcher role: stores encoded rows on DA, then closes and stores new batches when due.
    func store(nowMilliseconds: UInt64, force: Bool = false) throws {
        try lock.withLock {
            for row in try chain.unfinishedBatches() where row.stage == .encoded { try advance(row, to: .stored) }
            while let row = try closeBatch(nowMilliseconds: nowMilliseconds, force: force) {
                try advance(row, to: .stored)
            }
        }
    }

    /// The proposer role: posts the stored batches to the settlement layer, in index order.
    func propose() throws {
        try lock.withLock {
            for row in try chain.unfinishedBatches() {
                guard row.stage == .stored else { return }
                try advance(row, to: .posted)
            }
        }
    }

    private func closeBatch(nowMilliseconds: UInt64, force: Bool) throws -> OutboxRow? {
        guard let head = chain.head else { return nil }
        let last = try chain.lastBatch()
        let first = (last?.lastBlock ?? 0) + 1
        guard head.number >= first else { return nil }
        let waiting = head.number - first + 1
        guard let firstBlock = try chain.block(number: first) else { return nil }
        let age = nowMilliseconds > firstBlock.header.timestamp ? nowMilliseconds - firstBlock.header.timestamp : 0
        guard force || waiting >= UInt64(maxBlocks) || age >= maxAgeMilliseconds else { return nil }
        try onBatchStart?(first)
        var lastBlock = min(head.number, first + UInt64(maxBlocks) - 1)
        let codec: CompressionCodec = flags.isActive(Self.brotliFlag, atHeight: first) ? .brotli : .zlib
        var blob: [UInt8]
        let traced = faultProposer?.posts(atBlock: first) ?? false
        while true {
            let blocks = try chain.blocks(first...lastBlock)
            // Under fault proofs a batch must fit in one trace (docs/FAULT_PROOFS.md, §1).
            if traced, lastBlock > first, blocks.reduce(0, { $0 + 2 + $1.transactions.count }) > TraceCommitment.maxSteps {
                lastBlock = first + (lastBlock - first) / 2
                continue
            }
            blob = try BatchEncoder(codec: codec).encode(Batch(chainID: chainID, blocks: blocks))
            if UInt64(blob.count) <= da.maxBlobSize || lastBlock == first { break }
            lastBlock = first + (lastBlock - first) / 2
        }
        guard UInt64(blob.count) <= da.maxBlobSize else {
            throw ChainStoreError(message: "block \(first) alone encodes to \(blob.count) bytes, over the DA provider's "
                                  + "limit of \(da.maxBlobSize); lower node.gas_limit or use a provider with larger blobs")
        }
        guard let previous = try chain.block(number: first - 1), let end = try chain.block(number: lastBlock) else { return nil }
        let messages = try chain.messages(first...lastBlock).map(\.message)
        let row = OutboxRow(index: try chain.nextBatchIndex(), firstBlock: first, lastBlock: lastBlock, codec: codec, blob: blob,
                            previousRoot: previous.header.stateRoot, root: end.header.stateRoot,
                            withdrawalsRoot: BlockRoots.withdrawalsRoot(messages: messages), commitment: nil, stage: .encoded,
                            provider: nil)
        try chain.insertBatch(row)
        return row
    }

    /// Moves `start` through the outbox's stages up to `target` (docs/NODE.md, "Durability").
    private func advance(_ start: OutboxRow, to target: OutboxRow.Stage) throws {
        var row = start
        if row.stage == .encoded {
            let (commitment, provider) = try da.submit(row.blob)
            try chain.updateBatch(row.index, stage: .stored, commitment: commitment, provider: provider.name)
            row.commitment = commitment
            row.provider = provider.name
            row.stage = .stored
        }
        if row.stage == .stored, target == .posted {
            if let faultProposer, faultProposer.posts(atBlock: row.firstBlock) {
                try faultProposer.post(row)
            } else {
                try bridges.at(row.firstBlock).submitBatch(row.record)
            }
            try chain.updateBatch(row.index, stage: .posted)
            logger.info("batch posted", metadata: [
                "index": "\(row.index)", "blocks": "\(row.firstBlock)-\(row.lastBlock)", "bytes": "\(row.blob.count)",
                "codec": "\(row.codec)", "da": "\(row.provider ?? "?")"])
        }
    }
}
