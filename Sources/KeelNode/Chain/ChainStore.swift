import Foundation
import GRDB
import KeelCore
import KeelState

/// The node's database (`node.sqlite`): the authenticated state tree and, in the same SQLite file,
/// the chain (blocks, transactions with receipts), the batch outbox and node metadata. A block
/// commits atomically with its state version (docs/NODE.md). Thread-safe.
final class ChainStore: @unchecked Sendable {
    let state: StateStore
    private let lock = NSLock()
    // Guarded by `lock`.
    private var cachedHead: ChainHead?

    init(path: String, synchronousFull: Bool) throws {
        var options = StateStoreOptions()
        options.synchronousFull = synchronousFull
        state = try StateStore(path: path, options: options)
        try state.withDatabase { db in
            for statement in ChainSchema.statements { try db.execute(sql: statement) }
        }
        cachedHead = try loadHead()
    }

    /// The head, or `nil` before genesis.
    var head: ChainHead? { lock.withLock { cachedHead } }

    // MARK: Genesis

    /// Writes block 0 with `updates` (`GenesisState`) as state version 0 when the database is new;
    /// otherwise checks that the stored genesis matches (same chain id and state root).
    func initializeGenesis(chainID: UInt64, updates: [(key: [UInt8], value: [UInt8]?)], gasLimit: UInt64, baseFee: UInt128) throws -> ChainHead {
        if let head = head {
            let storedChain = try meta("chain_id").map { Self.uint64($0) }
            if let storedChain, storedChain != chainID {
                throw ChainStoreError(message: "\(state.path) holds chain \(storedChain), not this manifest's chain \(chainID); use another data_dir")
            }
            let expected = try StateStore.genesisRoot(updates)
            let stored = try block(number: 0)?.header.stateRoot
            if let stored, stored != expected {
                throw ChainStoreError(message: "\(state.path) was started with another genesis (state root \(stored), "
                                      + "the manifest's is \(expected)); use another data_dir or restore the manifest's genesis.alloc")
            }
            return head
        }
        let block = ExecutedBlock(number: 0, timestamp: 0, parentHash: .zero, baseFee: baseFee, gasLimit: gasLimit, gasUsed: 0,
                                  transactions: [], nextBaseFee: baseFee, nextDeposit: 0, updates: updates)
        let stored = try commit(block) { _ in nil } extra: { db in
            try Self.setMeta(db, "chain_id", Self.bytes(chainID))
        }
        return ChainHead(number: 0, hash: stored.hash, header: stored.header, nextBaseFee: baseFee, nextDeposit: 0)
    }

    // MARK: Commit

    /// Commits `block`: state version `block.number`, the header signed by `sign`, its transactions
    /// and receipts, in one SQLite transaction. `extra` writes more rows in the same transaction.
    @discardableResult
    func commit(_ block: ExecutedBlock, sign: (Hash32) throws -> Signature?,
                extra: (Database) throws -> Void = { _ in }) throws -> StoredBlock {
        var stored: StoredBlock?
        try state.apply(version: block.number, updates: block.updates) { db, root in
            var header = block.header(stateRoot: root)
            header.sequencerSignature = try sign(header.hash)
            let hash = header.hash
            let encodedHeader = header.encoded
            let size = encodedHeader.count + block.transactions.reduce(0) { $0 + $1.raw.count }
            try db.execute(sql: """
                INSERT INTO chain_block (number, hash, header, size, tx_count, next_base_fee, next_deposit)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [Int64(bitPattern: block.number), Data(hash.bytes), Data(encodedHeader), size,
                                 block.transactions.count, Data(Self.bytes(block.nextBaseFee)), Int64(bitPattern: block.nextDeposit)])
            let insert = try db.cachedStatement(sql: """
                INSERT INTO chain_tx (hash, block, position, raw, sender, succeeded, gas_used, cumulative_gas, gas_price, message)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (position, tx) in block.transactions.enumerated() {
                let message: Data? = tx.outcome.l2ToL1Message.isEmpty ? nil : Data(tx.outcome.l2ToL1Message)
                try insert.execute(arguments: [Data(tx.hash.bytes), Int64(bitPattern: block.number), position, Data(tx.raw),
                                               Data(tx.sender.bytes), tx.outcome.succeeded, Int64(bitPattern: tx.outcome.gasUsed),
                                               Int64(bitPattern: tx.cumulativeGasUsed), Data(Self.bytes(tx.effectiveGasPrice)), message])
            }
            try extra(db)
            stored = StoredBlock(header: header, hash: hash, transactionHashes: block.transactions.map(\.hash), size: size)
        }
        guard let stored else { throw ChainStoreError(message: "block \(block.number) did not commit") }
        lock.withLock {
            cachedHead = ChainHead(number: block.number, hash: stored.hash, header: stored.header,
                                   nextBaseFee: block.nextBaseFee, nextDeposit: block.nextDeposit)
        }
        return stored
    }

    // MARK: Reads

    /// The deposits consumed by the end of block `number` (its `next_deposit`); nil if there is no such block.
    func nextDeposit(afterBlock number: UInt64) throws -> UInt64? {
        try state.withDatabase { db in
            try Int64.fetchOne(db, sql: "SELECT next_deposit FROM chain_block WHERE number = ?", arguments: [Int64(bitPattern: number)])
                .map { UInt64(bitPattern: $0) }
        }
    }

    func block(number: UInt64) throws -> StoredBlock? {
        try state.withDatabase { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT header, size FROM chain_block WHERE number = ?",
                                             arguments: [Int64(bitPattern: number)]) else { return nil }
            return try Self.storedBlock(db, row)
        }
    }

    func block(hash: Hash32) throws -> StoredBlock? {
        try state.withDatabase { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT header, size FROM chain_block WHERE hash = ?",
                                             arguments: [Data(hash.bytes)]) else { return nil }
            return try Self.storedBlock(db, row)
        }
    }

    /// Blocks `first...last` with their raw transactions, for a batch.
    func blocks(_ range: ClosedRange<UInt64>) throws -> [Block] {
        try state.withDatabase { db in
            var blocks: [Block] = []
            let rows = try Row.fetchAll(db, sql: "SELECT number, header FROM chain_block WHERE number BETWEEN ? AND ? ORDER BY number",
                                        arguments: [Int64(bitPattern: range.lowerBound), Int64(bitPattern: range.upperBound)])
            for row in rows {
                let header = try BlockHeader(rlp: [UInt8](row["header"] as Data))
                let number: Int64 = row["number"]
                let raws = try Data.fetchAll(db, sql: "SELECT raw FROM chain_tx WHERE block = ? ORDER BY position", arguments: [number])
                blocks.append(Block(header: header, transactions: raws.map { [UInt8]($0) }))
            }
            return blocks
        }
    }

    func transaction(_ hash: Hash32) throws -> StoredTransaction? {
        try state.withDatabase { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM chain_tx WHERE hash = ?", arguments: [Data(hash.bytes)]) else {
                return nil
            }
            let number: Int64 = row["block"]
            let blockHash = try Data.fetchOne(db, sql: "SELECT hash FROM chain_block WHERE number = ?", arguments: [number])
            return try Self.storedTransaction(row, blockHash: blockHash.flatMap { Hash32(bytes: $0) } ?? .zero)
        }
    }

    func contains(transaction hash: Hash32) throws -> Bool {
        try state.withDatabase { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM chain_tx WHERE hash = ?", arguments: [Data(hash.bytes)]) ?? false
        }
    }

    func transactions(inBlock number: UInt64) throws -> [StoredTransaction] {
        try state.withDatabase { db in
            let blockHash = try Data.fetchOne(db, sql: "SELECT hash FROM chain_block WHERE number = ?", arguments: [Int64(bitPattern: number)])
            guard let blockHash = blockHash.flatMap({ Hash32(bytes: $0) }) else { return [] }
            return try Row.fetchAll(db, sql: "SELECT * FROM chain_tx WHERE block = ? ORDER BY position",
                                    arguments: [Int64(bitPattern: number)]).map { row in try Self.storedTransaction(row, blockHash: blockHash) }
        }
    }

    /// The L2→L1 messages of blocks `range`, in block and transaction order, with their transactions' hashes.
    func messages(_ range: ClosedRange<UInt64>) throws -> [(txHash: Hash32, message: [UInt8])] {
        try state.withDatabase { db in
            try Row.fetchAll(db, sql: """
                SELECT hash, message FROM chain_tx WHERE block BETWEEN ? AND ? AND message IS NOT NULL ORDER BY block, position
                """, arguments: [Int64(bitPattern: range.lowerBound), Int64(bitPattern: range.upperBound)]).map { row in
                (Hash32(bytes: row["hash"] as Data) ?? .zero, [UInt8](row["message"] as Data))
            }
        }
    }

    // MARK: Metadata

    func meta(_ key: String) throws -> [UInt8]? {
        try state.withDatabase { db in
            try Data.fetchOne(db, sql: "SELECT value FROM chain_meta WHERE key = ?", arguments: [key]).map { [UInt8]($0) }
        }
    }

    func setMeta(_ key: String, _ value: [UInt8]) throws {
        try state.withDatabase { db in try Self.setMeta(db, key, value) }
    }

    static func setMeta(_ db: Database, _ key: String, _ value: [UInt8]) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO chain_meta (key, value) VALUES (?, ?)", arguments: [key, Data(value)])
    }

    // MARK: Decoding rows

    private func loadHead() throws -> ChainHead? {
        try state.withDatabase { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM chain_block ORDER BY number DESC LIMIT 1") else { return nil }
            let header = try BlockHeader(rlp: [UInt8](row["header"] as Data))
            return ChainHead(number: header.number, hash: header.hash, header: header,
                             nextBaseFee: Self.uint128([UInt8](row["next_base_fee"] as Data)),
                             nextDeposit: UInt64(bitPattern: row["next_deposit"] as Int64))
        }
    }

    private static func storedBlock(_ db: Database, _ row: Row) throws -> StoredBlock {
        let header = try BlockHeader(rlp: [UInt8](row["header"] as Data))
        let hashes = try Data.fetchAll(db, sql: "SELECT hash FROM chain_tx WHERE block = ? ORDER BY position",
                                       arguments: [Int64(bitPattern: header.number)])
        return StoredBlock(header: header, hash: header.hash, transactionHashes: hashes.compactMap { Hash32(bytes: $0) },
                           size: row["size"])
    }

    private static func storedTransaction(_ row: Row, blockHash: Hash32) throws -> StoredTransaction {
        let message = (row["message"] as Data?).map { [UInt8]($0) }
        guard let hash = Hash32(bytes: row["hash"] as Data), let sender = Address(bytes: row["sender"] as Data) else {
            throw ChainStoreError(message: "a transaction row is malformed")
        }
        return StoredTransaction(
            hash: hash, raw: [UInt8](row["raw"] as Data), sender: sender,
            blockNumber: UInt64(bitPattern: row["block"] as Int64), blockHash: blockHash, index: row["position"],
            succeeded: row["succeeded"], gasUsed: UInt64(bitPattern: row["gas_used"] as Int64),
            cumulativeGasUsed: UInt64(bitPattern: row["cumulative_gas"] as Int64),
            effectiveGasPrice: uint128([UInt8](row["gas_price"] as Data)), l2ToL1Message: message)
    }

    static func bytes(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }
    static func bytes(_ value: UInt128) -> [UInt8] { (0..<16).map { UInt8(truncatingIfNeeded: value >> (120 - 8 * $0)) } }
    static func uint64(_ bytes: [UInt8]) -> UInt64 { bytes.suffix(8).reduce(0) { $0 << 8 | UInt64($1) } }
    static func uint128(_ bytes: [UInt8]) -> UInt128 { bytes.suffix(16).reduce(0) { $0 << 8 | UInt128($1) } }
}

extension StateStore {
    /// The root a fresh tree gets from `updates` (the genesis check).
    static func genesisRoot(_ updates: [(key: [UInt8], value: [UInt8]?)]) throws -> Hash32 {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keel-genesis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try StateStore(path: folder.appendingPathComponent("g.sqlite").path)
        return try store.apply(version: 0, updates: updates)
    }
}
