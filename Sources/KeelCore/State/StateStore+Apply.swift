import Foundation
import GRDB

/// One key's change in a block, hashed.
struct KeyChange {
    var keyHash: Hash32
    /// `nil`: the key is deleted.
    var valueHash: Hash32?
    var value: [UInt8]?
}

extension StateStore {
    /// Commits `updates` as `version`, atomically, and returns the new root.
    ///
    /// A `nil` value deletes the key; when a key appears more than once, the last update wins.
    /// `version` must be greater than `latestVersion` (any version starts an empty store). Either
    /// every update is committed, or (on a throw) none is.
    ///
    /// `alongside`, when given, runs inside the same SQLite transaction once the new root is known,
    /// so that rows of the caller's own tables (a block, its receipts) commit atomically with the
    /// state; a throw from it rolls everything back.
    @discardableResult
    public func apply(version: UInt64, updates: [(key: [UInt8], value: [UInt8]?)],
                      alongside: (Database, Hash32) throws -> Void = { _, _ in }) throws -> Hash32 {
        for update in updates {
            if let value = update.value, value.count > Self.maximumValueBytes {
                throw StateStoreError.valueTooLarge(keyHash: StateTree.keyHash(update.key), bytes: value.count)
            }
        }
        let changes = Self.sortedChanges(updates)
        return try lock.withLock {
            if let latest, version <= latest.version {
                throw StateStoreError.versionNotIncreasing(given: version, latest: latest.version)
            }
            let root = try database.inDatabase { db in
                var root = Hash32.zero
                var update = TreeUpdate(version: version)
                try db.inTransaction(.immediate) {
                    let previous = latest.map { NodeKey(version: $0.version, path: .root) }
                    _ = try update.apply(changes[...], below: previous, at: .root) { key in
                        try loadNode(db, key, keep: false)
                    }
                    root = update.root
                    try write(update, changes: changes, db: db)
                    try alongside(db, root)
                    return .commit
                }
                // Only once committed does the cache see the new nodes.
                for key in update.stale { cache.remove(key) }
                for (key, node) in update.written { cache.insert(key, node, pin: true) }
                return root
            }
            latest = (version, root)
            if oldest == nil { oldest = version }
            if options.pruneOnApply { try pruneLocked() }
            return root
        }
    }

    /// The largest value `apply` accepts (16 MiB): a value is read whole and kept in one row.
    public static let maximumValueBytes = 16 << 20

    /// Hashes keys and values, orders the changes by key hash, and keeps the last change of each key.
    static func sortedChanges(_ updates: [(key: [UInt8], value: [UInt8]?)]) -> [KeyChange] {
        var indexed = updates.enumerated().map { index, update in
            (index, KeyChange(keyHash: StateTree.keyHash(update.key),
                              valueHash: update.value.map(StateTree.valueHash), value: update.value))
        }
        indexed.sort { $0.1.keyHash != $1.1.keyHash ? $0.1.keyHash < $1.1.keyHash : $0.0 < $1.0 }
        var changes: [KeyChange] = []
        changes.reserveCapacity(indexed.count)
        for (_, change) in indexed {
            if let last = changes.last, last.keyHash == change.keyHash {
                changes[changes.count - 1] = change
            } else {
                changes.append(change)
            }
        }
        return changes
    }

    private func write(_ update: TreeUpdate, changes: [KeyChange], db: Database) throws {
        let version = update.version
        let insertNode = try db.cachedStatement(sql: StateSQL.insertNode)
        for (key, node) in update.written {
            let path = key.path.encoded
            let data = node.encoded()
            try path.withUnsafeBytes { pathBytes in
                try data.withUnsafeBytes { dataBytes in
                    insertNode.bindInt(1, version)
                    insertNode.bindBlob(2, pathBytes)
                    insertNode.bindBlob(3, dataBytes)
                    try insertNode.run(db)
                }
            }
        }
        // Values go in key-hash order under this version: an append at the end of the table.
        let insertValue = try db.cachedStatement(sql: StateSQL.insertValue)
        for change in changes {
            guard let value = change.value else { continue }
            try change.keyHash.withUnsafeBytes { keyBytes in
                try value.withUnsafeBytes { valueBytes in
                    insertValue.bindInt(1, version)
                    insertValue.bindBlob(2, keyBytes)
                    insertValue.bindBlob(3, valueBytes)
                    try insertValue.run(db)
                }
            }
        }
        var staleNodes: [UInt8] = []
        staleNodes.reserveCapacity(update.stale.count * 12)
        for key in update.stale {
            withUnsafeBytes(of: key.version.bigEndian) { staleNodes.append(contentsOf: $0) }
            staleNodes.append(contentsOf: key.path.encoded)
        }
        var staleValues: [UInt8] = []
        staleValues.reserveCapacity(update.staleValues.count * 40)
        for row in update.staleValues {
            withUnsafeBytes(of: row.version.bigEndian) { staleValues.append(contentsOf: $0) }
            row.keyHash.withUnsafeBytes { staleValues.append(contentsOf: $0) }
        }
        let insertStale = try db.cachedStatement(sql: StateSQL.insertStale)
        try staleNodes.withUnsafeBytes { nodeBytes in
            try staleValues.withUnsafeBytes { valueBytes in
                insertStale.bindInt(1, version)
                insertStale.bindBlob(2, nodeBytes)
                insertStale.bindBlob(3, valueBytes)
                try insertStale.run(db)
            }
        }
        let insertVersion = try db.cachedStatement(sql: StateSQL.insertVersion)
        try update.root.withUnsafeBytes { rootBytes in
            insertVersion.bindInt(1, version)
            insertVersion.bindBlob(2, rootBytes)
            insertVersion.bindInt(3, UInt64(changes.count))
            try insertVersion.run(db)
        }
    }
}
