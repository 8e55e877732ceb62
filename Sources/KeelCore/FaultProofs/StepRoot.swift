/// One point of a batch's trace: what `R_i` commits to after step `i` (docs/FAULT_PROOFS.md, §1).
///
/// `hash` is `R_i`, the leaf of the trace commitment; the fields are its *opening*, which the
/// one-step verifier starts from and a batch's posting reveals for `R_0` and `R_n`.
public struct StepRoot: Sendable, Hashable {
    /// The block context a step runs in; between blocks only `number` (the last block executed) is set.
    public struct Context: Sendable, Hashable {
        public var number: UInt64
        public var inBlock: Bool
        public var gasUsed: UInt64
        public var timestamp: UInt64
        public var gasLimit: UInt64
        public var baseFee: UInt128
        public var feeRecipient: Address
        public var parentHash: Hash32

        public init(number: UInt64, inBlock: Bool, gasUsed: UInt64, timestamp: UInt64, gasLimit: UInt64,
                    baseFee: UInt128, feeRecipient: Address, parentHash: Hash32) {
            self.number = number
            self.inBlock = inBlock
            self.gasUsed = gasUsed
            self.timestamp = timestamp
            self.gasLimit = gasLimit
            self.baseFee = baseFee
            self.feeRecipient = feeRecipient
            self.parentHash = parentHash
        }

        /// The context after block `number` ended (and before the next one starts).
        public static func between(afterBlock number: UInt64) -> Context {
            Context(number: number, inBlock: false, gasUsed: 0, timestamp: 0, gasLimit: 0, baseFee: 0,
                    feeRecipient: .zero, parentHash: .zero)
        }

        /// The 101 bytes hashed into `R_i`.
        public var encoded: [UInt8] {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Self.encodedSize)
            bytes.appendBigEndian(number)
            bytes.append(inBlock ? 1 : 0)
            bytes.appendBigEndian(gasUsed)
            bytes.appendBigEndian(timestamp)
            bytes.appendBigEndian(gasLimit)
            bytes.appendBigEndian(baseFee)
            bytes.append(contentsOf: feeRecipient.bytes)
            bytes.append(contentsOf: parentHash.bytes)
            return bytes
        }

        public static let encodedSize = 101
    }

    public var stateRoot: Hash32
    /// The `MerkleTree` root over the batch's withdrawal messages so far (zero for none).
    public var withdrawalsRoot: Hash32
    public var withdrawalCount: UInt64
    /// Deposits consumed since genesis.
    public var depositCount: UInt64
    public var index: UInt64
    public var context: Context

    public init(stateRoot: Hash32, withdrawalsRoot: Hash32, withdrawalCount: UInt64, depositCount: UInt64,
                index: UInt64, context: Context) {
        self.stateRoot = stateRoot
        self.withdrawalsRoot = withdrawalsRoot
        self.withdrawalCount = withdrawalCount
        self.depositCount = depositCount
        self.index = index
        self.context = context
    }

    /// `R_0` of a batch: the parent's root and deposit count, no withdrawals, between blocks after
    /// the block before the batch. Everything in it is known to the settlement layer.
    public static func start(parentRoot: Hash32, depositCount: UInt64, firstBlock: UInt64) -> StepRoot {
        StepRoot(stateRoot: parentRoot, withdrawalsRoot: .zero, withdrawalCount: 0, depositCount: depositCount,
                 index: 0, context: .between(afterBlock: firstBlock &- 1))
    }

    /// The ASCII tag that starts every step root's preimage.
    public static let domain = Array("keel/step/v1".utf8)

    /// `R_i`.
    public var hash: Hash32 { Keccak256.hash(encoded) }

    /// The preimage of `R_i`: the domain, then every field (docs/FAULT_PROOFS.md, "The step root").
    public var encoded: [UInt8] {
        var bytes = Self.domain
        bytes.reserveCapacity(Self.encodedSize)
        bytes.append(contentsOf: stateRoot.bytes)
        bytes.append(contentsOf: withdrawalsRoot.bytes)
        bytes.appendBigEndian(withdrawalCount)
        bytes.appendBigEndian(depositCount)
        bytes.appendBigEndian(index)
        bytes.append(contentsOf: context.encoded)
        return bytes
    }

    /// 12 + 32 + 32 + 8 + 8 + 8 + 101 bytes.
    public static let encodedSize = 201

    /// Reads an opening from its preimage bytes (`encoded`); `nil` for any other shape.
    public init?(encoded bytes: [UInt8]) {
        guard bytes.count == Self.encodedSize, bytes.starts(with: Self.domain) else { return nil }
        let base = Self.domain.count
        guard let stateRoot = Hash32(bytes: bytes[base..<(base + 32)]),
              let withdrawalsRoot = Hash32(bytes: bytes[(base + 32)..<(base + 64)]) else { return nil }
        let withdrawalCount: UInt64 = bytes.readBigEndian(at: base + 64)
        let depositCount: UInt64 = bytes.readBigEndian(at: base + 72)
        let index: UInt64 = bytes.readBigEndian(at: base + 80)
        let context = base + 88
        let number: UInt64 = bytes.readBigEndian(at: context)
        let flag = bytes[context + 8]
        guard flag <= 1 else { return nil }
        let gasUsed: UInt64 = bytes.readBigEndian(at: context + 9)
        let timestamp: UInt64 = bytes.readBigEndian(at: context + 17)
        let gasLimit: UInt64 = bytes.readBigEndian(at: context + 25)
        let baseFee: UInt128 = bytes.readBigEndian(at: context + 33)
        guard let feeRecipient = Address(bytes: bytes[(context + 49)..<(context + 69)]),
              let parentHash = Hash32(bytes: bytes[(context + 69)..<(context + 101)]) else { return nil }
        self.init(stateRoot: stateRoot, withdrawalsRoot: withdrawalsRoot, withdrawalCount: withdrawalCount,
                  depositCount: depositCount, index: index,
                  context: Context(number: number, inBlock: flag == 1, gasUsed: gasUsed, timestamp: timestamp,
                                   gasLimit: gasLimit, baseFee: baseFee, feeRecipient: feeRecipient, parentHash: parentHash))
    }
}
