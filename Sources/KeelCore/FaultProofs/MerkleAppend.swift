/// Appending one leaf to a `MerkleTree` with a proof, knowing only the old root and leaf count: how
/// one fault-proof step adds a withdrawal message to the batch's withdrawals root
/// (docs/FAULT_PROOFS.md, §3).
///
/// The path is the new leaf's proof in the tree of `count + 1` leaves, which holds nothing but
/// hashes of the old leaves (and zeros to their right). The same siblings rebuild the old root,
/// so checking that binds them to it; then the new leaf is hashed up the same path.
public enum MerkleAppend {
    /// The path to give for appending to `leaves`: the proof of position `leaves.count` in the tree
    /// with one more leaf (the new leaf itself does not change its siblings).
    public static func path(appendingTo leaves: [Hash32]) -> [Hash32] {
        (try? MerkleTree(leaves: leaves + [.zero]).proof(index: leaves.count)) ?? []
    }

    /// The root after appending `leaf` to the tree of `count` leaves whose root is `root`, if `path`
    /// is the append path for that tree; throws why it is not.
    public static func root(appending leaf: Hash32, to root: Hash32, count: UInt64, path: [Hash32]) throws(MerkleAppendError) -> Hash32 {
        guard count < 1 << 62 else { throw .countTooLarge(count) }
        let newDepth = depth(ofCount: count + 1)
        guard path.count == newDepth else { throw .pathLength(found: path.count, expected: newDepth) }
        for level in 0..<newDepth where (count >> UInt64(level)) & 1 == 0 && path[level] != .zero {
            throw .nonZeroRightSibling(level: level)
        }
        guard rebuiltOldRoot(count: count, path: path) == root else { throw .oldRootMismatch }
        var node = MerkleTree.leafNode(leaf)
        for (level, sibling) in path.enumerated() {
            node = (count >> UInt64(level)) & 1 == 0 ? MerkleTree.innerNode(node, sibling) : MerkleTree.innerNode(sibling, node)
        }
        return node
    }

    /// `MerkleTree`'s depth for `count` leaves: `max(1, ⌈log2 count⌉)`, 0 for none.
    static func depth(ofCount count: UInt64) -> Int {
        count == 0 ? 0 : max(1, UInt64.bitWidth - (count - 1).leadingZeroBitCount)
    }

    /// The root of the tree of `count` leaves whose left siblings `path` gives.
    private static func rebuiltOldRoot(count: UInt64, path: [Hash32]) -> Hash32 {
        guard count > 0 else { return .zero }
        let oldDepth = depth(ofCount: count)
        // A full tree (count a power of two, at least 2) is all on the left: its root is the sibling
        // at its own depth. One leaf still has a level of its own (depth 1).
        if count > 1, count & (count - 1) == 0 { return path[oldDepth] }
        var node = Hash32.zero
        var empty = true
        for level in 0..<oldDepth {
            if (count >> UInt64(level)) & 1 == 1 {
                node = MerkleTree.innerNode(path[level], node)
                empty = false
            } else if !empty {
                node = MerkleTree.innerNode(node, .zero)
            }
        }
        return node
    }
}

/// Why a withdrawals append path is refused.
public enum MerkleAppendError: Error, Sendable, Hashable, CustomStringConvertible {
    case countTooLarge(UInt64)
    case pathLength(found: Int, expected: Int)
    case nonZeroRightSibling(level: Int)
    case oldRootMismatch

    public var description: String {
        switch self {
        case .countTooLarge(let count):
            "a withdrawals tree of \(count) messages is out of range"
        case .pathLength(let found, let expected):
            "the withdrawals append path has \(found) siblings; appending at this count needs \(expected)"
        case .nonZeroRightSibling(let level):
            "the withdrawals append path's sibling at level \(level) is to the right of the new leaf and must be zero"
        case .oldRootMismatch:
            "the withdrawals append path does not rebuild the current withdrawals root: it is for another tree"
        }
    }
}
