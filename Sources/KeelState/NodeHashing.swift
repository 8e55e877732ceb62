import KeelCore

/// The inner hashes of many nodes of one depth at once, several a permutation
/// (`Keccak256.hashPrefixedPairs`): a block's new nodes (`TreeUpdate`) and the resident nodes read
/// at open. The digests are those of `TreeNode.rehash` and `InlineSubtree.hash`, node by node.
enum NodeHashing {
    /// Hashes, in every node of `layer` (all at nibble depth `depth`), the inline subtrees and the
    /// binary ranges that contain a slot of its `changed` mask. Child slots must hold their
    /// children's hashes already.
    static func hash(_ layer: [(node: TreeNode, changed: UInt16)], depth: Int) {
        hashInlineSubtrees(of: layer, depth: depth)
        var jobs: [Int] = [] // a node's position in `layer` × 16 + the heap index
        var pairs: [HashPair] = []
        var digests: [Hash32] = []
        for level in stride(from: 3, through: 0, by: -1) {
            jobs.removeAll(keepingCapacity: true)
            pairs.removeAll(keepingCapacity: true)
            for (position, entry) in layer.enumerated() {
                entry.node.rehashLevel(level, changed: entry.changed) { heapIndex, pair in
                    jobs.append(position << 4 | heapIndex)
                    pairs.append(pair)
                }
            }
            if digests.count < pairs.count { digests = [Hash32](repeating: .zero, count: pairs.count) }
            pairs.withUnsafeBufferPointer { pairs in
                digests.withUnsafeMutableBufferPointer { Keccak256.hashPrefixedPairs(StateTree.innerDomain, pairs, into: $0) }
            }
            for (job, digest) in zip(jobs, digests) { layer[job >> 4].node.setHash(job & 15, digest) }
        }
    }

    /// Hashes the slots of `changed` in `layer`'s nodes that hold two or more inline leaves.
    private static func hashInlineSubtrees(of layer: [(node: TreeNode, changed: UInt16)], depth: Int) {
        var batch = InlineSubtreeBatch()
        var targets: [(position: Int, slot: Int)] = []
        for (position, entry) in layer.enumerated() {
            var slots = entry.node.inlineSubtreeSlots(entry.changed)
            while slots != 0 {
                let slot = slots.trailingZeroBitCount
                slots &= slots - 1
                batch.add(entry.node.inlineLeaves(slot), fromBit: (depth + 1) * 4)
                targets.append((position, slot))
            }
        }
        guard !targets.isEmpty else { return }
        for (target, hash) in zip(targets, batch.compute()) { layer[target.position].node.setSlotHash(target.slot, hash) }
    }
}
