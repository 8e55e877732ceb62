import Foundation
import GRDB
import KeelPluginKit

/// Opening a game, the bisection's reveals and the step (docs/FAULT_PROOFS.md, §2 and §3).
extension LocalBridge {
    func faultParameters() throws(PluginError) -> FaultParameters {
        guard let parameters = genesis.fault else {
            throw PluginError(.rejected, "this L1 finalizes by `\(genesis.finality)`: it runs no dispute games")
        }
        return parameters
    }

    func openGame(_ body: CallBody) throws(PluginError) -> [String: Any] {
        let parameters = try faultParameters()
        let index = try body.uint64("batch"), commitment = try body.hash("commitment")
        let position = try body.uint64("position"), leaf = try body.hash("leaf")
        let startProof = try body.hashes("start_proof"), proof = try body.hashes("proof")
        let id = try signedWrite(body, "open a game against batch \(index)") { db, challenger -> Int64 in
            try Self.checkNotFrozen(db, "a game")
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM batches WHERE idx = ?", arguments: [index.sql]),
                  let steps = row["step_count"] as Int64?, let endLeaf = (row["end_leaf"] as Data?).flatMap({ Hash32(bytes: $0) }) else {
                throw PluginError(.notFound, "no batch \(index) posted under fault proofs")
            }
            guard (row["rejected_l1_block"] as Int64?) == nil else { throw PluginError(.rejected, "batch \(index) is already rejected") }
            let head = try headNumber(db), posted = UInt64(bitPattern: row["l1_block"])
            guard head < posted &+ parameters.challengeWindow else {
                throw PluginError(.rejected, "batch \(index)'s challenge window closed at L1 block \(posted &+ parameters.challengeWindow) (head \(head))")
            }
            let record = try Self.storedBatch(db, index)
            let parentDeposits = try Self.lastStanding(db, before: index).map { try Self.depositCount(db, $0) } ?? 0
            let start = StepRoot.start(parentRoot: Hash32(bytes: record.previousRoot) ?? .zero, depositCount: parentDeposits,
                                       firstBlock: record.firstBlock).hash
            guard TraceCommitment.verify(root: commitment, leaf: start, position: 0, proof: startProof) else {
                throw PluginError(.rejected, "the challenger's trace must start at the batch's R_0 (\(start)); its proof at position 0 does not hold")
            }
            let proposerLeaf: Hash32
            switch position {
            case UInt64(steps): proposerLeaf = endLeaf
            case UInt64(steps) + 1 where steps < Int64(TraceCommitment.maxSteps): proposerLeaf = TraceCommitment.end
            default:
                throw PluginError(.rejected, "a game disputes position \(steps) (R_n) or \(steps + 1) (the end marker) of batch \(index), not \(position)")
            }
            guard TraceCommitment.verify(root: commitment, leaf: leaf, position: Int(position), proof: proof) else {
                throw PluginError(.rejected, "the challenger's leaf at position \(position) is not in its trace commitment")
            }
            guard leaf != proposerLeaf else {
                throw PluginError(.rejected, "the challenger's leaf at position \(position) is the proposer's: there is nothing to dispute there")
            }
            try L1Ledger.move(db, parameters.challengerBond, from: .user(challenger), to: .bonds, for: "the bond of a game against batch \(index)")
            try db.execute(sql: """
                INSERT INTO games (batch_idx, challenger, bond, commitment, opened_l1_block, lo, hi, lo_leaf, proposer_hi_leaf,
                                   challenger_hi_leaf, round_l1_block, proposer_left, challenger_left)
                VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [index.sql, Data(challenger.bytes), Data(Self.bigEndian(parameters.challengerBond)), Data(commitment.bytes),
                                 head.sql, position.sql, Data(start.bytes), Data(proposerLeaf.bytes), Data(leaf.bytes), head.sql,
                                 parameters.clock.sql, parameters.clock.sql])
            return db.lastInsertedRowID
        }
        host.increment("games_opened_total")
        host.log(.info, "game \(id) opened against batch \(index)")
        return ["game": id]
    }

    func reveal(_ body: CallBody) throws(PluginError) -> [String: Any] {
        let parameters = try faultParameters()
        let id = Int64(bitPattern: try body.uint64("game"))
        guard let side = DisputeGame.Side(rawValue: try body.string("side")) else {
            throw PluginError(.invalidArgument, "`game.reveal`: `side` is `proposer` or `challenger`")
        }
        let leaf = try body.hash("leaf"), proof = try body.hashes("proof")
        return try database.write("reveal in game \(id)") { db -> [String: Any] in
            var game = try DisputeGame.load(db, id)
            let head = try headNumber(db)
            try Self.checkRunning(game, head: head)
            guard !game.atStep else { throw PluginError(.rejected, "game \(id) is down to one step (\(game.lo) → \(game.hi)): it takes `game.step`, not reveals") }
            guard game.owes(side) else { throw PluginError(.rejected, "the \(side.rawValue) already revealed position \(game.mid) in game \(id)") }
            let commitment = side == .proposer ? try Self.traceCommitment(db, game.batch) : game.commitment
            guard TraceCommitment.verify(root: commitment, leaf: leaf, position: Int(game.mid), proof: proof) else {
                throw PluginError(.rejected, "the leaf is not at position \(game.mid) of the \(side.rawValue)'s trace commitment \(commitment)")
            }
            if side == .proposer { (game.proposerMid, game.proposerMovedAt) = (leaf, head) } else { (game.challengerMid, game.challengerMovedAt) = (leaf, head) }
            if let proposerMid = game.proposerMid, let challengerMid = game.challengerMid,
               let proposerAt = game.proposerMovedAt, let challengerAt = game.challengerMovedAt {
                // Both revealed: the next round keeps the agreed half, and each side keeps its time,
                // topped up to the extension.
                if proposerMid == challengerMid { (game.lo, game.loLeaf) = (game.mid, proposerMid) }
                else { (game.hi, game.proposerHiLeaf, game.challengerHiLeaf) = (game.mid, proposerMid, challengerMid) }
                game.proposerLeft = max(game.proposerLeft - min(game.proposerLeft, proposerAt - game.roundStart), parameters.clockExtension)
                game.challengerLeft = max(game.challengerLeft - min(game.challengerLeft, challengerAt - game.roundStart), parameters.clockExtension)
                game.roundStart = head
                (game.proposerMid, game.proposerMovedAt, game.challengerMid, game.challengerMovedAt) = (nil, nil, nil, nil)
            }
            game.moves += 1
            try Self.store(db, game)
            return game.summary(head: head)
        }
    }

    /// The step: the host re-executes it from the witness (outside any write, which the host may
    /// need to read this L1 for), then the verdict is stored if the game has not moved meanwhile.
    func step(_ body: CallBody) throws(PluginError) -> [String: Any] {
        _ = try faultParameters()
        let id = Int64(bitPattern: try body.uint64("game"))
        let opening = try body.bytes("opening"), witness = try body.bytes("witness")
        let (game, request) = try database.read("read game \(id)") { db -> (DisputeGame, [UInt8]?) in
            let game = try DisputeGame.load(db, id)
            let head = try headNumber(db)
            try Self.checkRunning(game, head: head)
            guard game.atStep else { throw PluginError(.rejected, "game \(id) is still bisecting (\(game.lo)…\(game.hi)): reveal position \(game.mid) first") }
            if game.loLeaf == TraceCommitment.end { return (game, nil) }
            guard let start = StepRoot(encoded: opening), start.hash == game.loLeaf, start.index == game.lo else {
                throw PluginError(.rejected, "the opening is not the agreed leaf at position \(game.lo) of game \(id)")
            }
            return (game, try stepRequest(db, batch: game.batch, opening: opening, witness: witness, depositIndex: start.depositCount))
        }
        let correct: Hash32
        if let request {
            let answer = try host.executeStep(request)
            guard let object = try? SettlementCall.response(answer), let text = object["leaf"] as? String, let leaf = Hash32(hex: text) else {
                throw PluginError(.internalError, "the host's step answered no leaf")
            }
            correct = leaf
        } else {
            correct = TraceCommitment.end
        }
        return try database.write("record the step of game \(id)") { db -> [String: Any] in
            var current = try DisputeGame.load(db, id)
            let head = try headNumber(db)
            guard current.lo == game.lo, current.hi == game.hi, current.stepLeaf == nil, current.resolvedAt == nil else {
                throw PluginError(.rejected, "game \(id) changed while the step ran; send it again")
            }
            try Self.checkRunning(current, head: head)
            current.stepLeaf = correct
            current.moves += 1
            try Self.store(db, current)
            host.log(.info, "game \(id): step \(game.hi) re-executed on the L1; the correct leaf is \(correct)")
            return current.summary(head: head)
        }
    }

    /// `game.list`: every game, or those against `batch`; with `running: true` only the unresolved.
    func listGames(_ body: CallBody) throws(PluginError) -> [String: Any] {
        let batch = body.fields["batch"] != nil ? try body.uint64("batch") : nil
        let running = body.fields["running"] as? Bool == true
        return try database.read("list games") { db in
            let head = try headNumber(db)
            var conditions: [String] = [], arguments: StatementArguments = []
            if let batch { conditions.append("batch_idx = ?"); arguments += [batch.sql] }
            if running { conditions.append("resolved_l1_block IS NULL") }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM games\(filter) ORDER BY id", arguments: arguments)
            return ["games": try rows.map { try DisputeGame($0).summary(head: head) }, "l1_head": head]
        }
    }

    func showGame(_ body: CallBody) throws(PluginError) -> [String: Any] {
        let id = Int64(bitPattern: try body.uint64("game"))
        return try database.read("show game \(id)") { db in try DisputeGame.load(db, id).summary(head: try headNumber(db)) }
    }

    /// Refuses a move into a game that has ended (resolved, stepped, or a clock ran out).
    static func checkRunning(_ game: DisputeGame, head: UInt64) throws(PluginError) {
        guard game.resolvedAt == nil else { throw PluginError(.rejected, "game \(game.id) was resolved at L1 block \(game.resolvedAt ?? 0): no more moves") }
        guard game.result(head: head) == nil else { throw PluginError(.rejected, "game \(game.id) has ended (\(game.result(head: head) ?? "")): resolve it") }
    }

    static func traceCommitment(_ db: Database, _ batch: UInt64) throws -> Hash32 {
        guard let bytes = try Data.fetchOne(db, sql: "SELECT trace_commitment FROM batches WHERE idx = ?", arguments: [batch.sql]),
              let commitment = Hash32(bytes: bytes) else { throw PluginError(.notFound, "batch \(batch) has no trace commitment") }
        return commitment
    }

    /// The last batch before `index` that is not rejected.
    static func lastStanding(_ db: Database, before index: UInt64) throws -> UInt64? {
        try Int64.fetchOne(db, sql: "SELECT MAX(idx) FROM batches WHERE idx < ? AND rejected_l1_block IS NULL", arguments: [index.sql])
            .map { UInt64(bitPattern: $0) }
    }

    static func store(_ db: Database, _ game: DisputeGame) throws {
        try db.execute(sql: """
            UPDATE games SET lo = ?, hi = ?, lo_leaf = ?, proposer_hi_leaf = ?, challenger_hi_leaf = ?, round_l1_block = ?,
                proposer_left = ?, challenger_left = ?, proposer_mid = ?, proposer_moved_l1_block = ?, challenger_mid = ?,
                challenger_moved_l1_block = ?, moves = ?, step_leaf = ?, outcome = ?, resolved_l1_block = ?
            WHERE id = ?
            """, arguments: [game.lo.sql, game.hi.sql, Data(game.loLeaf.bytes), Data(game.proposerHiLeaf.bytes), Data(game.challengerHiLeaf.bytes),
                             game.roundStart.sql, game.proposerLeft.sql, game.challengerLeft.sql, game.proposerMid.map { Data($0.bytes) },
                             game.proposerMovedAt?.sql, game.challengerMid.map { Data($0.bytes) }, game.challengerMovedAt?.sql, game.moves,
                             game.stepLeaf.map { Data($0.bytes) }, game.outcome, game.resolvedAt?.sql, game.id])
    }

    /// The host's step request (docs/FAULT_PROOFS.md, "The host's step").
    private func stepRequest(_ db: Database, batch index: UInt64, opening: [UInt8], witness: [UInt8], depositIndex: UInt64) throws -> [UInt8] {
        let record = try Self.storedBatch(db, index)
        var request: [String: Any] = [
            "batch": ["index": index, "first_block": record.firstBlock, "last_block": record.lastBlock,
                      "previous_root": Hex.encode(record.previousRoot), "root": Hex.encode(record.root),
                      "withdrawals_root": Hex.encode(record.withdrawalsRoot), "da_commitment": Hex.encode(record.daCommitment)],
            "opening": Hex.encode(opening), "witness": Hex.encode(witness),
        ]
        if let row = try Row.fetchOne(db, sql: "SELECT * FROM deposits WHERE idx = ?", arguments: [depositIndex.sql]) {
            request["deposit"] = ["index": depositIndex, "l1_block": row["l1_block"] as Int64,
                                  "from": Hex.encode([UInt8](row["sender"] as Data)), "to": Hex.encode([UInt8](row["recipient"] as Data)),
                                  "amount": "\(Self.amount(fromBigEndian: [UInt8](row["amount"] as Data)))"]
        }
        return [UInt8](try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys]))
    }
}
