import Foundation
import GRDB
import KeelCore

/// `mempool.sqlite`: the transactions accepted and not yet in a block. Writes are group-committed:
/// every change queued while a commit runs goes into the next one, and `persist` returns only once
/// its change is committed, so an acknowledged transaction survives `kill -9` (docs/NODE.md).
final class MempoolStore: @unchecked Sendable {
    enum Change: Sendable {
        case insert(hash: Hash32, raw: [UInt8], arrival: UInt64)
        case delete(Hash32)
    }

    private let database: DatabaseQueue
    private let lock = NSLock()
    private let writerQueue = DispatchQueue(label: "keel.mempool.writer")
    // Guarded by `lock`.
    private var queued: [Change] = []
    private var waiters: [CheckedContinuation<Void, any Error>] = []
    private var writing = false

    init(path: String, synchronousFull: Bool) throws {
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronousFull ? "FULL" : "NORMAL")")
        }
        database = try DatabaseQueue(path: path, configuration: configuration)
        try database.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS pool (hash BLOB PRIMARY KEY, raw BLOB NOT NULL, arrival INTEGER NOT NULL) WITHOUT ROWID")
        }
    }

    /// Every stored transaction, in arrival order.
    func all() throws -> [(hash: Hash32, raw: [UInt8], arrival: UInt64)] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT hash, raw, arrival FROM pool ORDER BY arrival").compactMap { row in
                guard let hash = Hash32(bytes: row["hash"] as Data) else { return nil }
                return (hash, [UInt8](row["raw"] as Data), UInt64(bitPattern: row["arrival"] as Int64))
            }
        }
    }

    /// Commits `changes` (with whatever else is queued) and returns once they are durable.
    func persist(_ changes: [Change]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let start = lock.withLock {
                queued.append(contentsOf: changes)
                waiters.append(continuation)
                if writing { return false }
                writing = true
                return true
            }
            if start { writerQueue.async { self.drain() } }
        }
    }

    /// Queues `changes` without waiting (removals after a block: a crash before they commit is
    /// repaired at start, when the mempool drops what the chain holds).
    func enqueue(_ changes: [Change]) {
        let start = lock.withLock {
            queued.append(contentsOf: changes)
            if writing { return false }
            writing = true
            return true
        }
        if start { writerQueue.async { self.drain() } }
    }

    private func drain() {
        while true {
            let (changes, continuations): ([Change], [CheckedContinuation<Void, any Error>]) = lock.withLock {
                if queued.isEmpty && waiters.isEmpty {
                    writing = false
                    return ([], [])
                }
                defer { queued = []; waiters = [] }
                return (queued, waiters)
            }
            if changes.isEmpty && continuations.isEmpty { return }
            do {
                try write(changes)
                for continuation in continuations { continuation.resume() }
            } catch {
                for continuation in continuations { continuation.resume(throwing: error) }
            }
        }
    }

    private func write(_ changes: [Change]) throws {
        guard !changes.isEmpty else { return }
        try database.write { db in
            let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO pool (hash, raw, arrival) VALUES (?, ?, ?)")
            let delete = try db.cachedStatement(sql: "DELETE FROM pool WHERE hash = ?")
            for change in changes {
                switch change {
                case .insert(let hash, let raw, let arrival):
                    try insert.execute(arguments: [Data(hash.bytes), Data(raw), Int64(bitPattern: arrival)])
                case .delete(let hash):
                    try delete.execute(arguments: [Data(hash.bytes)])
                }
            }
        }
    }
}
