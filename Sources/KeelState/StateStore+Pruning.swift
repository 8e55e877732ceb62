import KeelCore
import Foundation
import GRDB

extension StateStore {
    /// Deletes what only versions older than the latest `retainedVersions` use: their roots, the
    /// nodes they alone reference, and the value rows replaced or deleted since. Idempotent; `apply` calls it when
    /// `pruneOnApply` is set (once `pruneBatch` versions are due). Reads of pruned versions throw
    /// `versionNotRetained`.
    public func prune() throws {
        try lock.withLock { try pruneLocked() }
    }

    /// Keeps every version from `version` on readable, beyond `retainedVersions`, until another
    /// call moves the floor (nil: none). A fault-proof player keeps the state of every batch not
    /// yet final, whose steps it may still have to prove (docs/FAULT_PROOFS.md).
    public func keepVersions(from version: UInt64?) {
        lock.withLock { pruneFloor = version }
    }

    /// Prunes when at least `batch` versions are past the retained window (1: whenever any is).
    func pruneLocked(batch: UInt64 = 1) throws {
        guard let latest else { return }
        var keepFrom = latest.version >= options.retainedVersions - 1 ? latest.version - (options.retainedVersions - 1) : 0
        if let pruneFloor, pruneFloor < keepFrom { keepFrom = pruneFloor }
        guard let oldest, oldest < keepFrom, keepFrom - oldest >= max(batch, 1) else { return }
        try database.inDatabase { db in
            try db.inTransaction(.immediate) {
                // A node or value row made stale by version w is used by versions before w only, so
                // once `keepFrom` is the oldest version kept, what w <= keepFrom made stale can go.
                let journal = try Row.fetchAll(db, sql: "SELECT version, nodes, value_rows FROM state_stale WHERE version <= ?",
                                               arguments: [Int64(bitPattern: keepFrom)])
                let deleteNodes = try db.cachedStatement(sql: StateSQL.deleteNodes)
                let deleteValues = try db.cachedStatement(sql: StateSQL.deleteValues)
                var nodeIDs: [UInt64] = [], valueIDs: [UInt64] = []
                for row in journal {
                    let version = UInt64(bitPattern: row[0] as Int64)
                    for (column, name) in [(1, "node"), (2, "value")] {
                        let bytes = (row[column] as Data?) ?? Data()
                        guard bytes.count % 8 == 0 else {
                            throw StateStoreError.corrupt("the stale \(name) list of version \(version) is not whole 8-byte ids")
                        }
                        bytes.withUnsafeBytes { raw in
                            for offset in stride(from: 0, to: raw.count, by: 8) {
                                let id = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                                if column == 1 { nodeIDs.append(id) } else { valueIDs.append(id) }
                            }
                        }
                    }
                }
                // In id order, a run of consecutive ids at a time: the deletes walk each table's
                // B-tree forward, one statement for each run of rows a block wrote together.
                for (statement, ids) in [(deleteNodes, nodeIDs), (deleteValues, valueIDs)] {
                    for run in Self.consecutiveRuns(ids.sorted()) {
                        statement.bindInt(1, run.lowerBound)
                        statement.bindInt(2, run.upperBound)
                        try statement.run(db)
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

    /// Sorted ids as ranges of consecutive ids (a repeated id counts once).
    static func consecutiveRuns(_ sorted: [UInt64]) -> [ClosedRange<UInt64>] {
        var runs: [ClosedRange<UInt64>] = []
        guard var low = sorted.first else { return runs }
        var high = low
        for id in sorted.dropFirst() where id != high {
            if id == high + 1 {
                high = id
            } else {
                runs.append(low...high)
                (low, high) = (id, id)
            }
        }
        runs.append(low...high)
        return runs
    }
}
