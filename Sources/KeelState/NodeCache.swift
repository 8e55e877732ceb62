import KeelCore

/// A bounded cache of decoded tree nodes by row id, for the nodes that are not resident: those
/// deeper than the resident levels, and those of older versions.
///
/// Two generations approximate least recently used: lookups promote a node to the young
/// generation; when it fills half the limit, the old generation is dropped and the young one
/// becomes old. So at most `limit` nodes are held.
struct NodeCache {
    let limit: Int
    private var young: [UInt64: TreeNode] = [:]
    private var old: [UInt64: TreeNode] = [:]

    init(limit: Int) {
        self.limit = max(limit, 0)
    }

    /// How many nodes are held.
    var count: Int { young.count + old.count }

    private var generationLimit: Int { max(limit / 2, 1) }

    mutating func node(_ id: UInt64) -> TreeNode? {
        if let node = young[id] { return node }
        guard let node = old.removeValue(forKey: id) else { return nil }
        insert(node)
        return node
    }

    /// Caches `node` by its id.
    mutating func insert(_ node: TreeNode) {
        guard limit > 1 else { return }
        young[node.id] = node
        if young.count >= generationLimit {
            old = young
            young = [:]
        }
    }

    /// Drops node `id` and returns it, if it was held.
    @discardableResult
    mutating func remove(_ id: UInt64) -> TreeNode? {
        young.removeValue(forKey: id) ?? old.removeValue(forKey: id)
    }

    mutating func removeAll() {
        young = [:]
        old = [:]
    }
}
