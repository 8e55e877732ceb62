import Foundation
import GRDB
import KeelPluginKit

/// bridge local: the embedded development L1 of DESIGN.md §6 in one SQLite file that several
/// processes share (docs/plugins/local-bridge.md).
///
/// It keeps the rules a settlement contract would: batches chained by index, root and block range;
/// finality once `threshold` registered attestors have signed a batch (checked here, never taken
/// from a proof plugin's word); deposits numbered without gaps; withdrawals paid once, against a
/// final batch, with a Merkle proof. Its clock makes a block every `block_time_ms` and moves ahead
/// on `dev_advance`. Thread-safe: GRDB's pool serialises writes, SQLite serialises processes.
final class LocalBridge: SettlementBridge, @unchecked Sendable {
    // @unchecked: the stored properties are immutable; the pool and the host table are thread-safe.
    static let name = "local"
    static let version = "1.0.0"
    static let capabilities = ["thread-safe"]
    static let isDevelopmentL1 = true

    let database: L1Database
    let genesis: L1Genesis
    let clock: L1Clock
    let host: PluginHostServices

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        let settings = try LocalBridgeSettings(config: config, dataDirectory: host.dataDirectory)
        let chainID = host.chainID
        let now = host.nowUnixMilliseconds
        database = try L1Database(path: settings.databasePath)
        genesis = try database.genesis { () throws(PluginError) in try L1Genesis.new(settings, chainID: chainID, now: now) }
        try genesis.check(settings, chainID: chainID)
        clock = L1Clock(genesis: genesis)
        self.host = host
        try registerDACommittee(settings.dac)
    }

    func l1Head() throws(PluginError) -> L1Head {
        let advanced = try database.read("read the L1 head") { db in try L1Clock.advancedBlocks(db) }
        return clock.head(now: host.nowUnixMilliseconds, advanced: advanced)
    }

    /// The head block's number inside a transaction, for stamping what it records.
    func headNumber(_ db: Database) throws -> UInt64 {
        clock.blockNumber(now: host.nowUnixMilliseconds, advanced: try L1Clock.advancedBlocks(db))
    }

    func devAdvance(blocks: UInt64) throws(PluginError) {
        guard blocks > 0 else { return }
        guard blocks <= UInt64(Int64.max) else {
            throw PluginError(.invalidArgument, "cannot advance the L1 by \(blocks) blocks; advance by at most \(Int64.max)")
        }
        try database.write("advance the L1 clock") { db in
            let advanced = try L1Clock.advancedBlocks(db)
            let (total, overflow) = advanced.addingReportingOverflow(blocks)
            guard !overflow, total <= UInt64(Int64.max) else {
                throw PluginError(.rejected, "the L1 clock has been advanced by \(advanced) blocks already; \(blocks) more would overflow it")
            }
            try db.execute(sql: "UPDATE chain SET advanced_blocks = ? WHERE id = 1", arguments: [total.sql])
        }
        host.log(.debug, "advanced the L1 by \(blocks) blocks")
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: LocalBridge.self) }
