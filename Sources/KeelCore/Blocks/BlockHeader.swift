/// A Keel block header: what a block commits to, and the sequencer's signature over it.
///
/// The encoding is an RLP list (docs/FORMATS.md, "Block header"). The block hash is the keccak of
/// the list *without* the signature, so the sequencer signs the hash itself and the hash does not
/// depend on which of the valid signatures was chosen.
public struct BlockHeader: Hashable, Sendable {
    /// The hash of the previous block; zero for the genesis block.
    public var parentHash: Hash32
    /// The height: the genesis block is 0.
    public var number: UInt64
    /// When the block was made, in milliseconds since the Unix epoch (blocks come every few hundred
    /// milliseconds, so seconds are too coarse). RPC shows seconds, rounding down.
    public var timestamp: UInt64
    /// The root of the authenticated state tree after this block.
    public var stateRoot: Hash32
    /// `MerkleTree.root` over the keccak of each raw transaction: `BlockRoots.transactionsRoot`.
    public var transactionsRoot: Hash32
    /// `MerkleTree.root` over the keccak of each encoded receipt: `BlockRoots.receiptsRoot`.
    public var receiptsRoot: Hash32
    /// `MerkleTree.root` over the keccak of each withdrawal message: `BlockRoots.withdrawalsRoot`;
    /// zero when the block starts no withdrawal.
    public var withdrawalsRoot: Hash32
    /// The base fee per gas, in wei.
    public var baseFee: UInt128
    /// The gas all of the block's transactions used.
    public var gasUsed: UInt64
    /// The most gas the block's transactions may use.
    public var gasLimit: UInt64
    /// The sequencer's signature over `hash`; `nil` before signing (and for a genesis block).
    public var sequencerSignature: Signature?

    /// A header with every field given; the signature is usually added later with `signed(with:)`.
    public init(
        parentHash: Hash32, number: UInt64, timestamp: UInt64, stateRoot: Hash32,
        transactionsRoot: Hash32, receiptsRoot: Hash32, withdrawalsRoot: Hash32,
        baseFee: UInt128, gasUsed: UInt64, gasLimit: UInt64, sequencerSignature: Signature? = nil
    ) {
        self.parentHash = parentHash
        self.number = number
        self.timestamp = timestamp
        self.stateRoot = stateRoot
        self.transactionsRoot = transactionsRoot
        self.receiptsRoot = receiptsRoot
        self.withdrawalsRoot = withdrawalsRoot
        self.baseFee = baseFee
        self.gasUsed = gasUsed
        self.gasLimit = gasLimit
        self.sequencerSignature = sequencerSignature
    }

    /// The block hash: keccak of `unsignedEncoding`. This is what the sequencer signs.
    public var hash: Hash32 {
        Keccak256.hash(unsignedEncoding)
    }

    /// The same header with `key`'s signature over `hash`.
    public func signed(with key: PrivateKey) -> BlockHeader {
        var header = self
        header.sequencerSignature = key.sign(hash: hash)
        return header
    }

    /// The address whose key made `sequencerSignature`; `nil` for an unsigned header.
    ///
    /// Throws `SignatureError` when the signature does not recover (a zero or out-of-range scalar,
    /// a high `s`, a recovery id other than 0 or 1). Compare the result with the sequencer the chain
    /// expects at this height.
    public func sequencerAddress() throws(SignatureError) -> Address? {
        guard let signature = sequencerSignature else { return nil }
        return try Secp256k1.recoverAddress(hash: hash, signature: signature)
    }
}
