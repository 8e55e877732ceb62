/// One block's changes applied to the tree: the nodes it writes, the nodes and value rows it makes
/// stale, the new root.
///
/// Changes arrive sorted by key hash, so each node on a shared path is loaded, changed and hashed
/// once for the whole block, however many of the block's keys pass through it.
struct TreeUpdate {
    let version: UInt64
    /// Nodes to store under `version`.
    private(set) var written: [(NodeKey, TreeNode)] = []
    /// Nodes of earlier versions that `version` no longer uses (pruned once no retained version does).
    private(set) var stale: [NodeKey] = []
    /// Value rows (version, key hash) that `version` replaced or deleted.
    private(set) var staleValues: [(version: UInt64, keyHash: Hash32)] = []
    /// The root after the block.
    private(set) var root = Hash32.zero

    init(version: UInt64) {
        self.version = version
    }

    /// Applies `changes` (sorted, one per key, all under `path`) to the node stored as `existing`
    /// (`nil`: the subtree is empty) and returns what the parent's slot holds afterwards. The root
    /// node is always stored; any other node that ends up empty or holding a single leaf is
    /// replaced in its parent by that (compaction).
    mutating func apply(_ changes: ArraySlice<KeyChange>, below existing: NodeKey?, at path: NibblePath,
                        load: (NodeKey) throws -> TreeNode) throws -> TreeNode.Slot {
        var node = TreeNode()
        if let existing {
            node = try load(existing)
            stale.append(existing)
        }
        var changed: UInt16 = 0
        var start = changes.startIndex
        while start < changes.endIndex {
            let nibble = changes[start].keyHash.nibble(path.count)
            var end = start + 1
            while end < changes.endIndex, changes[end].keyHash.nibble(path.count) == nibble { end += 1 }
            let group = changes[start..<end]
            let childPath = NibblePath(keyHash: changes[start].keyHash, count: path.count + 1)
            let slot: TreeNode.Slot
            switch node.slot(nibble) {
            case .node(let childVersion, _):
                slot = try apply(group, below: NodeKey(version: childVersion, path: childPath), at: childPath, load: load)
            case .empty:
                slot = build(leaves(of: group, keeping: nil), at: childPath)
            case .leaf(let leaf):
                slot = build(leaves(of: group, keeping: leaf), at: childPath)
            }
            node.set(nibble, slot)
            changed |= 1 << nibble
            start = end
        }
        node.rehash(changed: changed)
        if path.count == 0 {
            root = node.hash
        } else if node.isEmpty {
            return .empty
        } else if let leaf = node.soleLeaf {
            return .leaf(leaf)
        }
        written.append((NodeKey(version: version, path: path), node))
        return .node(version: version, hash: node.hash)
    }

    /// The subtree holding exactly `leaves` (sorted by key hash, all under `path`), stored as new nodes.
    private mutating func build(_ leaves: [TreeLeaf], at path: NibblePath) -> TreeNode.Slot {
        guard let first = leaves.first else { return .empty }
        if leaves.count == 1 { return .leaf(first) }
        var node = TreeNode()
        var start = 0
        while start < leaves.count {
            let nibble = leaves[start].keyHash.nibble(path.count)
            var end = start + 1
            while end < leaves.count, leaves[end].keyHash.nibble(path.count) == nibble { end += 1 }
            let childPath = NibblePath(keyHash: leaves[start].keyHash, count: path.count + 1)
            node.set(nibble, build(Array(leaves[start..<end]), at: childPath))
            start = end
        }
        node.rehash(changed: 0xFFFF)
        written.append((NodeKey(version: version, path: path), node))
        return .node(version: version, hash: node.hash)
    }

    /// The leaves of a subtree that held `kept` (or nothing) once `changes` are applied, sorted.
    private mutating func leaves(of changes: ArraySlice<KeyChange>, keeping kept: TreeLeaf?) -> [TreeLeaf] {
        var result: [TreeLeaf] = []
        result.reserveCapacity(changes.count + 1)
        var keptPending = kept
        for change in changes {
            if let pending = keptPending, pending.keyHash <= change.keyHash {
                if pending.keyHash == change.keyHash {
                    staleValues.append((pending.valueVersion, pending.keyHash))
                } else {
                    result.append(pending)
                }
                keptPending = nil
            }
            if let valueHash = change.valueHash {
                result.append(TreeLeaf(keyHash: change.keyHash, valueHash: valueHash, valueVersion: version))
            }
        }
        if let pending = keptPending { result.append(pending) }
        return result
    }
}
