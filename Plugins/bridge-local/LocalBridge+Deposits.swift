import Foundation
import GRDB
import KeelPluginKit

/// The deposit queue: L1 → L2 transfers, numbered 0, 1, 2, … with no gaps, each stamped with the
/// L1 block that queued it. On this development L1 anyone may queue one with `dev_deposit`: the
/// faucet mints the amount into the sender's L1 account, and the deposit locks it in escrow.
extension LocalBridge {
    func deposits(from index: UInt64, limit: Int) throws(PluginError) -> [Deposit] {
        guard limit > 0 else { return [] }
        return try database.read("read deposits from \(index)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM deposits WHERE idx >= ? ORDER BY idx LIMIT ?",
                             arguments: [index.sql, limit]).map { row in
                let from: Data = row["sender"], to: Data = row["recipient"], amount: Data = row["amount"]
                return Deposit(index: UInt64(bitPattern: row["idx"]), l1Block: UInt64(bitPattern: row["l1_block"]),
                               from: [UInt8](from), to: [UInt8](to), amount: Self.amount(fromBigEndian: [UInt8](amount)))
            }
        }
    }

    func devDeposit(from: [UInt8], to: [UInt8], amount: UInt128) throws(PluginError) -> UInt64 {
        guard from.count == 20, to.count == 20 else {
            throw PluginError(.invalidArgument, "a deposit needs 20-byte addresses; got \(from.count) and \(to.count) bytes")
        }
        guard amount > 0 else {
            throw PluginError(.rejected, "a deposit of 0 wei is refused: it would take a place in the forced-inclusion queue for nothing; deposit a positive amount")
        }
        guard to != Self.bridgeAddress.bytes else {
            throw PluginError(.rejected, "a deposit to the bridge address \(Self.bridgeAddress) would be a forced withdrawal; request one with the settlement call `forced.request`")
        }
        let index = try database.write("queue a deposit") { db throws -> UInt64 in
            try Self.checkNotFrozen(db, "a deposit")
            let next = UInt64(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deposits") ?? 0)
            guard let sender = Address(bytes: from) else { throw PluginError(.invalidArgument, "bad sender") }
            try L1Ledger.mint(db, amount, to: .user(sender))
            try L1Ledger.move(db, amount, from: .user(sender), to: .escrow, for: "deposit \(next)")
            try db.execute(sql: "INSERT INTO deposits (idx, l1_block, sender, recipient, amount) VALUES (?, ?, ?, ?, ?)",
                           arguments: [next.sql, try headNumber(db).sql, Data(from), Data(to), Data(Self.bigEndian(amount))])
            return next
        }
        host.increment("deposits_queued_total")
        return index
    }

    /// Sixteen bytes, most significant first.
    static func bigEndian(_ amount: UInt128) -> [UInt8] {
        (0..<16).map { UInt8(truncatingIfNeeded: amount >> (120 - 8 * $0)) }
    }

    static func amount(fromBigEndian bytes: [UInt8]) -> UInt128 {
        bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }
}
