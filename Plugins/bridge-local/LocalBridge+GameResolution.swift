import Foundation
import GRDB
import KeelPluginKit

/// Resolving a game and paying for it (docs/FAULT_PROOFS.md, §2 "Outcomes" and §5): a lost game
/// rejects the batch and every later one and slashes the proposer; a losing challenger's bond is
/// split, half burned, half to the winners; payouts become credits after the airgap.
extension LocalBridge {
    func resolveGame(_ body: CallBody) throws(PluginError) -> [String: Any] {
        let parameters = try faultParameters()
        let id = Int64(bitPattern: try body.uint64("game"))
        let summary = try database.write("resolve game \(id)") { db -> [String: Any] in
            var game = try DisputeGame.load(db, id)
            let head = try headNumber(db)
            guard game.resolvedAt == nil else { throw PluginError(.rejected, "game \(id) was resolved at L1 block \(game.resolvedAt ?? 0) already") }
            guard let result = game.result(head: head) else {
                throw PluginError(.rejected, "game \(id) is still running: the proposer may move until L1 block \(game.deadline(.proposer)), "
                                  + "the challenger until \(game.deadline(.challenger)) (head \(head)); it resolves once a step is made or a clock runs out")
            }
            game.outcome = result
            game.resolvedAt = head
            try Self.store(db, game)
            let payable = head &+ parameters.airgap
            let batch = try Row.fetchOne(db, sql: "SELECT proposer, rejected_l1_block FROM batches WHERE idx = ?", arguments: [game.batch.sql])
            guard let proposer = (batch?["proposer"] as Data?).flatMap({ Address(bytes: $0) }) else { throw PluginError(.corrupt, "batch \(game.batch) has no proposer") }
            if result != "proposer", (batch?["rejected_l1_block"] as Int64?) == nil {
                try reject(db, from: game.batch, proposer: proposer, head: head, payable: payable)
            }
            switch result {
            case "challenger":
                try L1Ledger.credit(db, game.bond, to: game.challenger, availableAt: payable, reason: "bond of won game \(id)")
            case "proposer":
                let half = game.bond / 2
                try L1Ledger.move(db, game.bond - half, from: .bonds, to: .burned, for: "burning half of game \(id)'s bond")
                try L1Ledger.credit(db, half, to: proposer, availableAt: payable, reason: "half the bond of game \(id), won")
            default:
                let half = game.bond / 2
                try L1Ledger.move(db, game.bond - half, from: .bonds, to: .burned, for: "burning half of game \(id)'s bond")
                try addToPot(db, game.batch, half)
            }
            try payPotIfSettled(db, game.batch, payable: payable)
            return game.summary(head: head)
        }
        host.increment("games_resolved_total")
        host.log(.info, "game \(id) resolved: \(summary["outcome"] ?? "?")")
        return summary
    }

    /// Rejects batch `index` and every later batch, slashes the proposer's stake (half burned, half
    /// into the batch's pot for the winners), and voids the games against the later batches.
    private func reject(_ db: Database, from index: UInt64, proposer: Address, head: UInt64, payable: UInt64) throws {
        try db.execute(sql: "UPDATE batches SET rejected_l1_block = ? WHERE idx >= ? AND rejected_l1_block IS NULL", arguments: [head.sql, index.sql])
        if let bytes = try Data.fetchOne(db, sql: "SELECT amount FROM stakes WHERE proposer = ?", arguments: [Data(proposer.bytes)]) {
            let stake = Self.amount(fromBigEndian: [UInt8](bytes))
            let half = stake / 2
            try L1Ledger.move(db, stake - half, from: .bonds, to: .burned, for: "burning half of \(proposer)'s slashed stake")
            try addToPot(db, index, half)
            try db.execute(sql: "DELETE FROM stakes WHERE proposer = ?", arguments: [Data(proposer.bytes)])
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM games WHERE batch_idx > ? AND resolved_l1_block IS NULL", arguments: [index.sql]) {
            var game = try DisputeGame(row)
            game.outcome = "void"
            game.resolvedAt = head
            try Self.store(db, game)
            try L1Ledger.credit(db, game.bond, to: game.challenger, availableAt: payable, reason: "bond of game \(game.id), voided")
        }
        host.increment("batches_rejected_total")
        host.log(.warning, "batch \(index) and every later batch are rejected: a game against it was lost; \(proposer)'s stake is slashed")
    }

    private func addToPot(_ db: Database, _ index: UInt64, _ amount: UInt128) throws {
        let pot = try Data.fetchOne(db, sql: "SELECT pot FROM batches WHERE idx = ?", arguments: [index.sql]).map { Self.amount(fromBigEndian: [UInt8]($0)) } ?? 0
        try db.execute(sql: "UPDATE batches SET pot = ? WHERE idx = ?", arguments: [Data(Self.bigEndian(pot + amount)), index.sql])
    }

    /// Once every game against a batch is resolved, its pot goes in equal shares to the challengers
    /// who won (the rest of the division, or all of it if none won, is burned).
    private func payPotIfSettled(_ db: Database, _ index: UInt64, payable: UInt64) throws {
        guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM games WHERE batch_idx = ? AND resolved_l1_block IS NULL", arguments: [index.sql]) == 0,
              let bytes = try Data.fetchOne(db, sql: "SELECT pot FROM batches WHERE idx = ?", arguments: [index.sql]) else { return }
        let pot = Self.amount(fromBigEndian: [UInt8](bytes))
        guard pot > 0 else { return }
        let winners = try Data.fetchAll(db, sql: "SELECT challenger FROM games WHERE batch_idx = ? AND outcome = 'challenger' ORDER BY id",
                                        arguments: [index.sql]).compactMap { Address(bytes: $0) }
        let share = winners.isEmpty ? 0 : pot / UInt128(winners.count)
        for winner in winners {
            try L1Ledger.credit(db, share, to: winner, availableAt: payable, reason: "a share of batch \(index)'s slashed stake")
        }
        try L1Ledger.move(db, pot - share * UInt128(winners.count), from: .bonds, to: .burned, for: "burning the unshared rest of batch \(index)'s pot")
        try db.execute(sql: "UPDATE batches SET pot = NULL WHERE idx = ?", arguments: [index.sql])
    }
}
