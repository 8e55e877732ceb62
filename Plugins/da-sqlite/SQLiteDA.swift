import Foundation
import GRDB
import KeelPluginKit

/// da sqlite: batch blobs in a SQLite file (WAL), addressed by `0x01 ‖ keccak(blob)`.
///
/// Config: `path` (default `DATA_DIR/da-sqlite.db`), `max_blob_bytes` (default 16 MiB).
/// Thread-safe: GRDB's pool serialises writes and runs reads concurrently.
final class SQLiteDA: DAProvider, @unchecked Sendable {
    // @unchecked: the only stored state is the immutable pool, which is itself thread-safe.
    static let name = "sqlite"
    static let version = "1.0.0"
    static let capabilities = ["thread-safe", "da:offchain"]
    static let providerID: UInt8 = 0x01
    static let largestBlobSize: UInt64 = 64 << 20

    private let pool: DatabasePool
    let maxBlobSize: UInt64
    private let path: String

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        try config.allowKeys(["path", "max_blob_bytes"])
        let path = try config.string("path", default: host.dataDirectory + "/da-sqlite.db")
        maxBlobSize = try config.uint64("max_blob_bytes", default: 16 << 20)
        guard maxBlobSize > 0, maxBlobSize <= Self.largestBlobSize else {
            throw PluginError.config("max_blob_bytes", "must be between 1 and \(Self.largestBlobSize)")
        }
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            pool = try DatabasePool(path: path)
            try pool.write { db in
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS blobs (hash BLOB PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID")
            }
        } catch {
            throw PluginError.config("path", "cannot open the SQLite file \(path): \(error)")
        }
    }

    func submit(_ blob: [UInt8]) throws(PluginError) -> [UInt8] {
        guard UInt64(blob.count) <= maxBlobSize else {
            throw PluginError(.tooLarge, "the blob is \(blob.count) bytes; this provider takes at most \(maxBlobSize) (max_blob_bytes)")
        }
        let hash = Keccak256.hash(blob).bytes
        do {
            try pool.write { db in
                try db.execute(sql: "INSERT OR IGNORE INTO blobs (hash, data) VALUES (?, ?)",
                               arguments: [Data(hash), Data(blob)])
            }
        } catch {
            throw PluginError(.unavailable, "cannot write to \(path): \(error)")
        }
        return [Self.providerID] + hash
    }

    func retrieve(_ commitment: [UInt8]) throws(PluginError) -> [UInt8] {
        guard commitment.count == 33, commitment[0] == Self.providerID else {
            throw PluginError(.invalidArgument, "not a sqlite commitment: expected 33 bytes starting 0x01, got \(commitment.count) bytes")
        }
        let hash = Array(commitment[1...])
        let stored: Data?
        do {
            stored = try pool.read { db in try Data.fetchOne(db, sql: "SELECT data FROM blobs WHERE hash = ?", arguments: [Data(hash)]) }
        } catch {
            throw PluginError(.unavailable, "cannot read \(path): \(error)")
        }
        guard let stored else { throw PluginError(.notFound, "no blob for commitment \(Hex.encode(commitment))") }
        let blob = [UInt8](stored)
        guard Keccak256.hash(blob).bytes == hash else {
            throw PluginError(.corrupt, "the stored blob for \(Hex.encode(commitment)) does not match its hash")
        }
        return blob
    }

    func health() -> DAHealth {
        let started = Date()
        do {
            _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM blobs LIMIT 1") }
            return DAHealth(healthy: true, latencyMilliseconds: UInt64(Date().timeIntervalSince(started) * 1000), detail: "ok: \(path)")
        } catch {
            return DAHealth(healthy: false, detail: "cannot read \(path): \(error)")
        }
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: SQLiteDA.self) }
