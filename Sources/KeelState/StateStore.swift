import KeelCore
import Foundation
import GRDB

/// The authenticated state: a sparse Merkle tree over key/value pairs, persisted in SQLite (WAL),
/// one atomic commit per block (`apply`), with the roots, values and proofs of the latest
/// `retainedVersions` versions readable. docs/STATE.md describes the tree, the storage and the proofs.
///
/// Thread-safe: calls are serialised. Memory is bounded by `StateStoreOptions.cacheNodeLimit`
/// decoded nodes plus SQLite's page cache, whatever the size of the tree.
public final class StateStore: @unchecked Sendable {
    /// The SQLite file.
    public let path: String
    /// The options the store was opened with.
    public let options: StateStoreOptions

    let database: DatabaseQueue
    let lock = NSLock()
    // Guarded by `lock`.
    var cache: NodeCache
    /// The latest tree's root node, linked to the resident nodes below it (`nil` until read).
    var resident: TreeNode?
    /// How many nodes hang in the resident tree.
    var residentCount = 0
    /// Nodes at most this deep (in nibbles) of the latest tree stay in memory until replaced.
    let residentDepth: Int
    var latest: (version: UInt64, root: Hash32, rootNode: UInt64)?
    var oldest: UInt64?
    /// Versions at or above this are kept whatever `retainedVersions` says (`keepVersions(from:)`).
    var pruneFloor: UInt64?
    /// The row ids the next new node and value get (one past the largest stored).
    var nextNodeID: UInt64 = 1
    var nextValueID: UInt64 = 1
    /// Nodes replaced by the last block, whose memory the next block's new nodes reuse.
    var spareNodes: [TreeNode] = []
    /// Where nodes are encoded before they are bound to the insert statement.
    var scratch = [UInt8](repeating: 0, count: 16 << 10)

    /// Opens the store at `path`, creating the file and its tables if needed.
    public init(path: String, options: StateStoreOptions = StateStoreOptions()) throws {
        guard options.retainedVersions >= 1 else {
            throw StateStoreError.invalidOptions("retainedVersions is 0; at least the latest version must be kept")
        }
        self.path = path
        self.options = options
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(10)
        let synchronous = options.synchronousFull ? "FULL" : "NORMAL"
        let cacheKiB = max(options.sqliteCacheMiB, 1) * 1024
        configuration.prepareDatabase { db in
            // Takes effect only in a file that has no tables yet.
            try db.execute(sql: "PRAGMA page_size = \(StateSQL.pageSize)")
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
            // Debian's SQLite is built with secure deletion on, which zeroes every deleted row and
            // writes every freed page; state is public chain data, and pruning deletes a block's
            // worth of rows a block (docs/STATE.md, "Versions and pruning").
            try db.execute(sql: "PRAGMA secure_delete = OFF")
            // A checkpoint every 64 MiB of WAL (4,096 pages of 16 KiB) instead of SQLite's 1,000
            // pages: about one in ten blocks of 10,000 updates instead of one in three, and pages a
            // run of blocks rewrites (B-tree interiors, the free list) are copied back once for
            // all of them (docs/PERFORMANCE.md, "The authenticated state tree").
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 4096")
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            try database.inDatabase { db in
                let layout = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                let hasTables = try db.tableExists("state_version")
                if hasTables, layout != StateSQL.layoutVersion {
                    throw StateStoreError.corrupt("\(path) holds state in layout \(layout), this build reads layout \(StateSQL.layoutVersion)")
                }
                for statement in StateSQL.schema { try db.execute(sql: statement) }
                try db.execute(sql: "PRAGMA user_version = \(StateSQL.layoutVersion)")
            }
        } catch let error as DatabaseError {
            throw StateStoreError.database("opening \(path): \(error.message ?? error.description)")
        }
        residentDepth = Self.residentDepth(forLimit: options.cacheNodeLimit)
        cache = NodeCache(limit: options.cacheNodeLimit - Self.residentCapacity(depth: residentDepth))
        try database.inDatabase { db in
            if let row = try Row.fetchOne(db, sql: "SELECT version, root, root_node FROM state_version ORDER BY version DESC LIMIT 1") {
                let version: Int64 = row["version"]
                let rootBytes: Data = row["root"]
                let rootNode: Int64 = row["root_node"]
                guard let root = Hash32(bytes: rootBytes) else {
                    throw StateStoreError.corrupt("the root of version \(version) is \(rootBytes.count) bytes, not 32")
                }
                latest = (UInt64(bitPattern: version), root, UInt64(bitPattern: rootNode))
            }
            oldest = try Int64.fetchOne(db, sql: "SELECT MIN(version) FROM state_version").map { UInt64(bitPattern: $0) }
            nextNodeID = UInt64(bitPattern: try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM state_node") ?? 0) + 1
            nextValueID = UInt64(bitPattern: try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM state_value") ?? 0) + 1
            // One read transaction: one snapshot and one WAL read lock for all the reads.
            try db.inTransaction(.deferred) {
                try preloadResidentNodes(db)
                return .commit
            }
        }
    }

    /// Runs `body` on the store's database connection, serialised with commits. For callers that
    /// keep their own tables beside the tree's (the node's chain) and must not touch `state_*` tables.
    public func withDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        try lock.withLock { try database.inDatabase(body) }
    }

    /// The latest committed version, or `nil` before the first `apply`.
    public var latestVersion: UInt64? {
        lock.withLock { latest?.version }
    }

    /// The root of the latest committed version (the zero root of the empty tree before the first `apply`).
    public var latestRoot: Hash32 {
        lock.withLock { latest?.root ?? .zero }
    }

    /// The oldest version still readable, or `nil` before the first `apply`.
    public var oldestRetainedVersion: UInt64? {
        lock.withLock { oldest }
    }

    /// The root of `version`.
    public func root(at version: UInt64) throws -> Hash32 {
        try lock.withLock {
            try checkRetained(version)
            return try database.inDatabase { db in try versionRoot(db, version).root }
        }
    }

    /// The value of `key` at `version` (the latest when `nil`), or `nil` when the key is absent.
    ///
    /// The key's leaf is found through the node cache (the levels near the root are always in
    /// memory), then its value is one row of `state_value`, keyed by the version that wrote it.
    public func value(for key: [UInt8], at version: UInt64? = nil) throws -> [UInt8]? {
        try lock.withLock {
            let version = try resolve(version)
            let keyHash = StateTree.keyHash(key)
            return try database.inDatabase { db in
                guard let leaf = try findLeaf(db, keyHash: keyHash, version: version) else { return nil }
                return try readValue(db, leaf)
            }
        }
    }

    /// A proof of `key`'s value (or absence) at `version` (the latest when `nil`), against `root(at:)`.
    public func proof(for key: [UInt8], at version: UInt64? = nil) throws -> StateProof {
        try proof(forKeyHash: StateTree.keyHash(key), at: version)
    }

    /// A proof for the key whose hash is `keyHash`: what a fault proof's witness needs to reveal a
    /// subtree by any path through it (`WitnessTree`), without knowing a key that leads there.
    public func proof(forKeyHash keyHash: Hash32, at version: UInt64? = nil) throws -> StateProof {
        try lock.withLock {
            let version = try resolve(version)
            return try database.inDatabase { db in
                var siblings: [Hash32]? = []
                siblings?.reserveCapacity(32)
                switch try walk(db, keyHash: keyHash, version: version, siblings: &siblings) {
                case .leaf(let leaf):
                    if leaf.keyHash == keyHash { return StateProof(siblings: siblings ?? [], terminal: .queriedLeaf) }
                    // The proof carries the other key's value hash, which its leaf hash commits to.
                    let valueHash = StateTree.valueHash(try readValue(db, leaf))
                    return StateProof(siblings: siblings ?? [], terminal: .otherLeaf(keyHash: leaf.keyHash, valueHash: valueHash))
                case .empty, .child:
                    return StateProof(siblings: siblings ?? [], terminal: .empty)
                }
            }
        }
    }

    /// Every key (by its hash) and value present at `version` (the latest when `nil`), in key-hash order.
    ///
    /// Walks the whole tree: for checks and exports, not for the hot path.
    public func entries(at version: UInt64? = nil) throws -> [(keyHash: Hash32, value: [UInt8])] {
        try lock.withLock {
            let version = try resolve(version)
            return try database.inDatabase { db in
                var leaves: [TreeLeaf] = []
                var pending = [(id: try versionRoot(db, version).rootNode, depth: 0)]
                while let (id, depth) = pending.popLast() {
                    let node = try loadNode(db, id, depth: depth, keep: false)
                    leaves.append(contentsOf: node.leaves)
                    for slot in 0..<16 where node.isChild(slot) {
                        pending.append((node.childID(slot), depth + 1))
                    }
                }
                leaves.sort { $0.keyHash < $1.keyHash }
                return try leaves.map { (keyHash: $0.keyHash, value: try readValue(db, $0)) }
            }
        }
    }

    /// SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound file, otherwise the problems found.
    public func integrityCheck() throws -> [String] {
        try lock.withLock {
            try database.inDatabase { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        }
    }

    /// The number of decoded nodes in memory now (about `options.cacheNodeLimit` at most).
    public var cachedNodeCount: Int {
        lock.withLock { residentCount + cache.count }
    }

    // MARK: - Internals (callers hold `lock`)

    func resolve(_ version: UInt64?) throws -> UInt64 {
        guard let version else {
            guard let latest else { throw StateStoreError.versionNotRetained(asked: 0, oldest: nil, latest: nil) }
            return latest.version
        }
        try checkRetained(version)
        return version
    }

    func checkRetained(_ version: UInt64) throws {
        guard let latest, let oldest, version >= oldest, version <= latest.version else {
            throw StateStoreError.versionNotRetained(asked: version, oldest: oldest, latest: latest?.version)
        }
    }

    /// The root hash and root node of a retained `version`.
    func versionRoot(_ db: Database, _ version: UInt64) throws -> (root: Hash32, rootNode: UInt64) {
        if let latest, latest.version == version { return (latest.root, latest.rootNode) }
        guard let row = try Row.fetchOne(db, sql: StateSQL.selectVersion, arguments: [Int64(bitPattern: version)]) else {
            throw StateStoreError.versionNotRetained(asked: version, oldest: oldest, latest: latest?.version)
        }
        let bytes: Data = row[0]
        let rootNode: Int64 = row[1]
        guard let root = Hash32(bytes: bytes) else {
            throw StateStoreError.corrupt("the root of version \(version) is \(bytes.count) bytes, not 32")
        }
        return (root, UInt64(bitPattern: rootNode))
    }

    /// The leaf of `keyHash` in the tree of `version`, or `nil` when the key is absent.
    func findLeaf(_ db: Database, keyHash: Hash32, version: UInt64) throws -> TreeLeaf? {
        var noSiblings: [Hash32]? = nil
        guard case .leaf(let leaf) = try walk(db, keyHash: keyHash, version: version, siblings: &noSiblings),
              leaf.keyHash == keyHash else { return nil }
        return leaf
    }

    /// The value a leaf commits to, from its row in `state_value`.
    func readValue(_ db: Database, _ leaf: TreeLeaf) throws -> [UInt8] {
        let statement = try db.cachedStatement(sql: StateSQL.selectValue)
        statement.bindInt(1, leaf.valueID)
        let value: [UInt8]?? = try statement.firstBlob(db) { bytes in bytes.map { Array($0) } }
        guard let row = value, let bytes = row else {
            throw StateStoreError.corrupt("the value of key hash \(leaf.keyHash) (row \(leaf.valueID)) is missing")
        }
        return bytes
    }

}

extension StateStore {
    /// How many rows the store holds: retained versions, stored nodes and value rows (for
    /// operations dashboards and the pruning tests).
    public func storedRowCounts() throws -> (versions: Int, nodes: Int, values: Int) {
        try lock.withLock {
            try database.inDatabase { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM state_version") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM state_node") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM state_value") ?? 0)
            }
        }
    }

    /// The bytes of the stored node rows, all versions together (for operations dashboards and the
    /// layout tests: delta rows keep a block's share small, docs/STATE.md "Nodes").
    public func storedNodeBytes() throws -> Int {
        try lock.withLock {
            try database.inDatabase { db in try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(LENGTH(data)), 0) FROM state_node") ?? 0 }
        }
    }
}
