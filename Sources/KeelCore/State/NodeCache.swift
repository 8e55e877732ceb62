/// A bounded cache of decoded tree nodes.
///
/// Nodes of the latest tree within `pinnedDepth` nibbles of the root (at most 1 + 16 + … +
/// 16^pinnedDepth of them: 69,905 for depth 4) are hit by nearly every block, so they are kept until
/// a block replaces them (`remove`), up to `limit`.
/// Deeper nodes share what is left of `limit` in two generations that approximate least recently
/// used: lookups promote a node to the young generation; when it fills half its share, the old
/// generation is dropped and the young one becomes old. So at most `limit` nodes are held.
struct NodeCache {
    let limit: Int
    let pinnedDepth: Int
    private var pinned: [NodeKey: TreeNode] = [:]
    private var young: [NodeKey: TreeNode] = [:]
    private var old: [NodeKey: TreeNode] = [:]

    init(limit: Int, pinnedDepth: Int = 4) {
        self.limit = max(limit, 0)
        self.pinnedDepth = pinnedDepth
    }

    /// How many nodes are held.
    var count: Int { pinned.count + young.count + old.count }

    /// How many nodes each generation of deeper nodes may hold.
    private var generationLimit: Int { max((limit - pinned.count) / 2, 1) }

    mutating func node(_ key: NodeKey) -> TreeNode? {
        if key.path.count <= pinnedDepth, let node = pinned[key] { return node }
        if let node = young[key] { return node }
        guard let node = old.removeValue(forKey: key) else { return nil }
        insert(key, node, pin: false)
        return node
    }

    /// Caches `node`; `pin` (for nodes of the latest tree only) lets a node near the root stay
    /// until a later block replaces it.
    mutating func insert(_ key: NodeKey, _ node: TreeNode, pin: Bool) {
        guard limit > 1 else { return }
        let pinnable = pin && key.path.count <= pinnedDepth
        if pinnable, pinned.count + young.count + old.count < limit || pinned[key] != nil {
            pinned[key] = node
            return
        }
        if pinnable, pinned.count < limit / 2 {
            // Room is made for a pinned node by shrinking the generations, never the pinned set.
            old = [:]
            pinned[key] = node
            return
        }
        young[key] = node
        if young.count >= generationLimit {
            old = young
            young = [:]
        }
    }

    mutating func remove(_ key: NodeKey) {
        if key.path.count <= pinnedDepth, pinned.removeValue(forKey: key) != nil { return }
        young.removeValue(forKey: key)
        old.removeValue(forKey: key)
    }

    mutating func removeAll() {
        pinned = [:]
        young = [:]
        old = [:]
    }
}
