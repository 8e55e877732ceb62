import KeelABI

/// The settlement layer's head (`keel_l1_head`).
public struct L1Head: Sendable, Equatable {
    public var number: UInt64
    /// Seconds since the Unix epoch.
    public var timestamp: UInt64
    public var hash: [UInt8]

    public init(number: UInt64, timestamp: UInt64, hash: [UInt8]) {
        self.number = number
        self.timestamp = timestamp
        self.hash = hash
    }

    package init(_ h: keel_l1_head) {
        self.init(number: h.number, timestamp: h.timestamp, hash: tupleBytes(h.hash))
    }

    package func write(to h: inout keel_l1_head) {
        h.number = number
        h.timestamp = timestamp
        setTupleBytes(&h.hash, hash)
    }
}

/// A batch as the settlement layer records it (`keel_batch_record`).
public struct BatchRecord: Sendable, Equatable {
    public var index: UInt64
    public var firstBlock: UInt64
    public var lastBlock: UInt64
    public var previousRoot: [UInt8]
    public var root: [UInt8]
    public var withdrawalsRoot: [UInt8]
    public var daCommitment: [UInt8]
    /// Set by the bridge: the L1 block that recorded it.
    public var l1Block: UInt64
    /// Set by the bridge: whether withdrawals against it may be claimed.
    public var isFinal: Bool

    public init(index: UInt64, firstBlock: UInt64, lastBlock: UInt64, previousRoot: [UInt8], root: [UInt8],
                withdrawalsRoot: [UInt8], daCommitment: [UInt8], l1Block: UInt64 = 0, isFinal: Bool = false) {
        self.index = index
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
        self.previousRoot = previousRoot
        self.root = root
        self.withdrawalsRoot = withdrawalsRoot
        self.daCommitment = daCommitment
        self.l1Block = l1Block
        self.isFinal = isFinal
    }

    /// Reads a record whose commitment travels separately (as `get_batch` returns it).
    package init(_ r: keel_batch_record, commitment: [UInt8]) {
        self.init(index: r.index, firstBlock: r.first_block, lastBlock: r.last_block,
                  previousRoot: tupleBytes(r.previous_root), root: tupleBytes(r.root),
                  withdrawalsRoot: tupleBytes(r.withdrawals_root), daCommitment: commitment,
                  l1Block: r.l1_block, isFinal: r.final != 0)
    }

    /// Writes every field but the commitment.
    package func write(to r: inout keel_batch_record) {
        r.index = index
        r.first_block = firstBlock
        r.last_block = lastBlock
        setTupleBytes(&r.previous_root, previousRoot)
        setTupleBytes(&r.root, root)
        setTupleBytes(&r.withdrawals_root, withdrawalsRoot)
        r.l1_block = l1Block
        r.final = isFinal ? 1 : 0
    }

    /// Calls `body` with the C view, commitment included, valid during the call.
    package func withC<Result>(_ body: (UnsafePointer<keel_batch_record>) -> Result) -> Result {
        withKeelBytes(daCommitment) { commitment in
            var r = keel_batch_record()
            r.struct_size = abiSize(keel_batch_record.self)
            write(to: &r)
            r.da_commitment = commitment
            return body(&r)
        }
    }
}

/// A deposit from L1 (`keel_deposit`).
public struct Deposit: Sendable, Equatable {
    public var index: UInt64
    public var l1Block: UInt64
    /// The L1 sender (20 bytes).
    public var from: [UInt8]
    /// The L2 recipient (20 bytes).
    public var to: [UInt8]
    public var amount: UInt128

    public init(index: UInt64, l1Block: UInt64, from: [UInt8], to: [UInt8], amount: UInt128) {
        self.index = index
        self.l1Block = l1Block
        self.from = from
        self.to = to
        self.amount = amount
    }

    package init(_ d: keel_deposit) {
        self.init(index: d.index, l1Block: d.l1_block, from: tupleBytes(d.from), to: tupleBytes(d.to), amount: d.amount.value)
    }

    package func write(to d: inout keel_deposit) {
        d.struct_size = abiSize(keel_deposit.self)
        d.index = index
        d.l1_block = l1Block
        setTupleBytes(&d.from, from)
        setTupleBytes(&d.to, to)
        d.amount = keel_u128(amount)
    }
}
