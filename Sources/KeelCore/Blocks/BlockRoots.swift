/// The three Merkle roots a block header carries, each `MerkleTree.root` over 32-byte leaves
/// (docs/FORMATS.md, "Merkle roots").
public enum BlockRoots {
    /// The root over `keccak(raw)` of each transaction, in block order: the leaves are the
    /// transaction hashes wallets know (keccak of the raw bytes as received).
    public static func transactionsRoot<Transactions: Sequence>(_ rawTransactions: Transactions) -> Hash32
    where Transactions.Element == [UInt8] {
        MerkleTree.root(leaves: rawTransactions.map { Keccak256.hash($0) })
    }

    /// The root over `keccak(receipt.encoded)` of each receipt, in transaction order.
    public static func receiptsRoot(_ receipts: [Receipt]) -> Hash32 {
        MerkleTree.root(leaves: receipts.map { Keccak256.hash($0.encoded) })
    }

    /// The root over `keccak(message)` of each withdrawal message, in the order the block started
    /// them; zero when there are none. Build `MerkleTree(leaves:)` over the same leaves for the
    /// proofs a user presents on L1.
    public static func withdrawalsRoot(messages: [[UInt8]]) -> Hash32 {
        MerkleTree.root(leaves: messages.map { Keccak256.hash($0) })
    }
}
