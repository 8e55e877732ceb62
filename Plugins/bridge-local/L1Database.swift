import Foundation
import GRDB
import KeelPluginKit

/// The embedded L1's SQLite file: one file that every local process (sequencer, follower,
/// attestors, challengers) opens, in WAL mode, each write an IMMEDIATE transaction that waits up to
/// `busyTimeout` for another process's write to end. Every rule the bridge enforces is checked
/// inside the write transaction that records its outcome, so two processes can never record the
/// same batch, deposit index, claim or move twice.
///
/// The schema evolves by GRDB's `DatabaseMigrator` (`L1Schema`), one named migration per change,
/// applied in order when a file is opened; a file that holds a migration this code does not know was
/// written by a newer plugin and is refused.
struct L1Database: Sendable {
    /// How long a write waits for another process's write before reporting the L1 unavailable.
    static let busyTimeout: TimeInterval = 10

    let path: String
    let pool: DatabasePool

    /// Opens (creating if needed) the file at `path` and brings its schema up to date.
    init(path: String) throws(PluginError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "keel-bridge-local"
        do {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            pool = try DatabasePool(path: path, configuration: configuration)
            let migrator = L1Schema.migrator
            let unknown = try pool.read { db in try migrator.appliedIdentifiers(db).subtracting(migrator.migrations) }
            guard unknown.isEmpty else {
                throw PluginError.config("l1_db", "\(path) holds L1 schema changes this plugin does not know (\(unknown.sorted().joined(separator: ", "))): "
                                         + "it was written by a newer bridge plugin; upgrade the bridge plugin")
            }
            try migrator.migrate(pool)
        } catch let error as PluginError {
            throw error
        } catch {
            throw PluginError.config("l1_db", "cannot open the L1 database \(path): \(error)")
        }
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
            try db.execute(sql: "INSERT OR REPLACE INTO finality_rules (from_batch, rule) VALUES (0, ?)", arguments: [genesis.finality])
            try genesis.fault?.register(db)
            try genesis.escape.register(db)
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
                         genesisRoot: root.map { [UInt8]($0) }, fault: try FaultParameters.registered(db),
                         escape: try EscapeParameters.registered(db))
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
