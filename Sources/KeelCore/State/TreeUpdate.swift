/// One key's change in a block, hashed: its new leaf (`nil`: the key is deleted) and its value.
struct KeyChange {
    var keyHash: Hash32
    var leaf: TreeLeaf?
    var value: [UInt8]?
}

/// One block's changes applied to the tree: the nodes it writes, the node rows and value rows it
/// makes stale, the new root.
///
/// Changes arrive sorted by key hash, so each node on a shared path is loaded, changed and hashed
/// once for the whole block, however many of the block's keys pass through it. New nodes get row
/// ids from `nextNodeID` on, children before their parents, so a block appends its rows in id order.
struct TreeUpdate {
    /// Nodes to store, in id order.
    private(set) var written: [TreeNode] = []
    /// Row ids of nodes that the new version no longer uses (pruned once no retained version does).
    private(set) var staleNodes: [UInt64] = []
    /// Row ids of values that the new version replaced or deleted.
    private(set) var staleValues: [UInt64] = []
    /// The root after the block.
    private(set) var root = Hash32.zero
    /// The row id of the new root node.
    private(set) var rootID: UInt64 = 0
    /// The id the next written node gets.
    private(set) var nextNodeID: UInt64

    init(nextNodeID: UInt64) {
        self.nextNodeID = nextNodeID
    }

    /// Applies `changes` (sorted, one per key) to the tree whose root node is `rootID` (`nil`: the
    /// empty tree); `load` reads a node by id and depth.
    mutating func applyToRoot(_ changes: ArraySlice<KeyChange>, rootID previous: UInt64?,
                              load: (UInt64, Int) throws -> TreeNode) throws {
        let old = try previous.map { try load($0, 0) }
        if let previous { staleNodes.append(previous) }
        let node = try rebuild(old, depth: 0, with: changes, load: load)
        store(node)
        root = node.hash
        rootID = node.id
    }

    /// `old` (or an empty node) at `depth` with `changes` applied, rehashed but not stored.
    private mutating func rebuild(_ old: TreeNode?, depth: Int, with changes: ArraySlice<KeyChange>,
                                  load: (UInt64, Int) throws -> TreeNode) throws -> TreeNode {
        let node = TreeNode(depth: depth, hashesFrom: old, leafCapacity: (old?.leaves.count ?? 0) + changes.count)
        var changed: UInt16 = 0
        var start = changes.startIndex
        for slot in 0..<16 {
            guard start < changes.endIndex, changes[start].keyHash.nibble(depth) == slot else {
                if let old { node.append(slot, copying: old) } else { node.append(slot, .empty) }
                continue
            }
            var end = start + 1
            while end < changes.endIndex, changes[end].keyHash.nibble(depth) == slot { end += 1 }
            let group = changes[start..<end]
            if let old, old.isChild(slot) {
                node.append(slot, try update(child: old.childID(slot), depth: depth + 1, with: group, load: load))
            } else {
                let merged = merge(old?.inlineLeaves(slot) ?? [], group)
                node.append(slot, place(merged[...], depth: depth + 1))
            }
            changed |= 1 << slot
            start = end
        }
        node.rehash(changed: changed)
        return node
    }

    /// The content of a parent's slot once the child node `id` (at `depth`) takes `changes`: the new
    /// child, or its leaves inline when no more than `inlineLimit` are left.
    private mutating func update(child id: UInt64, depth: Int, with changes: ArraySlice<KeyChange>,
                                 load: (UInt64, Int) throws -> TreeNode) throws -> TreeNode.Content {
        let old = try load(id, depth)
        staleNodes.append(id)
        let node = try rebuild(old, depth: depth, with: changes, load: load)
        if node.isChildless, node.leaves.count <= TreeNode.inlineLimit {
            return node.leaves.isEmpty ? .empty : .inline(node.leaves[...], hash: node.hash)
        }
        store(node)
        return .child(id: node.id, hash: node.hash)
    }

    /// The content of a slot at `depth` holding exactly `leaves` (sorted): inline when they are few,
    /// otherwise a new child node (built here, with its own slots placed the same way).
    private mutating func place(_ leaves: ArraySlice<TreeLeaf>, depth: Int) -> TreeNode.Content {
        switch leaves.count {
        case 0:
            return .empty
        case 1:
            return .inline(leaves, hash: leaves[leaves.startIndex].leafHash)
        case ...TreeNode.inlineLimit:
            return .inline(leaves, hash: InlineSubtree.hash(leaves, fromBit: depth * 4))
        default:
            let node = TreeNode(depth: depth, leafCapacity: leaves.count)
            var start = leaves.startIndex
            for slot in 0..<16 {
                var end = start
                while end < leaves.endIndex, leaves[end].keyHash.nibble(depth) == slot { end += 1 }
                node.append(slot, place(leaves[start..<end], depth: depth + 1))
                start = end
            }
            node.rehash(changed: 0xFFFF)
            store(node)
            return .child(id: node.id, hash: node.hash)
        }
    }

    /// The leaves of a subtree that held `kept` once `changes` are applied (both sorted).
    private mutating func merge(_ kept: ArraySlice<TreeLeaf>, _ changes: ArraySlice<KeyChange>) -> [TreeLeaf] {
        var result: [TreeLeaf] = []
        result.reserveCapacity(kept.count + changes.count)
        var keptIndex = kept.startIndex
        for change in changes {
            while keptIndex < kept.endIndex, kept[keptIndex].keyHash < change.keyHash {
                result.append(kept[keptIndex])
                keptIndex += 1
            }
            if keptIndex < kept.endIndex, kept[keptIndex].keyHash == change.keyHash {
                staleValues.append(kept[keptIndex].valueID)
                keptIndex += 1
            }
            if let leaf = change.leaf { result.append(leaf) }
        }
        result.append(contentsOf: kept[keptIndex...])
        return result
    }

    private mutating func store(_ node: TreeNode) {
        node.id = nextNodeID
        nextNodeID += 1
        written.append(node)
    }
}
