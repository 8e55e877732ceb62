import KeelCore
import Foundation
import GRDB

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
        var changes = Self.sortedChanges(updates)
        return try lock.withLock {
            if let latest, version <= latest.version {
                throw StateStoreError.versionNotIncreasing(given: version, latest: latest.version)
            }
            Self.numberValues(&changes, from: nextValueID)
            var update = try database.inDatabase { db in
                var update = TreeUpdate(nextNodeID: nextNodeID, residentDepth: residentDepth, spareNodes: spareNodes)
                spareNodes = []
                try db.inTransaction(.immediate) {
                    try update.applyToRoot(changes[...], rootID: latest?.rootNode,
                                           load: loader(db, latestTree: true, keep: false))
                    try write(update, version: version, changes: changes, updates: updates, db: db)
                    try alongside(db, update.root)
                    return .commit
                }
                return update
            }
            // Only once committed do the counters and the cache see the new rows.
            nextNodeID = update.nextNodeID
            nextValueID += UInt64(changes.reduce(0) { $0 + ($1.leaf == nil ? 0 : 1) })
            adopt(&update)
            latest = (version, update.root, update.rootID)
            if oldest == nil { oldest = version }
            if options.pruneOnApply { try pruneLocked(batch: options.pruneBatch) }
            return update.root
        }
    }

    /// The largest value `apply` accepts (16 MiB): a value is read whole and kept in one row.
    public static let maximumValueBytes = 16 << 20

    /// Hashes keys and values, orders the changes by key hash and keeps the last change of each key.
    /// Value row ids are left 0 (`numberValues` sets them).
    static func sortedChanges(_ updates: [(key: [UInt8], value: [UInt8]?)]) -> [KeyChange] {
        let keyHashes = Keccak256.hashEach(count: updates.count) { updates[$0].key }
        var indexed: [(index: Int, keyHash: Hash32)] = []
        indexed.reserveCapacity(updates.count)
        for (index, keyHash) in keyHashes.enumerated() { indexed.append((index, keyHash)) }
        // Equal key hashes keep their input order, so the last update of a key comes last.
        indexed.sort { $0.keyHash != $1.keyHash ? $0.keyHash < $1.keyHash : $0.index < $1.index }
        var kept: [(index: Int, keyHash: Hash32)] = []
        kept.reserveCapacity(indexed.count)
        for (position, entry) in indexed.enumerated() {
            if position + 1 < indexed.count, indexed[position + 1].keyHash == entry.keyHash { continue }
            kept.append(entry)
        }
        // The leaves of the kept updates that set a value: value hashes, then leaf hashes, each in one batch.
        let setting = kept.indices.filter { updates[kept[$0].index].value != nil }
        let valueHashes = Keccak256.hashEach(count: setting.count) { updates[kept[setting[$0]].index].value ?? [] }
        let pairs = setting.indices.map { HashPair(left: kept[setting[$0]].keyHash, right: valueHashes[$0]) }
        var leafHashes = [Hash32](repeating: .zero, count: pairs.count)
        pairs.withUnsafeBufferPointer { pairs in
            leafHashes.withUnsafeMutableBufferPointer { Keccak256.hashPrefixedPairs(StateTree.leafDomain, pairs, into: $0) }
        }
        var changes = kept.map { KeyChange(keyHash: $0.keyHash, leaf: nil, updateIndex: $0.index) }
        for (position, keptIndex) in setting.enumerated() {
            changes[keptIndex].leaf = TreeLeaf(keyHash: kept[keptIndex].keyHash, leafHash: leafHashes[position], valueID: 0)
        }
        return changes
    }

    /// Numbers the value rows of `changes` from `first` on, in key-hash order.
    static func numberValues(_ changes: inout [KeyChange], from first: UInt64) {
        var next = first
        for index in changes.indices where changes[index].leaf != nil {
            changes[index].leaf?.valueID = next
            next += 1
        }
    }

    private func write(_ update: TreeUpdate, version: UInt64, changes: [KeyChange],
                       updates: [(key: [UInt8], value: [UInt8]?)], db: Database) throws {
        let insertNode = try db.cachedStatement(sql: StateSQL.insertNode)
        for node in update.written {
            let bound = node.encodedBound
            if scratch.count < bound { scratch = [UInt8](repeating: 0, count: max(bound, 2 * scratch.count)) }
            try scratch.withUnsafeMutableBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                let count = node.encode(to: base)
                insertNode.bindBlob(1, UnsafeRawBufferPointer(start: base, count: count))
                try insertNode.run(db)
                let id = UInt64(bitPattern: db.lastInsertedRowID)
                guard id == node.id else {
                    throw StateStoreError.corrupt("node row \(id) was written where row \(node.id) was expected: the table's largest id moved")
                }
            }
        }
        // Values get increasing row ids in key-hash order: an append at the end of the table.
        let insertValue = try db.cachedStatement(sql: StateSQL.insertValue)
        for change in changes {
            guard let leaf = change.leaf, let value = updates[change.updateIndex].value else { continue }
            try value.withUnsafeBytes { valueBytes in
                insertValue.bindInt(1, leaf.valueID)
                insertValue.bindBlob(2, valueBytes)
                try insertValue.run(db)
            }
        }
        let insertStale = try db.cachedStatement(sql: StateSQL.insertStale)
        try Self.packedIDs(update.staleNodes).withUnsafeBytes { nodeBytes in
            try Self.packedIDs(update.staleValues).withUnsafeBytes { valueBytes in
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
            insertVersion.bindInt(3, update.rootID)
            insertVersion.bindInt(4, UInt64(changes.count))
            try insertVersion.run(db)
        }
    }

    /// Row ids as 8-byte big-endian integers, for the stale journal.
    static func packedIDs(_ ids: [UInt64]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: ids.count * 8)
        bytes.withUnsafeMutableBytes { raw in
            for (index, id) in ids.enumerated() { raw.storeBytes(of: id.bigEndian, toByteOffset: index * 8, as: UInt64.self) }
        }
        return bytes
    }
}
