import Foundation
import GRDB
import KeelPluginKit

/// The embedded L1's SQLite file: one file that every local process (sequencer, follower,
/// attestors) opens, in WAL mode, each write an IMMEDIATE transaction that waits up to
/// `busyTimeout` for another process's write to end. Every rule the bridge enforces is checked
/// inside the write transaction that records its outcome, so two processes can never record the
/// same batch, deposit index or claim twice.
struct L1Database: Sendable {
    /// The schema this code writes; a file of a newer schema is refused. 2 added `changes`; a
    /// schema-1 file gains the table when opened (every table is created if missing).
    static let schemaVersion = 2
    /// How long a write waits for another process's write before reporting the L1 unavailable.
    static let busyTimeout: TimeInterval = 10

    let path: String
    let pool: DatabasePool

    /// Opens (creating if needed) the file at `path` and its tables.
    init(path: String) throws(PluginError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "keel-bridge-local"
        do {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            pool = try DatabasePool(path: path, configuration: configuration)
            try pool.write { db in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                guard version <= Self.schemaVersion else {
                    throw PluginError.config("l1_db", "\(path) holds L1 schema \(version), newer than this plugin's \(Self.schemaVersion); upgrade the bridge plugin")
                }
                try Self.createTables(db)
                try db.execute(sql: "PRAGMA user_version = \(Self.schemaVersion)")
            }
        } catch let error as PluginError {
            throw error
        } catch {
            throw PluginError.config("l1_db", "cannot open the L1 database \(path): \(error)")
        }
    }

    private static func createTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS chain (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                chain_id INTEGER NOT NULL,
                genesis_unix_ms INTEGER NOT NULL,
                block_time_ms INTEGER NOT NULL,
                advanced_blocks INTEGER NOT NULL DEFAULT 0,
                finality TEXT NOT NULL,
                threshold INTEGER NOT NULL,
                genesis_root BLOB
            );
            CREATE TABLE IF NOT EXISTS committee (
                position INTEGER PRIMARY KEY,
                address BLOB NOT NULL UNIQUE
            );
            CREATE TABLE IF NOT EXISTS batches (
                idx INTEGER PRIMARY KEY,
                first_block INTEGER NOT NULL,
                last_block INTEGER NOT NULL,
                previous_root BLOB NOT NULL,
                root BLOB NOT NULL,
                withdrawals_root BLOB NOT NULL,
                da_commitment BLOB NOT NULL,
                l1_block INTEGER NOT NULL,
                attested_l1_block INTEGER
            );
            CREATE TABLE IF NOT EXISTS attestations (
                batch_idx INTEGER NOT NULL,
                signer BLOB NOT NULL,
                signature BLOB NOT NULL,
                l1_block INTEGER NOT NULL,
                PRIMARY KEY (batch_idx, signer)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS deposits (
                idx INTEGER PRIMARY KEY,
                l1_block INTEGER NOT NULL,
                sender BLOB NOT NULL,
                recipient BLOB NOT NULL,
                amount BLOB NOT NULL
            );
            CREATE TABLE IF NOT EXISTS claims (
                message_hash BLOB PRIMARY KEY,
                batch_idx INTEGER NOT NULL,
                leaf_index INTEGER NOT NULL,
                l1_block INTEGER NOT NULL,
                message BLOB NOT NULL,
                recipient BLOB,
                amount BLOB
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS changes (
                idx INTEGER PRIMARY KEY,
                l1_block INTEGER NOT NULL,
                body BLOB NOT NULL
            );
            """)
    }

    /// Registers `proposed` if the L1 is new, else returns what was registered; both in one transaction.
    func genesis(proposing proposed: () throws(PluginError) -> L1Genesis) throws(PluginError) -> L1Genesis {
        try write("register the L1's genesis") { db in
            if let stored = try Self.readGenesis(db) { return stored }
            let genesis = try proposed()
            try db.execute(sql: """
                INSERT INTO chain (id, chain_id, genesis_unix_ms, block_time_ms, finality, threshold, genesis_root)
                VALUES (1, ?, ?, ?, ?, ?, ?)
                """, arguments: [Int64(bitPattern: genesis.chainID), Int64(bitPattern: genesis.unixMilliseconds),
                                 Int64(bitPattern: genesis.blockTimeMilliseconds), genesis.finality,
                                 genesis.committee.threshold, genesis.genesisRoot.map { Data($0) }])
            for (position, member) in genesis.committee.members.enumerated() {
                try db.execute(sql: "INSERT INTO committee (position, address) VALUES (?, ?)", arguments: [position, Data(member.bytes)])
            }
            return genesis
        }
    }

    private static func readGenesis(_ db: Database) throws -> L1Genesis? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM chain WHERE id = 1") else { return nil }
        let members = try Data.fetchAll(db, sql: "SELECT address FROM committee ORDER BY position").compactMap { Address(bytes: $0) }
        let root: Data? = row["genesis_root"]
        return L1Genesis(chainID: UInt64(bitPattern: row["chain_id"]), unixMilliseconds: UInt64(bitPattern: row["genesis_unix_ms"]),
                         blockTimeMilliseconds: UInt64(bitPattern: row["block_time_ms"]), finality: row["finality"],
                         committee: AttestorCommittee(members: members, threshold: row["threshold"]),
                         genesisRoot: root.map { [UInt8]($0) })
    }

    /// Runs `body` in one IMMEDIATE write transaction; a `PluginError` it throws rolls it back and
    /// passes through, any other failure is reported as the L1 being unavailable.
    func write<T>(_ action: String, _ body: (Database) throws -> T) throws(PluginError) -> T {
        do {
            return try pool.write(body)
        } catch let error as PluginError {
            throw error
        } catch {
            throw PluginError(.unavailable, "cannot \(action) in the L1 database \(path): \(error); if another process holds it, retry")
        }
    }

    /// Runs `body` on a snapshot of the file.
    func read<T>(_ action: String, _ body: (Database) throws -> T) throws(PluginError) -> T {
        do {
            return try pool.read(body)
        } catch let error as PluginError {
            throw error
        } catch {
            throw PluginError(.unavailable, "cannot \(action) in the L1 database \(path): \(error); retry")
        }
    }
}

extension UInt64 {
    /// The value as SQLite stores it (an INTEGER is signed 64-bit; the bit pattern round-trips).
    var sql: Int64 { Int64(bitPattern: self) }
}
