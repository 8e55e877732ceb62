import Foundation
import GRDB

extension StateStore {
    /// Deletes what only versions older than the latest `retainedVersions` use: their roots, the
    /// nodes they alone reference, and the value rows replaced or deleted since. Idempotent; `apply` calls it when
    /// `pruneOnApply` is set. Reads of pruned versions throw `versionNotRetained`.
    public func prune() throws {
        try lock.withLock { try pruneLocked() }
    }

    func pruneLocked() throws {
        guard let latest else { return }
        let keepFrom = latest.version >= options.retainedVersions - 1 ? latest.version - (options.retainedVersions - 1) : 0
        guard let oldest, oldest < keepFrom else { return }
        try database.inDatabase { db in
            try db.inTransaction(.immediate) {
                // A node or value row made stale by version w is used by versions before w only, so
                // once `keepFrom` is the oldest version kept, what w <= keepFrom made stale can go.
                let journal = try Row.fetchAll(db, sql: "SELECT version, nodes, value_rows FROM state_stale WHERE version <= ?",
                                               arguments: [Int64(bitPattern: keepFrom)])
                let deleteNode = try db.cachedStatement(sql: StateSQL.deleteNode)
                let deleteValue = try db.cachedStatement(sql: StateSQL.deleteValue)
                for row in journal {
                    let version = UInt64(bitPattern: row[0] as Int64)
                    let nodes = [UInt8]((row[1] as Data?) ?? Data())
                    let valueRows = [UInt8]((row[2] as Data?) ?? Data())
                    var offset = 0
                    while offset < nodes.count {
                        guard offset + 9 <= nodes.count else { throw StateStoreError.corrupt("stale journal of version \(version) is truncated") }
                        var nodeVersion: UInt64 = 0
                        for byte in nodes[offset..<offset + 8] { nodeVersion = nodeVersion << 8 | UInt64(byte) }
                        let pathLength = 1 + (Int(nodes[offset + 8]) + 1) / 2
                        guard offset + 8 + pathLength <= nodes.count else { throw StateStoreError.corrupt("stale journal of version \(version) is truncated") }
                        try nodes[(offset + 8)..<(offset + 8 + pathLength)].withUnsafeBytes { path in
                            deleteNode.bindInt(1, nodeVersion)
                            deleteNode.bindBlob(2, path)
                            try deleteNode.run(db)
                        }
                        offset += 8 + pathLength
                    }
                    guard valueRows.count % 40 == 0 else {
                        throw StateStoreError.corrupt("stale value list of version \(version) is not whole entries")
                    }
                    try valueRows.withUnsafeBytes { all in
                        for start in stride(from: 0, to: all.count, by: 40) {
                            var rowVersion: UInt64 = 0
                            for byte in all[start..<start + 8] { rowVersion = rowVersion << 8 | UInt64(byte) }
                            deleteValue.bindInt(1, rowVersion)
                            deleteValue.bindBlob(2, UnsafeRawBufferPointer(rebasing: all[start + 8..<start + 40]))
                            try deleteValue.run(db)
                        }
                    }
                }
                let bound = Int64(bitPattern: keepFrom)
                try db.execute(sql: "DELETE FROM state_stale WHERE version <= ?", arguments: [bound])
                try db.execute(sql: "DELETE FROM state_version WHERE version < ?", arguments: [bound])
                return .commit
            }
        }
        self.oldest = keepFrom
        // Nodes of pruned versions may still sit in the cache; reads check the version first, so
        // they are never served, and they age out.
    }
}
