import Foundation
import GRDB
import KeelPluginKit

/// One dispute game as the L1 stores it (docs/FAULT_PROOFS.md, §2), and the rules that read its
/// clocks. The proposer's side is the batch's trace commitment; the challenger's is its own.
struct DisputeGame {
    enum Side: String { case proposer, challenger }

    var id: Int64
    var batch: UInt64
    var challenger: Address
    var bond: UInt128
    var commitment: Hash32
    var openedAt: UInt64
    var lo: UInt64
    var hi: UInt64
    var loLeaf: Hash32
    var proposerHiLeaf: Hash32
    var challengerHiLeaf: Hash32
    /// When the current round opened, and what each side had left then.
    var roundStart: UInt64
    var proposerLeft: UInt64
    var challengerLeft: UInt64
    var proposerMid: Hash32?
    var proposerMovedAt: UInt64?
    var challengerMid: Hash32?
    var challengerMovedAt: UInt64?
    var moves: Int64
    var stepLeaf: Hash32?
    var outcome: String?
    var resolvedAt: UInt64?

    init(_ row: Row) throws {
        func hash(_ column: String) -> Hash32? { (row[column] as Data?).flatMap { Hash32(bytes: $0) } }
        func block(_ column: String) -> UInt64? { (row[column] as Int64?).map { UInt64(bitPattern: $0) } }
        guard let challenger = Address(bytes: row["challenger"] as Data), let commitment = hash("commitment"), let loLeaf = hash("lo_leaf"),
              let proposerHi = hash("proposer_hi_leaf"), let challengerHi = hash("challenger_hi_leaf") else {
            throw PluginError(.corrupt, "game \(row["id"] as Int64) is stored damaged")
        }
        id = row["id"]
        batch = UInt64(bitPattern: row["batch_idx"])
        self.challenger = challenger
        bond = LocalBridge.amount(fromBigEndian: [UInt8](row["bond"] as Data))
        self.commitment = commitment
        openedAt = UInt64(bitPattern: row["opened_l1_block"])
        lo = UInt64(bitPattern: row["lo"])
        hi = UInt64(bitPattern: row["hi"])
        self.loLeaf = loLeaf
        proposerHiLeaf = proposerHi
        challengerHiLeaf = challengerHi
        roundStart = UInt64(bitPattern: row["round_l1_block"])
        proposerLeft = UInt64(bitPattern: row["proposer_left"])
        challengerLeft = UInt64(bitPattern: row["challenger_left"])
        proposerMid = hash("proposer_mid")
        proposerMovedAt = block("proposer_moved_l1_block")
        challengerMid = hash("challenger_mid")
        challengerMovedAt = block("challenger_moved_l1_block")
        moves = row["moves"]
        stepLeaf = hash("step_leaf")
        outcome = row["outcome"]
        resolvedAt = block("resolved_l1_block")
    }

    static func load(_ db: Database, _ id: Int64) throws -> DisputeGame {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM games WHERE id = ?", arguments: [id]) else {
            throw PluginError(.notFound, "no game \(id) on this L1")
        }
        return try DisputeGame(row)
    }

    /// Whether the game is down to one step.
    var atStep: Bool { hi &- lo == 1 }
    /// The position both sides must reveal in this round.
    var mid: UInt64 { lo + (hi - lo) / 2 }

    /// Whether `side` owes a move now: a reveal it has not made, or, at one step, the step.
    func owes(_ side: Side) -> Bool {
        guard stepLeaf == nil else { return false }
        if atStep { return true }
        return side == .proposer ? proposerMid == nil : challengerMid == nil
    }

    /// The last block at which `side` may still move in this round.
    func deadline(_ side: Side) -> UInt64 {
        roundStart &+ (side == .proposer ? proposerLeft : challengerLeft)
    }

    /// Whether `side` has run out of time at `head`.
    func timedOut(_ side: Side, head: UInt64) -> Bool { owes(side) && head > deadline(side) }

    /// How the game ended at `head`, or nil while it runs: `proposer`, `challenger` (the winner), or
    /// `both-lost`. A step decides by the leaves; otherwise the clocks do.
    func result(head: UInt64) -> String? {
        if let stepLeaf {
            let proposerRight = proposerHiLeaf == stepLeaf, challengerRight = challengerHiLeaf == stepLeaf
            return proposerRight ? "proposer" : challengerRight ? "challenger" : "both-lost"
        }
        switch (timedOut(.proposer, head: head), timedOut(.challenger, head: head)) {
        case (true, true): return "both-lost"
        case (true, false): return "challenger"
        case (false, true): return "proposer"
        case (false, false): return nil
        }
    }

    /// The game as a settlement call shows it.
    func summary(head: UInt64) -> [String: Any] {
        var summary: [String: Any] = [
            "id": id, "batch": batch, "challenger_address": challenger.description, "bond": "\(bond)", "commitment": commitment.description,
            "opened_l1_block": openedAt, "lo": lo, "hi": hi, "moves": moves,
            "phase": resolvedAt != nil ? "resolved" : result(head: head) != nil ? "ended" : atStep ? "step" : "bisection",
            "proposer": ["deadline": deadline(.proposer), "owes": owes(.proposer), "left": proposerLeft],
            "challenger": ["deadline": deadline(.challenger), "owes": owes(.challenger), "left": challengerLeft],
        ]
        if let outcome { summary["outcome"] = outcome }
        if result(head: head) != nil { summary["ended_by"] = stepLeaf != nil ? "step" : "clock" }
        if let resolvedAt { summary["resolved_l1_block"] = resolvedAt }
        return summary
    }
}
