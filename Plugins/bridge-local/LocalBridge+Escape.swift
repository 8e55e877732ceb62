import Foundation
import GRDB
import KeelPluginKit

/// Forced withdrawals and the escape hatch (docs/FAULT_PROOFS.md, §6): when the operator stops or
/// censors, anyone may freeze the rollup at its last final root, and every user leaves with a state
/// proof against it, once.
extension LocalBridge {
    /// The L2 address whose "deposits" are forced withdrawals (the transfer plugin's bridge address).
    static let bridgeAddress = Address(hex: "0x4200000000000000000000000000000000000016") ?? .zero

    /// The hatch once fired: when, what stays final, the frozen root and the deposits it consumed.
    struct Frozen {
        var firedAt: UInt64
        var finalCount: UInt64
        var root: Hash32?
        var depositCount: UInt64
        /// The L2 block whose state is the frozen root (0: genesis).
        var block: UInt64
    }

    static func frozen(_ db: Database) throws -> Frozen? {
        func value(_ name: String) throws -> String? { try String.fetchOne(db, sql: "SELECT value FROM parameters WHERE name = ?", arguments: [name]) }
        guard let fired = try value("escape.fired_l1_block").flatMap({ UInt64($0) }) else { return nil }
        return Frozen(firedAt: fired, finalCount: try value("escape.final_count").flatMap { UInt64($0) } ?? 0,
                      root: try value("escape.frozen_root").flatMap { Hash32(hex: $0) },
                      depositCount: try value("escape.deposit_count").flatMap { UInt64($0) } ?? 0,
                      block: try value("escape.frozen_block").flatMap { UInt64($0) } ?? 0)
    }

    /// Refuses what a frozen rollup no longer accepts.
    static func checkNotFrozen(_ db: Database, _ what: String) throws {
        if let frozen = try frozen(db) {
            throw PluginError(.rejected, "the escape hatch fired at L1 block \(frozen.firedAt): \(what) is no longer accepted; users exit with `escape.exit`")
        }
    }

    /// `forced.request`: the caller asks L2 to withdraw `amount` of its balance; L2 must include it
    /// within `force_inclusion` blocks like a deposit.
    func requestForcedWithdrawal(_ body: CallBody) throws(PluginError) -> [String: Any] {
        let amount = try body.amount("amount")
        guard amount > 0 else { throw PluginError(.rejected, "a forced withdrawal of 0 wei is refused") }
        let index = try signedWrite(body, "queue a forced withdrawal") { db, caller -> UInt64 in
            try Self.checkNotFrozen(db, "a forced withdrawal")
            let next = UInt64(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deposits") ?? 0)
            try db.execute(sql: "INSERT INTO deposits (idx, l1_block, sender, recipient, amount) VALUES (?, ?, ?, ?, ?)",
                           arguments: [next.sql, try headNumber(db).sql, Data(caller.bytes), Data(Self.bridgeAddress.bytes), Data(Self.bigEndian(amount))])
            return next
        }
        host.increment("forced_withdrawals_queued_total")
        return ["index": index]
    }

    /// The deposits the rollup has consumed by its last batch that says: a fault batch from its
    /// posting, an attested batch once attested by ABI 1.2 attestors. Nil when the newest attested
    /// batch was attested without a count (older attestors): then nobody can tell.
    static func consumedDeposits(_ db: Database) throws -> UInt64? {
        guard let last = try Row.fetchOne(db, sql: """
            SELECT deposit_count FROM batches
            WHERE rejected_l1_block IS NULL AND (deposit_count IS NOT NULL OR attested_l1_block IS NOT NULL)
            ORDER BY idx DESC LIMIT 1
            """) else { return 0 }
        return (last["deposit_count"] as Int64?).map { UInt64(bitPattern: $0) }
    }

    /// Why the hatch may fire now, or nil.
    func escapeReason(_ db: Database) throws -> String? {
        let head = try headNumber(db)
        let limits = genesis.escape
        if let consumed = try Self.consumedDeposits(db),
           let waiting = try Int64.fetchOne(db, sql: "SELECT l1_block FROM deposits WHERE idx = ?", arguments: [consumed.sql]).map({ UInt64(bitPattern: $0) }),
           head >= waiting &+ limits.forceInclusion {
            return "deposit \(consumed), queued at L1 block \(waiting), has waited \(head - waiting) blocks (the limit is \(limits.forceInclusion))"
        }
        let lastFinality = try lastFinalityBlock(db)
        if head >= lastFinality &+ limits.noFinality {
            return "no batch has become final since L1 block \(lastFinality) (\(head - lastFinality) blocks; the limit is \(limits.noFinality))"
        }
        return nil
    }

    /// The L1 block at which the newest final batch became final (0 when none has).
    private func lastFinalityBlock(_ db: Database) throws -> UInt64 {
        let final = try finalCount(db)
        guard final > 0 else { return 0 }
        var latest: UInt64 = 0
        for row in try Row.fetchAll(db, sql: "SELECT idx, l1_block, attested_l1_block FROM batches WHERE idx < ? AND rejected_l1_block IS NULL", arguments: [final.sql]) {
            let index = UInt64(bitPattern: row["idx"])
            let moment: UInt64
            if try Self.rule(db, batch: index) == "fault" {
                let resolved = try Int64.fetchOne(db, sql: "SELECT MAX(resolved_l1_block) FROM games WHERE batch_idx = ?", arguments: [index.sql]).map { UInt64(bitPattern: $0) } ?? 0
                moment = max(UInt64(bitPattern: row["l1_block"]) &+ (genesis.fault?.challengeWindow ?? 0), resolved)
            } else {
                moment = (row["attested_l1_block"] as Int64?).map { UInt64(bitPattern: $0) } ?? 0
            }
            latest = max(latest, moment)
        }
        return latest
    }

    func triggerEscape() throws(PluginError) -> [String: Any] {
        let (frozen, reason) = try database.write("fire the escape hatch") { db -> (Frozen, String) in
            try Self.checkNotFrozen(db, "firing the hatch again")
            guard let reason = try escapeReason(db) else {
                throw PluginError(.rejected, "the escape hatch may not fire: every deposit is within \(genesis.escape.forceInclusion) blocks of its queueing "
                                  + "and a batch became final within the last \(genesis.escape.noFinality) blocks")
            }
            let head = try headNumber(db)
            let final = try finalCount(db)
            let lastFinal = try Int64.fetchOne(db, sql: "SELECT MAX(idx) FROM batches WHERE idx < ? AND rejected_l1_block IS NULL", arguments: [final.sql])
            let record = try lastFinal.map { try Self.storedBatch(db, UInt64(bitPattern: $0)) }
            let root = record.flatMap { Hash32(bytes: $0.root) } ?? genesis.genesisRoot.flatMap { Hash32(bytes: $0) }
            let deposits = try record.map { try Self.depositCount(db, $0.index) } ?? 0
            let block = record?.lastBlock ?? 0
            for (name, value) in [("escape.fired_l1_block", "\(head)"), ("escape.final_count", "\(final)"), ("escape.frozen_block", "\(block)"),
                                  ("escape.frozen_root", root?.description ?? ""), ("escape.deposit_count", "\(deposits)")] {
                try db.execute(sql: "INSERT OR REPLACE INTO parameters (name, value) VALUES (?, ?)", arguments: [name, value])
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM games WHERE resolved_l1_block IS NULL") {
                var game = try DisputeGame(row)
                (game.outcome, game.resolvedAt) = ("void", head)
                try Self.store(db, game)
                try L1Ledger.credit(db, game.bond, to: game.challenger, availableAt: head, reason: "bond of game \(game.id), voided by the escape hatch")
            }
            return (Frozen(firedAt: head, finalCount: final, root: root, depositCount: deposits, block: block), reason)
        }
        host.log(.warning, "the escape hatch fired at L1 block \(frozen.firedAt): \(reason); the root \(frozen.root?.description ?? "none") is frozen")
        return ["fired_l1_block": frozen.firedAt, "frozen_root": frozen.root?.description ?? "", "frozen_block": frozen.block,
                "final_batches": frozen.finalCount, "reason": reason]
    }

    func escapeStatus() throws(PluginError) -> [String: Any] {
        try database.read("read the escape hatch") { db in
            if let frozen = try Self.frozen(db) {
                return ["fired": true, "fired_l1_block": frozen.firedAt, "frozen_root": frozen.root?.description ?? "", "frozen_block": frozen.block,
                        "final_batches": frozen.finalCount, "deposit_count": frozen.depositCount]
            }
            var answer: [String: Any] = ["fired": false, "l1_head": try headNumber(db)]
            if let reason = try escapeReason(db) { answer["may_fire"] = reason }
            return answer
        }
    }

    /// `escape.exit`: pays `account` its whole balance in the frozen root, once, given the state
    /// proof of its account (the transfer plugin's layout: key `0x01 ‖ address`, value `rlp([nonce, balance])`).
    func exit(_ body: CallBody) throws(PluginError) -> [String: Any] {
        let account = try body.address("account"), value = try body.bytes("value")
        let proof: StateProof
        do { proof = try StateProof(encoded: try body.bytes("proof")) } catch { throw PluginError(.invalidArgument, "`proof` does not decode: \(error)") }
        let balance = try Self.balance(inAccountValue: value)
        let paid = try database.write("exit \(account)") { db -> UInt128 in
            guard let frozen = try Self.frozen(db) else { throw PluginError(.rejected, "the escape hatch has not fired: withdraw through L2 as usual") }
            guard let root = frozen.root else { throw PluginError(.rejected, "no root was final when the hatch fired, and no genesis root is registered: there is nothing to exit from") }
            do {
                try StateProof.check(root: root, key: [0x01] + account.bytes, value: value, proof: proof)
            } catch {
                throw PluginError(.rejected, "the proof does not show \(account)'s account in the frozen root \(root): \(error)")
            }
            if let earlier = try Int64.fetchOne(db, sql: "SELECT l1_block FROM exits WHERE account = ?", arguments: [Data(account.bytes)]) {
                throw PluginError(.rejected, "\(account) already exited at L1 block \(earlier); each account exits once")
            }
            try L1Ledger.move(db, balance, from: .escrow, to: .user(account), for: "the exit of \(account)")
            try db.execute(sql: "INSERT INTO exits (account, amount, l1_block) VALUES (?, ?, ?)",
                           arguments: [Data(account.bytes), Data(Self.bigEndian(balance)), try headNumber(db).sql])
            return balance
        }
        host.increment("exits_total")
        return ["paid": "\(paid)"]
    }

    /// `escape.refund`: returns an unconsumed deposit to its L1 sender, once.
    func refund(_ body: CallBody) throws(PluginError) -> [String: Any] {
        let index = try body.uint64("deposit")
        let paid = try database.write("refund deposit \(index)") { db -> UInt128 in
            guard let frozen = try Self.frozen(db) else { throw PluginError(.rejected, "the escape hatch has not fired: deposits are included on L2") }
            guard index >= frozen.depositCount else { throw PluginError(.rejected, "deposit \(index) was consumed by a final batch: it is on L2, exit it from there") }
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM deposits WHERE idx = ?", arguments: [index.sql]),
                  let sender = Address(bytes: row["sender"] as Data) else { throw PluginError(.notFound, "no deposit \(index)") }
            guard Address(bytes: row["recipient"] as Data) != Self.bridgeAddress else { return 0 }  // a forced withdrawal locked nothing
            guard try Int64.fetchOne(db, sql: "SELECT l1_block FROM deposit_refunds WHERE idx = ?", arguments: [index.sql]) == nil else {
                throw PluginError(.rejected, "deposit \(index) was refunded already")
            }
            let amount = Self.amount(fromBigEndian: [UInt8](row["amount"] as Data))
            try L1Ledger.move(db, amount, from: .escrow, to: .user(sender), for: "the refund of deposit \(index)")
            try db.execute(sql: "INSERT INTO deposit_refunds (idx, l1_block) VALUES (?, ?)", arguments: [index.sql, try headNumber(db).sql])
            return amount
        }
        return ["paid": "\(paid)"]
    }

    /// The balance in a transfer account's state value, `rlp([nonce, balance])`.
    static func balance(inAccountValue value: [UInt8]) throws(PluginError) -> UInt128 {
        do {
            var reader = try RLPReader(value)
            var list = try reader.readList(field: "account")
            _ = try list.readUInt64(field: "nonce")
            let balance = try list.readUInt128(field: "balance")
            try list.finish()
            try reader.finish()
            return balance
        } catch {
            throw PluginError(.invalidArgument, "`value` is not an account (rlp([nonce, balance])): \(error)")
        }
    }
}
