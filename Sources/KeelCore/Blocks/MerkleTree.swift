/// A binary Merkle tree over 32-byte leaves, with inclusion proofs: the transactions root, the
/// receipts root and the withdrawals root of a block (docs/FORMATS.md, "Merkle roots").
///
/// - A leaf enters as `keccak(0x00 ‖ leaf)`, an inner node is `keccak(0x01 ‖ left ‖ right)`: the
///   prefix byte keeps a leaf from passing for an inner node (a second preimage of another shape).
/// - A level with an odd number of nodes is completed with 32 zero bytes, so a subtree with no
///   leaves under it is zero. The depth is `max(1, ⌈log2(n)⌉)`: even one leaf has a sibling, and
///   every proof has at least one step.
/// - The root of no leaves is 32 zero bytes, a value no proof verifies against.
/// - A proof lists the siblings from the leaf's level up to the root's children; bit `k` of the
///   leaf's index says whether the node at level `k` is a right child (1) or a left child (0).
public struct MerkleTree: Sendable, Hashable {
    /// The leaves as given, in order.
    public let leaves: [Hash32]
    /// `levels[0]` holds the leaf nodes, each next level the parents; the last holds the root.
    private let levels: [[Hash32]]

    /// Builds the whole tree, so `proof(index:)` is a lookup.
    public init(leaves: [Hash32]) {
        self.leaves = leaves
        guard !leaves.isEmpty else {
            levels = [[.zero]]
            return
        }
        var level = leaves.map(Self.leafNode)
        var levels: [[Hash32]] = []
        repeat {
            if level.count % 2 == 1 { level.append(.zero) }
            levels.append(level)
            level = stride(from: 0, to: level.count, by: 2).map { Self.innerNode(level[$0], level[$0 + 1]) }
        } while level.count > 1
        levels.append(level)
        self.levels = levels
    }

    /// The root; 32 zero bytes when there are no leaves.
    public var root: Hash32 { levels[levels.count - 1][0] }

    /// The number of siblings in every proof of this tree (0 when it has no leaves).
    public var depth: Int { leaves.isEmpty ? 0 : levels.count - 1 }

    /// The root of `leaves`, without keeping the tree.
    public static func root(leaves: [Hash32]) -> Hash32 {
        guard !leaves.isEmpty else { return .zero }
        var level = leaves.map(leafNode)
        repeat {
            if level.count % 2 == 1 { level.append(.zero) }
            var parents: [Hash32] = []
            parents.reserveCapacity(level.count / 2)
            for index in stride(from: 0, to: level.count, by: 2) {
                parents.append(innerNode(level[index], level[index + 1]))
            }
            level = parents
        } while level.count > 1
        return level[0]
    }

    /// The siblings that lead from leaf `index` to the root, lowest first.
    ///
    /// Throws `MerkleProofError.indexOutOfRange` when there is no leaf `index`.
    public func proof(index: Int) throws(MerkleProofError) -> [Hash32] {
        guard leaves.indices.contains(index) else {
            throw MerkleProofError.indexOutOfRange(index: index, leafCount: leaves.count)
        }
        var position = index
        var siblings: [Hash32] = []
        siblings.reserveCapacity(depth)
        for level in levels.dropLast() {
            siblings.append(level[position ^ 1])
            position >>= 1
        }
        return siblings
    }

    /// Whether `proof` shows `leaf` at `index` under `root`; needs nothing but its arguments.
    ///
    /// False for a zero root (a tree with no leaves holds nothing), an empty proof, a proof of more
    /// than 63 steps, a negative index, or an index that does not fit in `proof.count` bits (so one
    /// proof cannot be replayed for another index).
    public static func verify(root: Hash32, leaf: Hash32, index: Int, proof: [Hash32]) -> Bool {
        guard root != .zero, !proof.isEmpty, proof.count < Int.bitWidth, index >= 0, index >> proof.count == 0 else {
            return false
        }
        var node = leafNode(leaf)
        for (level, sibling) in proof.enumerated() {
            node = (index >> level) & 1 == 0 ? innerNode(node, sibling) : innerNode(sibling, node)
        }
        return node == root
    }

    /// `keccak(0x00 ‖ leaf)`.
    static func leafNode(_ leaf: Hash32) -> Hash32 {
        var hasher = Keccak256.Hasher()
        withUnsafeBytes(of: UInt8(0)) { hasher.absorb($0) }
        leaf.withUnsafeBytes { hasher.absorb($0) }
        return hasher.finish()
    }

    /// `keccak(0x01 ‖ left ‖ right)`.
    static func innerNode(_ left: Hash32, _ right: Hash32) -> Hash32 {
        var hasher = Keccak256.Hasher()
        withUnsafeBytes(of: UInt8(1)) { hasher.absorb($0) }
        left.withUnsafeBytes { hasher.absorb($0) }
        right.withUnsafeBytes { hasher.absorb($0) }
        return hasher.finish()
    }
}

/// A Merkle proof was asked for a leaf the tree does not have.
public enum MerkleProofError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `index` is not below `leafCount`.
    case indexOutOfRange(index: Int, leafCount: Int)

    public var description: String {
        switch self {
        case let .indexOutOfRange(index, leafCount):
            "no leaf \(index) in a Merkle tree of \(leafCount) leaves; valid indices are 0..<\(leafCount)"
        }
    }
}
