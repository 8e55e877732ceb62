import Foundation
import GRDB
import KeelCore
import KeelState

/// One row of the batch outbox (`chain_batch`): a batch and how far it got (docs/NODE.md).
struct OutboxRow: Sendable {
    enum Stage: Int, Sendable {
        /// Encoded; the exact bytes are stored so a retry submits the same blob.
        case encoded = 0
        /// On DA; the commitment is stored.
        case stored = 1
        /// Recorded by the settlement layer.
        case posted = 2

        var name: String {
            switch self {
            case .encoded: "encoded"
            case .stored: "stored"
            case .posted: "posted"
            }
        }
    }

    var index: UInt64
    var firstBlock: UInt64
    var lastBlock: UInt64
    var codec: CompressionCodec
    var blob: [UInt8]
    var previousRoot: Hash32
    var root: Hash32
    var withdrawalsRoot: Hash32
    var commitment: [UInt8]?
    var stage: Stage
    var provider: String?

    var record: BatchRecord {
        BatchRecord(index: index, firstBlock: firstBlock, lastBlock: lastBlock, previousRoot: previousRoot.bytes, root: root.bytes,
                    withdrawalsRoot: withdrawalsRoot.bytes, daCommitment: commitment ?? [])
    }

    init(index: UInt64, firstBlock: UInt64, lastBlock: UInt64, codec: CompressionCodec, blob: [UInt8], previousRoot: Hash32,
         root: Hash32, withdrawalsRoot: Hash32, commitment: [UInt8]?, stage: Stage, provider: String?) {
        self.index = index
        self.firstBlock = firstBlock
        self.lastBlock = lastBlock
        self.codec = codec
        self.blob = blob
        self.previousRoot = previousRoot
        self.root = root
        self.withdrawalsRoot = withdrawalsRoot
        self.commitment = commitment
        self.stage = stage
        self.provider = provider
    }

    init(row: Row) throws {
        guard let previous = Hash32(bytes: row["previous_root"] as Data), let root = Hash32(bytes: row["root"] as Data),
              let withdrawals = Hash32(bytes: row["withdrawals_root"] as Data),
              let codec = CompressionCodec(rawValue: UInt8(truncatingIfNeeded: row["codec"] as Int)),
              let stage = Stage(rawValue: row["stage"]) else {
            throw ChainStoreError(message: "batch row \(row["idx"] as Int64? ?? -1) is malformed")
        }
        self.init(index: UInt64(bitPattern: row["idx"] as Int64), firstBlock: UInt64(bitPattern: row["first_block"] as Int64),
                  lastBlock: UInt64(bitPattern: row["last_block"] as Int64), codec: codec, blob: [UInt8](row["blob"] as Data),
                  previousRoot: previous, root: root, withdrawalsRoot: withdrawals,
                  commitment: (row["commitment"] as Data?).map { [UInt8]($0) }, stage: stage, provider: row["provider"])
    }
}

extension ChainStore {
    func insertBatch(_ row: OutboxRow) throws {
        try state.withDatabase { db in
            try db.execute(sql: """
                INSERT INTO chain_batch (idx, first_block, last_block, codec, blob, previous_root, root, withdrawals_root, commitment, stage, provider)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [Int64(bitPattern: row.index), Int64(bitPattern: row.firstBlock), Int64(bitPattern: row.lastBlock),
                                 Int(row.codec.rawValue), Data(row.blob), Data(row.previousRoot.bytes), Data(row.root.bytes),
                                 Data(row.withdrawalsRoot.bytes), row.commitment.map { Data($0) }, row.stage.rawValue, row.provider])
        }
    }

    func updateBatch(_ index: UInt64, stage: OutboxRow.Stage, commitment: [UInt8]? = nil, provider: String? = nil) throws {
        try state.withDatabase { db in
            try db.execute(sql: """
                UPDATE chain_batch SET stage = ?, commitment = COALESCE(?, commitment), provider = COALESCE(?, provider) WHERE idx = ?
                """, arguments: [stage.rawValue, commitment.map { Data($0) }, provider, Int64(bitPattern: index)])
        }
    }

    func batchRow(_ index: UInt64) throws -> OutboxRow? {
        try state.withDatabase { db in
            try Row.fetchOne(db, sql: "SELECT * FROM chain_batch WHERE idx = ?", arguments: [Int64(bitPattern: index)]).map(OutboxRow.init)
        }
    }

    /// Rows not yet posted, oldest first.
    func unfinishedBatches() throws -> [OutboxRow] {
        try state.withDatabase { db in
            try Row.fetchAll(db, sql: "SELECT * FROM chain_batch WHERE stage < ? ORDER BY idx",
                             arguments: [OutboxRow.Stage.posted.rawValue]).map(OutboxRow.init)
        }
    }

    /// The newest batch row, if any.
    func lastBatch() throws -> OutboxRow? {
        try state.withDatabase { db in
            try Row.fetchOne(db, sql: "SELECT * FROM chain_batch ORDER BY idx DESC LIMIT 1").map(OutboxRow.init)
        }
    }

    /// The batch whose blocks include `block`, if one was made.
    func batchContaining(block: UInt64) throws -> OutboxRow? {
        try state.withDatabase { db in
            try Row.fetchOne(db, sql: "SELECT * FROM chain_batch WHERE first_block <= ? AND last_block >= ?",
                             arguments: [Int64(bitPattern: block), Int64(bitPattern: block)]).map(OutboxRow.init)
        }
    }

    /// How many batches reached `posted`.
    func postedBatchCount() throws -> UInt64 {
        try state.withDatabase { db in
            UInt64(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chain_batch WHERE stage = ?",
                                    arguments: [OutboxRow.Stage.posted.rawValue]) ?? 0)
        }
    }

    /// Forgets the rows from `index` on (the settlement layer rejected them) and makes the next
    /// batch take index `nextIndex`, the settlement layer's next: their blocks are batched again.
    func rewindBatches(from index: UInt64, nextIndex: UInt64) throws {
        try state.withDatabase { db in
            try db.inTransaction {
                try db.execute(sql: "DELETE FROM chain_batch WHERE idx >= ?", arguments: [Int64(bitPattern: index)])
                try ChainStore.setMeta(db, "next_batch_index", ChainStore.bytes(nextIndex))
                return .commit
            }
        }
    }

    /// The index the next batch takes: after the newest row, and not below a rewind's floor.
    func nextBatchIndex() throws -> UInt64 {
        let afterLast = try lastBatch().map { $0.index + 1 } ?? 0
        let floor = try meta("next_batch_index").map { ChainStore.uint64($0) } ?? 0
        return max(afterLast, floor)
    }
}

