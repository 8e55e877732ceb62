import KeelABI

/// One batch's state transition, as proofs speak of it and the bridge records it.
public struct Transition: Sendable, Equatable {
    public var chainID: UInt64
    public var batchIndex: UInt64
    public var firstBlock: UInt64
    public var lastBlock: UInt64
    public var previousRoot: [UInt8]
    public var root: [UInt8]
    public var withdrawalsRoot: [UInt8]
    public var daCommitment: [UInt8]
    /// The encoded batch (docs/FORMATS.md).
    public var batch: [UInt8]
    /// The L1 deposits consumed through `lastBlock` (ABI 1.2), when the host knows them.
    public var depositCount: UInt64?

    public init(chainID: UInt64, batchIndex: UInt64, firstBlock: UInt64, lastBlock: UInt64, previousRoot: [UInt8],
                root: [UInt8], withdrawalsRoot: [UInt8], daCommitment: [UInt8], batch: [UInt8], depositCount: UInt64? = nil) {
        self.depositCount = depositCount
        self.chainID = chainID
        self.batchIndex = batchIndex
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
        self.previousRoot = previousRoot
        self.root = root
        self.withdrawalsRoot = withdrawalsRoot
        self.daCommitment = daCommitment
        self.batch = batch
    }

    package init(_ t: keel_transition) {
        let count = abiCovers(t.struct_size, \keel_transition.deposit_count) && t.deposit_count != UInt64.max ? t.deposit_count : nil
        self.init(chainID: t.chain_id, batchIndex: t.batch_index, firstBlock: t.first_block, lastBlock: t.last_block,
                  previousRoot: tupleBytes(t.previous_root), root: tupleBytes(t.root),
                  withdrawalsRoot: tupleBytes(t.withdrawals_root), daCommitment: t.da_commitment.array, batch: t.batch.array,
                  depositCount: count)
    }

    /// Calls `body` with the C view of this transition, valid during the call.
    package func withC<Result>(_ body: (UnsafePointer<keel_transition>) -> Result) -> Result {
        withKeelBytes(daCommitment) { commitment in
            withKeelBytes(batch) { batchBytes in
                var t = keel_transition()
                t.struct_size = abiSize(keel_transition.self)
                t.chain_id = chainID
                t.batch_index = batchIndex
                t.first_block = firstBlock
                t.last_block = lastBlock
                setTupleBytes(&t.previous_root, previousRoot)
                setTupleBytes(&t.root, root)
                setTupleBytes(&t.withdrawals_root, withdrawalsRoot)
                t.da_commitment = commitment
                t.batch = batchBytes
                t.deposit_count = depositCount ?? UInt64.max
                return body(&t)
            }
        }
    }
}
