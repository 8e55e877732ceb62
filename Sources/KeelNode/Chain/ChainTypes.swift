import KeelCore

/// The head of the chain as the node keeps it in memory (a copy of the latest `chain_block` row).
struct ChainHead: Sendable {
    var number: UInt64
    var hash: Hash32
    var header: BlockHeader
    /// The base fee the next block charges (from `execution.end_block`).
    var nextBaseFee: UInt128
    /// The next deposit index the chain has not included.
    var nextDeposit: UInt64
}

/// One transaction executed in a block being built, with what its receipt needs.
struct ExecutedTransaction: Sendable {
    var hash: Hash32
    var raw: [UInt8]
    var sender: Address
    var outcome: TransactionOutcome
    var cumulativeGasUsed: UInt64
    /// Whether it is a deposit (type 0x7e).
    var isDeposit: Bool

    var effectiveGasPrice: UInt128 {
        outcome.gasUsed == 0 ? 0 : outcome.feePaid / UInt128(outcome.gasUsed)
    }

    var receipt: Receipt {
        Receipt(succeeded: outcome.succeeded, cumulativeGasUsed: cumulativeGasUsed, gasUsed: outcome.gasUsed)
    }
}

/// A block whose transactions ran and whose state writes are ready to commit.
struct ExecutedBlock: Sendable {
    var number: UInt64
    var timestamp: UInt64
    var parentHash: Hash32
    var baseFee: UInt128
    var gasLimit: UInt64
    var gasUsed: UInt64
    var transactions: [ExecutedTransaction]
    var nextBaseFee: UInt128
    var nextDeposit: UInt64
    var updates: [(key: [UInt8], value: [UInt8]?)]

    /// The header, once the state root is known (unsigned).
    func header(stateRoot: Hash32) -> BlockHeader {
        let messages = transactions.compactMap { $0.outcome.l2ToL1Message.isEmpty ? nil : $0.outcome.l2ToL1Message }
        return BlockHeader(
            parentHash: parentHash, number: number, timestamp: timestamp, stateRoot: stateRoot,
            transactionsRoot: BlockRoots.transactionsRoot(transactions.lazy.map(\.raw)),
            receiptsRoot: BlockRoots.receiptsRoot(transactions.map(\.receipt)),
            withdrawalsRoot: BlockRoots.withdrawalsRoot(messages: messages),
            baseFee: baseFee, gasUsed: gasUsed, gasLimit: gasLimit)
    }
}

/// Something the node's database holds that it cannot read back as written.
struct ChainStoreError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
