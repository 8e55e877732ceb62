import KeelCore
import GRDB

/// Where the store finds decoded nodes (callers hold `lock`).
///
/// The latest tree's nodes down to `residentDepth` nibbles (at most 1 + 16 + … + 16^4 = 69,905 of
/// them, whatever the tree's size) are resident: each is linked from its parent, so a block or a
/// read of the latest version walks them without a lookup, and they stay until a block replaces
/// them. Other nodes (deeper ones, older versions') go through the bounded `NodeCache` by row id.
extension StateStore {
    /// The deepest resident level whose full tree fits in three quarters of `limit` (at most 4).
    static func residentDepth(forLimit limit: Int) -> Int {
        var depth = -1
        while depth < 4, residentCapacity(depth: depth + 1) * 4 <= limit * 3 { depth += 1 }
        return depth
    }

    /// The most nodes a tree has down to `depth`: 1 + 16 + … + 16^depth.
    static func residentCapacity(depth: Int) -> Int {
        depth < 0 ? 0 : ((1 << (4 * (depth + 1))) - 1) / 15
    }

    /// Follows `keyHash` down the tree of `version` to where its path ends, appending siblings
    /// when asked.
    func walk(_ db: Database, keyHash: Hash32, version: UInt64, siblings: inout [Hash32]?) throws -> TreeNode.Exit {
        let latestTree = version == latest?.version
        var node = latestTree ? try residentRoot(db) : try loadNode(db, versionRoot(db, version).rootNode, depth: 0, keep: true)
        while true {
            let exit = node.descend(keyHash: keyHash, siblings: &siblings)
            guard case .child(let slot, let id) = exit else { return exit }
            node = latestTree ? try child(db, of: node, slot: slot, id: id)
                : try loadNode(db, id, depth: node.depth + 1, keep: true)
        }
    }

    /// The latest tree's root node, read into memory if it is not yet.
    func residentRoot(_ db: Database) throws -> TreeNode {
        if let resident { return resident }
        guard let latest else { throw StateStoreError.versionNotRetained(asked: 0, oldest: nil, latest: nil) }
        let root = try loadNode(db, latest.rootNode, depth: 0, keep: false)
        cache.remove(root.id)
        root.isResident = residentDepth >= 0
        resident = root
        residentCount = 1
        return root
    }

    /// The child `id` in `slot` of a node of the latest tree; a resident node's children down to
    /// `residentDepth` become resident once read.
    func child(_ db: Database, of parent: TreeNode, slot: Int, id: UInt64) throws -> TreeNode {
        if let node = parent.childNodes[slot] { return node }
        let depth = parent.depth + 1
        guard parent.isResident, depth <= residentDepth else { return try loadNode(db, id, depth: depth, keep: true) }
        let node = try cache.remove(id) ?? loadNode(db, id, depth: depth, keep: false)
        attachResident(node, to: parent, slot: slot)
        return node
    }

    /// Links `node` from slot `slot` of its resident parent, as a resident node.
    private func attachResident(_ node: TreeNode, to parent: TreeNode, slot: Int) {
        node.isResident = true
        parent.childNodes[slot] = node
        residentCount += 1
    }

    /// The node stored as row `id` at nibble depth `depth`, from the cache or the file; `keep` puts
    /// a node read from the file in the cache.
    func loadNode(_ db: Database, _ id: UInt64, depth: Int, keep: Bool, hashing: Bool = true) throws -> TreeNode {
        if let node = cache.node(id) {
            guard node.depth == depth else {
                throw StateStoreError.corrupt("node \(id) is cached at depth \(node.depth) but referenced at depth \(depth)")
            }
            return node
        }
        let decoded = try decodeRow(db, id, depth: depth, hashing: hashing)
        if keep {
            precondition(hashing, "only hashed nodes enter the cache")
            cache.insert(decoded)
        }
        return decoded
    }

    /// Reads and decodes row `id` of `state_node`. A delta row is decoded on its full row, taken
    /// from the cache or read too (docs/STATE.md, "Nodes").
    private func decodeRow(_ db: Database, _ id: UInt64, depth: Int, hashing: Bool) throws -> TreeNode {
        switch try readRow(db, id, depth: depth, hashing: hashing) {
        case .full(let node):
            return node
        case .delta(let bytes, let baseID):
            let base = try cachedFull(baseID, depth: depth, hashing: hashing) ?? decodeRow(db, baseID, depth: depth, hashing: hashing)
            return try decodeDelta(bytes, id: id, depth: depth, hashing: hashing, base: base)
        }
    }

    /// A row as read: a full row decodes at once; a delta row's bytes wait for its full row.
    private enum RowRead {
        case full(TreeNode)
        case delta([UInt8], baseID: UInt64)
    }

    private func readRow(_ db: Database, _ id: UInt64, depth: Int, hashing: Bool) throws -> RowRead {
        let statement = try db.cachedStatement(sql: StateSQL.selectNode)
        statement.bindInt(1, id)
        // A full row decodes in place; a delta row's bytes are copied out before its base is read.
        let read: RowRead?? = try statement.firstBlob(db) { bytes in
            guard let bytes, let baseID = TreeNode.baseID(ofRow: bytes) else { return nil }
            if baseID != 0 { return .delta(Array(bytes), baseID: baseID) }
            return TreeNode(encoded: bytes, id: id, depth: depth, hashing: hashing).map { .full($0) }
        }
        guard let read else { throw StateStoreError.corrupt("node \(id) (depth \(depth)) is missing") }
        guard let read else { throw StateStoreError.corrupt("node \(id) does not decode as a node at depth \(depth)") }
        if case .delta(_, let baseID) = read, baseID >= id {
            throw StateStoreError.corrupt("node \(id) is a delta on row \(baseID), which is not older")
        }
        return read
    }

    private func decodeDelta(_ bytes: [UInt8], id: UInt64, depth: Int, hashing: Bool, base: TreeNode) throws -> TreeNode {
        guard let node = bytes.withUnsafeBytes({ TreeNode(encoded: $0, id: id, depth: depth, hashing: hashing, base: base) }) else {
            throw StateStoreError.corrupt("node \(id) does not decode as a delta on node \(base.id) at depth \(depth)")
        }
        return node
    }

    /// The full row `id` from the cache, when it is there and fit to decode a delta row on.
    private func cachedFull(_ id: UInt64, depth: Int, hashing: Bool) -> TreeNode? {
        guard hashing, let node = cache.node(id), node.depth == depth, node.baseID == 0 else { return nil }
        return node
    }

    /// Reads the latest tree's resident levels into memory, level by level in row order, so that
    /// the first blocks after opening do not each read them one at a time.
    func preloadResidentNodes(_ db: Database) throws {
        guard latest != nil, residentDepth >= 0 else { return }
        var level = [try residentRoot(db)]
        while let first = level.first, first.depth < residentDepth {
            let depth = first.depth + 1
            var next: [(parent: TreeNode, slot: Int, id: UInt64)] = []
            for node in level {
                for slot in 0..<16 where node.isChild(slot) && node.childNodes[slot] == nil {
                    next.append((node, slot, node.childID(slot)))
                }
            }
            // Row order is file order: reading in it turns random reads into a forward scan, for
            // the level's rows and then for the full rows under its delta rows (each read once, and
            // let go once its deltas are decoded). The level's nodes are decoded first and hashed
            // together (their parents name their hashes).
            next.sort { $0.id < $1.id }
            let reads = try next.map { try readRow(db, $0.id, depth: depth, hashing: false) }
            var nodes = [TreeNode?](repeating: nil, count: reads.count)
            var deltas: [(baseID: UInt64, index: Int)] = []
            for (index, read) in reads.enumerated() {
                switch read {
                case .full(let node): nodes[index] = node
                case .delta(_, let baseID): deltas.append((baseID, index))
                }
            }
            deltas.sort { $0.baseID < $1.baseID }
            var base: TreeNode?
            for (baseID, index) in deltas {
                if base?.id != baseID { base = try decodeRow(db, baseID, depth: depth, hashing: false) }
                guard let base, case .delta(let bytes, _) = reads[index] else { preconditionFailure("a delta row and its base") }
                nodes[index] = try decodeDelta(bytes, id: next[index].id, depth: depth, hashing: false, base: base)
            }
            level = zip(next, nodes).map { entry, node in
                guard let node else { preconditionFailure("every row of the level was decoded") }
                attachResident(node, to: entry.parent, slot: entry.slot)
                return node
            }
            NodeHashing.hash(level.map { ($0, 0xFFFF) }, depth: depth)
        }
    }

    /// How a block's tree walk reads the nodes it changes: through the resident links for the
    /// latest tree, else by id (`keep`: caching what it reads).
    func loader(_ db: Database, latestTree: Bool, keep: Bool) -> TreeUpdate.Load {
        { parent, slot, id, depth in
            if latestTree {
                if let parent, let node = parent.childNodes[slot] { return node }
                if parent == nil, let resident = self.resident, resident.id == id { return resident }
            }
            return try self.loadNode(db, id, depth: depth, keep: keep)
        }
    }

    /// After a block commits: the new root becomes resident, new nodes below the resident levels
    /// enter the cache, and the nodes it replaced leave memory (their memory kept for reuse).
    func adopt(_ update: inout TreeUpdate) {
        var writtenResident = 0
        for node in update.written {
            if node.isResident { writtenResident += 1 } else { cache.insert(node) }
        }
        var (replaced, successors) = update.takeReplaced()
        for (old, new) in successors where new.isResident { new.relink(from: old) }
        successors = []
        var replacedResident = 0
        for node in replaced {
            if node.isResident { replacedResident += 1 } else { cache.remove(node.id) }
            node.unlinkChildren()
        }
        residentCount = (resident != nil ? residentCount - replacedResident : 0) + writtenResident
        resident = update.rootNode
        var spare = update.spareNodes
        while var node = replaced.popLast() {
            // A replaced node nothing else holds (no reader, no cache entry) is reused.
            if spare.count < Self.spareNodeLimit, isKnownUniquelyReferenced(&node) { spare.append(node) }
        }
        spareNodes = spare
    }

    /// The most replaced nodes kept for reuse (about a block's worth).
    static let spareNodeLimit = 32_768
}
