import Foundation
import GRDB
import KeelPluginKit

/// The chain's change log (ABI 1.1): the kernel's records of DA swaps and upgrades, kept in order,
/// indices 0, 1, 2, … without gaps, each stamped with the L1 block that recorded it, never altered.
/// A contract would let only the rollup's owner append; on this development L1 the sequencer does.
extension LocalBridge {
    static let keepsChangeLog = true
    /// The largest record this bridge keeps (a record holds a plugin's public config, not data).
    static let maxChangeBytes = 64 << 10

    func recordChange(_ record: [UInt8]) throws(PluginError) -> UInt64 {
        guard !record.isEmpty, record.count <= Self.maxChangeBytes else {
            throw PluginError(.invalidArgument, "a change record is \(record.count) bytes; the local bridge keeps records of 1 to \(Self.maxChangeBytes) bytes")
        }
        let index = try database.write("record a change") { db throws -> UInt64 in
            if let last = try Row.fetchOne(db, sql: "SELECT idx, body FROM changes ORDER BY idx DESC LIMIT 1"),
               [UInt8](last["body"] as Data) == record {
                return UInt64(bitPattern: last["idx"])
            }
            let next = UInt64(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM changes") ?? 0)
            try db.execute(sql: "INSERT INTO changes (idx, l1_block, body) VALUES (?, ?, ?)",
                           arguments: [next.sql, try headNumber(db).sql, Data(record)])
            return next
        }
        host.increment("changes_recorded_total")
        return index
    }

    func changeCount() throws(PluginError) -> UInt64 {
        try database.read("count the change records") { db in UInt64(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM changes") ?? 0) }
    }

    func change(_ index: UInt64) throws(PluginError) -> [UInt8] {
        let body = try database.read("read change record \(index)") { db in
            try Data.fetchOne(db, sql: "SELECT body FROM changes WHERE idx = ?", arguments: [index.sql])
        }
        guard let body else { throw PluginError(.notFound, "no change record \(index) on the L1") }
        return [UInt8](body)
    }
}
