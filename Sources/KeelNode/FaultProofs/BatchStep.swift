import KeelCore

/// One step of a batch's trace (docs/FAULT_PROOFS.md, §1): a block's start, one of its
/// transactions, or its end.
enum BatchStep: Sendable, Equatable {
    case blockStart(BlockHeader)
    case transaction([UInt8])
    case blockEnd

    /// The steps of `batch`, block by block.
    static func steps(of batch: Batch) -> [BatchStep] {
        var steps: [BatchStep] = []
        steps.reserveCapacity(batch.blocks.count * 2 + batch.transactionCount)
        for block in batch.blocks {
            steps.append(.blockStart(block.header))
            steps.append(contentsOf: block.transactions.map { .transaction($0) })
            steps.append(.blockEnd)
        }
        return steps
    }

    /// The steps of the batch whose bytes the DA layer returned for `record`. Bytes that do not
    /// decode for this chain, or blocks other than exactly `record.firstBlock…lastBlock`, give no
    /// steps: the transition is total, and such a batch's correct root is its parent's.
    static func steps(ofBlob blob: [UInt8], record: BatchRecord, chainID: UInt64) -> [BatchStep] {
        guard let batch = try? BatchDecoder(expectedChainID: chainID).decode(blob),
              batch.firstBlockNumber == record.firstBlock, batch.lastBlockNumber == record.lastBlock else { return [] }
        return steps(of: batch)
    }
}
