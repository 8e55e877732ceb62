import KeelCore

/// One key's change in a block, hashed: its new leaf (`nil`: the key is deleted) and where its
/// value is among the block's updates. A plain value (no references), so the tree walk copies it freely.
struct KeyChange {
    var keyHash: Hash32
    var leaf: TreeLeaf?
    var updateIndex: Int
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
    /// The decoded nodes the new version replaces (those of `staleNodes` that were read).
    private(set) var replaced: [TreeNode] = []
    /// Resident nodes and the nodes that replace them, whose links move over on commit.
    private(set) var successors: [(old: TreeNode, new: TreeNode)] = []
    /// Nodes no longer used, whose memory new nodes take over (fewer large allocations a block).
    var spareNodes: [TreeNode]
    /// New nodes at most this deep are linked from their parents (the resident levels).
    let residentDepth: Int
    /// New nodes whose binary hashes are still to compute, by depth, with the slots that changed.
    private var pending: [[(node: TreeNode, changed: UInt16)]] = []

    /// Reads the child node `id` at `depth` in slot `slot` of `parent` (`nil` parent: the root).
    typealias Load = (_ parent: TreeNode?, _ slot: Int, _ id: UInt64, _ depth: Int) throws -> TreeNode

    init(nextNodeID: UInt64, residentDepth: Int = -1, spareNodes: [TreeNode] = []) {
        self.nextNodeID = nextNodeID
        self.residentDepth = residentDepth
        self.spareNodes = spareNodes
    }

    /// An empty node to build at `depth`, from the spare ones when there is one.
    private mutating func makeNode(depth: Int, leafCapacity: Int) -> TreeNode {
        guard let node = spareNodes.popLast() else { return TreeNode(depth: depth, leafCapacity: leafCapacity) }
        node.reset(depth: depth, leafCapacity: leafCapacity)
        return node
    }

    /// A copy of `old` to change, from the spare ones when there is one.
    private mutating func makeNode(copying old: TreeNode, extraLeafCapacity: Int) -> TreeNode {
        let node = spareNodes.popLast() ?? TreeNode(depth: old.depth)
        node.reset(copying: old, extraLeafCapacity: extraLeafCapacity)
        return node
    }

    /// Hands over `replaced` and `successors`, leaving them empty.
    mutating func takeReplaced() -> (replaced: [TreeNode], successors: [(old: TreeNode, new: TreeNode)]) {
        defer {
            replaced = []
            successors = []
        }
        return (replaced, successors)
    }

    /// The new root node (resident, linked to the new resident nodes below it), once applied.
    private(set) var rootNode: TreeNode?

    /// Applies `changes` (sorted, one per key) to the tree whose root node is `rootID` (`nil`: the
    /// empty tree).
    mutating func applyToRoot(_ changes: ArraySlice<KeyChange>, rootID previous: UInt64?, load: Load) throws {
        var old: TreeNode?
        if let previous {
            let node = try load(nil, 0, previous, 0)
            replaced.append(node)
            old = node
        }
        let node = try rebuild(old, depth: 0, with: changes, load: load)
        if let old { retire(old, replacedBy: node) }
        node.isResident = residentDepth >= 0
        store(node)
        hashPending()
        root = node.hash
        rootID = node.id
        rootNode = node
    }

    /// `old` (or an empty node) at `depth` with `changes` applied, queued for hashing but not stored.
    private mutating func rebuild(_ old: TreeNode?, depth: Int, with changes: ArraySlice<KeyChange>,
                                  load: Load) throws -> TreeNode {
        let node: TreeNode
        if let old {
            node = makeNode(copying: old, extraLeafCapacity: changes.count)
        } else {
            node = makeNode(depth: depth, leafCapacity: changes.count)
            for slot in 0..<16 { node.append(slot, .empty) }
        }
        var changed: UInt16 = 0
        var start = changes.startIndex
        while start < changes.endIndex {
            let slot = changes[start].keyHash.nibble(depth)
            var end = start + 1
            while end < changes.endIndex, changes[end].keyHash.nibble(depth) == slot { end += 1 }
            let group = changes[start..<end]
            if node.isChild(slot) {
                node.replace(slot, try update(child: node.childID(slot), of: old, slot: slot, depth: depth + 1,
                                              with: group, load: load))
            } else {
                let merged = merge(node.inlineLeaves(slot), group)
                node.replace(slot, place(merged[...], depth: depth + 1))
            }
            changed |= 1 << slot
            start = end
        }
        hashLater(node, changed: changed)
        if let old {
            node.chooseRow(replacing: old, changed: changed)
            if old.isResident { successors.append((old, node)) }
        }
        return node
    }

    /// The content of a parent's slot once the child node `id` (at `depth`) takes `changes`: the new
    /// child, or its leaves inline when no more than `inlineLimit` are left.
    private mutating func update(child id: UInt64, of parent: TreeNode?, slot: Int, depth: Int,
                                 with changes: ArraySlice<KeyChange>, load: Load) throws -> TreeNode.Content {
        let old = try load(parent, slot, id, depth)
        replaced.append(old)
        let node = try rebuild(old, depth: depth, with: changes, load: load)
        if node.isChildless, node.leaves.count <= TreeNode.inlineLimit {
            // Its few leaves go inline in the parent: the node is not stored, nor hashed as one.
            let last = pending[depth].removeLast()
            precondition(last.node === node, "the node just rebuilt is the last at its depth")
            retire(old, replacedBy: nil)
            return place(node.leaves[...], depth: depth)
        }
        retire(old, replacedBy: node)
        return link(node)
    }

    /// Lists the rows that `old`'s replacement (`nil`: none) leaves to older versions alone: `old`'s
    /// own row, unless it is the full row the new delta row changes; and the full row under `old`'s
    /// delta row, unless the new row is a delta on it too.
    private mutating func retire(_ old: TreeNode, replacedBy new: TreeNode?) {
        if let new, new.baseID != 0, new.baseID == old.id { return }
        staleNodes.append(old.id)
        if old.baseID != 0, new?.baseID != old.baseID { staleNodes.append(old.baseID) }
    }

    /// Stores `node` and gives the parent's slot for it. The parent links it until the block's
    /// hashes are computed; below the resident levels the link is dropped then.
    private mutating func link(_ node: TreeNode) -> TreeNode.Content {
        store(node)
        node.isResident = node.depth <= residentDepth
        return .child(id: node.id, hash: .zero, node: node)
    }

    /// Queues `node`'s binary hashes over the slots of `changed` for `hashPending`.
    private mutating func hashLater(_ node: TreeNode, changed: UInt16) {
        while pending.count <= node.depth { pending.append([]) }
        pending[node.depth].append((node, changed))
    }

    /// Computes the hashes of every node the block built, deepest first: each node's child slots
    /// take their new children's hashes, then `NodeHashing` hashes the rest of a depth's nodes
    /// together. Below the resident levels the links to the new children are dropped afterwards.
    private mutating func hashPending() {
        for depth in pending.indices.reversed() {
            let layer = pending[depth]
            for entry in layer { entry.node.takeChildHashes(entry.changed) }
            NodeHashing.hash(layer, depth: depth)
            if depth >= residentDepth {
                for entry in layer { entry.node.dropChildLinks(entry.changed) }
            }
        }
        pending = []
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
            // Hashed with the other changed slots of its node's depth (`hashPending`).
            return .inline(leaves, hash: .zero)
        default:
            let node = makeNode(depth: depth, leafCapacity: leaves.count)
            var start = leaves.startIndex
            for slot in 0..<16 {
                var end = start
                while end < leaves.endIndex, leaves[end].keyHash.nibble(depth) == slot { end += 1 }
                node.append(slot, place(leaves[start..<end], depth: depth + 1))
                start = end
            }
            hashLater(node, changed: 0xFFFF)
            return link(node)
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
