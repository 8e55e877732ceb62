import KeelCore

/// A subtree of a few keys kept inline in its parent node's slot: its leaves, sorted by key hash,
/// all sharing the path down to `fromBit`. Its shape (and so its hash) follows from the key hashes,
/// as for any subtree of the tree (docs/STATE.md): one leaf is that leaf, two or more make an inner
/// node split at the next bit.
enum InlineSubtree {
    /// The hash of the subtree rooted at bit depth `fromBit` that holds exactly `leaves`.
    static func hash(_ leaves: ArraySlice<TreeLeaf>, fromBit: Int) -> Hash32 {
        switch leaves.count {
        case 0: return .zero
        case 1: return leaves[leaves.startIndex].leafHash
        default:
            let split = splitIndex(leaves, bit: fromBit)
            return StateTree.innerHash(hash(leaves[..<split], fromBit: fromBit + 1),
                                       hash(leaves[split...], fromBit: fromBit + 1))
        }
    }

    /// Follows `keyHash` down the subtree, appending siblings when asked.
    static func descend(_ leaves: ArraySlice<TreeLeaf>, keyHash: Hash32, fromBit: Int,
                        siblings: inout [Hash32]?) -> TreeNode.Exit {
        var remaining = leaves
        var bit = fromBit
        while true {
            switch remaining.count {
            case 0: return .empty
            case 1: return .leaf(remaining[remaining.startIndex])
            default:
                let split = splitIndex(remaining, bit: bit)
                if keyHash.bit(bit) == 0 {
                    if siblings != nil { siblings?.append(hash(remaining[split...], fromBit: bit + 1)) }
                    remaining = remaining[..<split]
                } else {
                    if siblings != nil { siblings?.append(hash(remaining[..<split], fromBit: bit + 1)) }
                    remaining = remaining[split...]
                }
                bit += 1
            }
        }
    }

    /// The first leaf whose key hash has a 1 at `bit` (the leaves are sorted, so 0s come first).
    @inline(__always)
    static func splitIndex(_ leaves: ArraySlice<TreeLeaf>, bit: Int) -> Int {
        var index = leaves.startIndex
        while index < leaves.endIndex, leaves[index].keyHash.bit(bit) == 0 { index += 1 }
        return index
    }
}
