import Foundation
import GRDB
import KeelCore
import KeelState

/// A swap of the DA provider list, as `node.sqlite` keeps it (table `chain_da_swap`): when, from
/// which batch on, and the list of providers with their configs, so a restart loads them again.
struct DASwap: Sendable {
    struct Provider: Sendable, Codable {
        var plugin: String
        var config: String
    }

    var sequence: Int64
    /// The chain's height when the swap was made.
    var height: UInt64
    /// The first batch submitted to the new list.
    var batchIndex: UInt64
    var providers: [Provider]
    var configHash: Hash32
    var atMilliseconds: UInt64
    /// `admin_swapDA`, `sighup`.
    var source: String

    var primary: String { providers.first?.plugin ?? "none" }
}

extension ChainStore {
    static let swapSchema = """
        CREATE TABLE IF NOT EXISTS chain_da_swap (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            height INTEGER NOT NULL,
            batch_index INTEGER NOT NULL,
            providers TEXT NOT NULL,
            config_hash BLOB NOT NULL,
            at_ms INTEGER NOT NULL,
            source TEXT NOT NULL
        )
        """

    func recordSwap(height: UInt64, batchIndex: UInt64, providers: [DASwap.Provider], source: String) throws -> DASwap {
        let json = String(decoding: try JSONEncoder().encode(providers), as: UTF8.self)
        let hash = Keccak256.hash(Array(json.utf8))
        let now = UInt64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        let sequence: Int64 = try state.withDatabase { db in
            try db.execute(sql: Self.swapSchema)
            try db.execute(sql: """
                INSERT INTO chain_da_swap (height, batch_index, providers, config_hash, at_ms, source) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [Int64(bitPattern: height), Int64(bitPattern: batchIndex), json, Data(hash.bytes),
                                 Int64(bitPattern: now), source])
            return db.lastInsertedRowID
        }
        return DASwap(sequence: sequence, height: height, batchIndex: batchIndex, providers: providers, configHash: hash,
                      atMilliseconds: now, source: source)
    }

    /// Every swap, oldest first.
    func swaps() throws -> [DASwap] {
        try state.withDatabase { db in
            try db.execute(sql: Self.swapSchema)
            return try Row.fetchAll(db, sql: "SELECT * FROM chain_da_swap ORDER BY seq").map { row in
                let json: String = row["providers"]
                let providers = (try? JSONDecoder().decode([DASwap.Provider].self, from: Data(json.utf8))) ?? []
                return DASwap(sequence: row["seq"], height: UInt64(bitPattern: row["height"] as Int64),
                              batchIndex: UInt64(bitPattern: row["batch_index"] as Int64), providers: providers,
                              configHash: Hash32(bytes: row["config_hash"] as Data) ?? .zero,
                              atMilliseconds: UInt64(bitPattern: row["at_ms"] as Int64), source: row["source"])
            }
        }
    }
}
