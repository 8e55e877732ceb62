/// A run of consecutive blocks of one chain, as posted to data availability.
///
/// `BatchEncoder` turns it into bytes (a `BatchHeader` and the compressed payload) and
/// `BatchDecoder` restores it exactly; docs/FORMATS.md describes the bytes.
public struct Batch: Hashable, Sendable {
    /// The chain the blocks belong to.
    public var chainID: UInt64
    /// The blocks, in order: consecutive numbers, each block's `parentHash` the hash of the one before.
    public var blocks: [Block]

    /// A batch of `blocks` of chain `chainID`.
    public init(chainID: UInt64, blocks: [Block]) {
        self.chainID = chainID
        self.blocks = blocks
    }

    /// The number of the first block; `nil` for no blocks (which no encoder accepts).
    public var firstBlockNumber: UInt64? { blocks.first?.header.number }

    /// The number of the last block; `nil` for no blocks.
    public var lastBlockNumber: UInt64? { blocks.last?.header.number }

    /// The number of transactions in all the blocks.
    public var transactionCount: Int { blocks.reduce(0) { $0 + $1.transactions.count } }
}
