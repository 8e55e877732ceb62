/// A bounded cache of decoded tree nodes, by row id.
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
    private var pinned: [UInt64: TreeNode] = [:]
    private var young: [UInt64: TreeNode] = [:]
    private var old: [UInt64: TreeNode] = [:]

    init(limit: Int, pinnedDepth: Int = 4) {
        self.limit = max(limit, 0)
        self.pinnedDepth = pinnedDepth
    }

    /// How many nodes are held.
    var count: Int { pinned.count + young.count + old.count }

    /// Whether a pinnable node could be added without dropping another.
    var hasRoomToPin: Bool { limit > 1 && count < limit }

    /// How many nodes each generation of deeper nodes may hold.
    private var generationLimit: Int { max((limit - pinned.count) / 2, 1) }

    mutating func node(_ id: UInt64) -> TreeNode? {
        if let node = pinned[id] { return node }
        if let node = young[id] { return node }
        guard let node = old.removeValue(forKey: id) else { return nil }
        insert(node, pin: false)
        return node
    }

    /// Caches `node` (by its id); `pin` (for nodes of the latest tree only) lets a node near the
    /// root stay until a later block replaces it.
    mutating func insert(_ node: TreeNode, pin: Bool) {
        guard limit > 1 else { return }
        let id = node.id
        let pinnable = pin && node.depth <= pinnedDepth
        if pinnable, pinned.count + young.count + old.count < limit || pinned[id] != nil {
            pinned[id] = node
            return
        }
        if pinnable, pinned.count < limit / 2 {
            // Room is made for a pinned node by shrinking the generations, never the pinned set.
            old = [:]
            pinned[id] = node
            return
        }
        young[id] = node
        if young.count >= generationLimit {
            old = young
            young = [:]
        }
    }

    mutating func remove(_ id: UInt64) {
        if pinned.removeValue(forKey: id) != nil { return }
        young.removeValue(forKey: id)
        old.removeValue(forKey: id)
    }

    mutating func removeAll() {
        pinned = [:]
        young = [:]
        old = [:]
    }
}
