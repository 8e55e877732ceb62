/// A bounded cache of decoded tree nodes, with least-recently-used eviction approximated by two
/// generations: lookups promote a node to the young generation; when the young generation fills
/// half the limit, the old one is dropped and the young one becomes old. So at most `limit` nodes
/// are held, and a node used within the last `limit / 2` insertions is never evicted.
struct NodeCache {
    let limit: Int
    private var young: [NodeKey: TreeNode] = [:]
    private var old: [NodeKey: TreeNode] = [:]

    init(limit: Int) {
        self.limit = max(limit, 0)
    }

    /// How many nodes are held.
    var count: Int { young.count + old.count }

    mutating func node(_ key: NodeKey) -> TreeNode? {
        if let node = young[key] { return node }
        guard let node = old.removeValue(forKey: key) else { return nil }
        insert(key, node)
        return node
    }

    mutating func insert(_ key: NodeKey, _ node: TreeNode) {
        guard limit > 1 else { return }
        young[key] = node
        if young.count >= limit / 2 {
            old = young
            young = [:]
            young.reserveCapacity(limit / 2)
        }
    }

    mutating func remove(_ key: NodeKey) {
        young.removeValue(forKey: key)
        old.removeValue(forKey: key)
    }

    mutating func removeAll() {
        young = [:]
        old = [:]
    }
}
