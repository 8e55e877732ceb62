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
    var latest: (version: UInt64, root: Hash32)?
    var oldest: UInt64?

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
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            try database.inDatabase { db in
                for statement in StateSQL.schema { try db.execute(sql: statement) }
            }
        } catch let error as DatabaseError {
            throw StateStoreError.database("opening \(path): \(error.message ?? error.description)")
        }
        cache = NodeCache(limit: options.cacheNodeLimit)
        try database.inDatabase { db in
            if let row = try Row.fetchOne(db, sql: "SELECT version, root FROM state_version ORDER BY version DESC LIMIT 1") {
                let version: Int64 = row["version"]
                let rootBytes: Data = row["root"]
                guard let root = Hash32(bytes: rootBytes) else {
                    throw StateStoreError.corrupt("the root of version \(version) is \(rootBytes.count) bytes, not 32")
                }
                latest = (UInt64(bitPattern: version), root)
            }
            oldest = try Int64.fetchOne(db, sql: "SELECT MIN(version) FROM state_version").map { UInt64(bitPattern: $0) }
        }
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
            if let latest, latest.version == version { return latest.root }
            return try database.inDatabase { db in
                guard let bytes = try Data.fetchOne(db, sql: "SELECT root FROM state_version WHERE version = ?",
                                                    arguments: [Int64(bitPattern: version)]) else {
                    throw StateStoreError.versionNotRetained(asked: version, oldest: oldest, latest: latest?.version)
                }
                guard let root = Hash32(bytes: bytes) else {
                    throw StateStoreError.corrupt("the root of version \(version) is \(bytes.count) bytes, not 32")
                }
                return root
            }
        }
    }

    /// The value of `key` at `version` (the latest when `nil`), or `nil` when the key is absent.
    public func value(for key: [UInt8], at version: UInt64? = nil) throws -> [UInt8]? {
        try lock.withLock {
            let version = try resolve(version)
            let keyHash = StateTree.keyHash(key)
            return try database.inDatabase { db in
                let statement = try db.cachedStatement(sql: StateSQL.selectValue)
                return try keyHash.withUnsafeBytes { keyBytes in
                    statement.bindBlob(1, keyBytes)
                    statement.bindInt(2, version)
                    let found: [UInt8]?? = try statement.firstBlob(db) { $0.map { Array($0) } }
                    return found ?? nil
                }
            }
        }
    }

    /// A proof of `key`'s value (or absence) at `version` (the latest when `nil`), against `root(at:)`.
    public func proof(for key: [UInt8], at version: UInt64? = nil) throws -> StateProof {
        try lock.withLock {
            let version = try resolve(version)
            let keyHash = StateTree.keyHash(key)
            return try database.inDatabase { db in
                var siblings: [Hash32] = []
                siblings.reserveCapacity(32)
                var nodeKey = NodeKey(version: version, path: .root)
                while true {
                    let node = try loadNode(db, nodeKey, keep: true)
                    switch node.descend(keyHash: keyHash, nodeDepth: nodeKey.path.count, siblings: &siblings) {
                    case .empty:
                        return StateProof(siblings: siblings, terminal: .empty)
                    case .leaf(let leafKey, let valueHash):
                        return StateProof(siblings: siblings, terminal: leafKey == keyHash
                            ? .queriedLeaf : .otherLeaf(keyHash: leafKey, valueHash: valueHash))
                    case .node(let childVersion, _):
                        nodeKey = NodeKey(version: childVersion, path: NibblePath(keyHash: keyHash, count: nodeKey.path.count + 1))
                    }
                }
            }
        }
    }

    /// Every key (by its hash) and value present at `version` (the latest when `nil`), in key-hash order.
    ///
    /// Reads the whole table: for checks and exports, not for the hot path.
    public func entries(at version: UInt64? = nil) throws -> [(keyHash: Hash32, value: [UInt8])] {
        try lock.withLock {
            let version = try resolve(version)
            return try database.inDatabase { db in
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT key_hash, value FROM state_value AS v
                    WHERE version = (SELECT MAX(version) FROM state_value
                                     WHERE key_hash = v.key_hash AND version <= ?1)
                      AND value IS NOT NULL
                    ORDER BY key_hash
                    """, arguments: [Int64(bitPattern: version)])
                var entries: [(keyHash: Hash32, value: [UInt8])] = []
                while let row = try rows.next() {
                    let keyBytes: Data = row[0]
                    let value: Data = row[1]
                    guard let keyHash = Hash32(bytes: keyBytes) else {
                        throw StateStoreError.corrupt("a key hash of \(keyBytes.count) bytes in state_value")
                    }
                    entries.append((keyHash, Array(value)))
                }
                return entries
            }
        }
    }

    /// SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound file, otherwise the problems found.
    public func integrityCheck() throws -> [String] {
        try lock.withLock {
            try database.inDatabase { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        }
    }

    /// The number of decoded nodes in memory now (at most `options.cacheNodeLimit`).
    public var cachedNodeCount: Int {
        lock.withLock { cache.count }
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

    /// The node `key`, from the cache or the file; `keep` puts a node read from the file in the cache.
    func loadNode(_ db: Database, _ key: NodeKey, keep: Bool) throws -> TreeNode {
        if let node = cache.node(key) { return node }
        let statement = try db.cachedStatement(sql: StateSQL.selectNode)
        let path = key.path.encoded
        let node: TreeNode?? = try path.withUnsafeBytes { pathBytes in
            statement.bindInt(1, key.version)
            statement.bindBlob(2, pathBytes)
            return try statement.firstBlob(db) { bytes in bytes.flatMap { TreeNode(encoded: $0) } }
        }
        guard let found = node else {
            throw StateStoreError.corrupt("node \(Hex.encode(path)) of version \(key.version) is missing")
        }
        guard let decoded = found else {
            throw StateStoreError.corrupt("node \(Hex.encode(path)) of version \(key.version) does not decode")
        }
        if keep { cache.insert(key, decoded) }
        return decoded
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
}
