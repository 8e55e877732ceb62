import Foundation
import GRDB
import KeelPluginKit

/// `batch.post`: a batch under the `fault` rule, posted with its trace commitment and the openings
/// that bind it to what the L1 knows (docs/FAULT_PROOFS.md, "What the L1 checks when a batch is posted").
extension LocalBridge {
    func postBatch(_ body: CallBody) throws(PluginError) -> [String: Any] {
        guard let parameters = genesis.fault else {
            throw PluginError(.rejected, "this L1 finalizes by `\(genesis.finality)`, not by fault proofs: submit batches with submit_batch")
        }
        let record = BatchRecord(index: try body.uint64("index"), firstBlock: try body.uint64("first_block"), lastBlock: try body.uint64("last_block"),
                                 previousRoot: try body.hash("previous_root").bytes, root: try body.hash("root").bytes,
                                 withdrawalsRoot: try body.hash("withdrawals_root").bytes, daCommitment: try body.bytes("da_commitment"))
        try Self.checkShape(record)
        let commitment = try body.hash("trace_commitment")
        let steps = try body.uint64("step_count")
        guard steps <= UInt64(TraceCommitment.maxSteps) else {
            throw PluginError(.rejected, "batch \(record.index) claims \(steps) steps; a trace holds at most \(TraceCommitment.maxSteps)")
        }
        guard let start = StepRoot(encoded: try body.bytes("start")), let end = StepRoot(encoded: try body.bytes("end")) else {
            throw PluginError(.invalidArgument, "`start` and `end` must be the openings of R_0 and R_n (\(StepRoot.encodedSize) bytes each)")
        }
        let startProof = try body.hashes("start_proof"), endProof = try body.hashes("end_proof")
        let markerProof = steps < UInt64(TraceCommitment.maxSteps) ? try body.hashes("end_marker_proof") : []
        let posted = try signedWrite(body, "post batch \(record.index)") { db, proposer -> Bool in
            try Self.checkNotFrozen(db, "a batch")
            guard try Self.rule(db, batch: record.index) == "fault" else {
                throw PluginError(.rejected, "batch \(record.index) is finalized by attestations on this L1; submit it with submit_batch")
            }
            let count = try Self.batchCount(db)
            if record.index < count {
                let stored = try Self.storedBatch(db, record.index)
                let storedCommitment = try Data.fetchOne(db, sql: "SELECT trace_commitment FROM batches WHERE idx = ?", arguments: [record.index.sql])
                guard Self.differences(stored, record).isEmpty, storedCommitment == Data(commitment.bytes) else {
                    throw PluginError(.rejected, "batch \(record.index) is already recorded with other contents; the next batch to post is \(count)")
                }
                return false
            }
            guard record.index == count else {
                throw PluginError(.rejected, "batch \(record.index) skips ahead: \(count) batches are recorded, so the next index is \(count)")
            }
            try checkStake(db, proposer, parameters)
            let parent = try Self.lastStanding(db)
            let parentDeposits = try parent.map { try Self.depositCount(db, $0.index) } ?? 0
            if let parent {
                guard parent.root == record.previousRoot else {
                    throw PluginError(.rejected, "batch \(record.index) starts from root \(Hex.encode(record.previousRoot)), but the last standing batch "
                                      + "\(parent.index) ended at \(Hex.encode(parent.root)); a batch continues from the last batch not rejected")
                }
                guard record.firstBlock == parent.lastBlock &+ 1 else {
                    throw PluginError(.rejected, "batch \(record.index) starts at block \(record.firstBlock); the last standing batch \(parent.index) ended at block \(parent.lastBlock)")
                }
            } else if let root = genesis.genesisRoot, root != record.previousRoot {
                throw PluginError(.rejected, "batch \(record.index) starts from root \(Hex.encode(record.previousRoot)), but the L1 registered genesis root \(Hex.encode(root))")
            }
            let expectedStart = StepRoot.start(parentRoot: Hash32(bytes: record.previousRoot) ?? .zero, depositCount: parentDeposits, firstBlock: record.firstBlock)
            guard start == expectedStart else {
                throw PluginError(.rejected, "R_0 of batch \(record.index) must open to the parent's root, \(parentDeposits) deposits, no withdrawals, "
                                  + "step 0 and the gap after block \(record.firstBlock &- 1)")
            }
            guard end.stateRoot.bytes == record.root, end.withdrawalsRoot.bytes == record.withdrawalsRoot, end.index == steps,
                  end.context == .between(afterBlock: record.lastBlock), end.depositCount >= parentDeposits else {
                throw PluginError(.rejected, "R_n of batch \(record.index) must open to its root, its withdrawals root, step \(steps) "
                                  + "and the gap after block \(record.lastBlock), with no fewer deposits than its parent's")
            }
            guard TraceCommitment.verify(root: commitment, leaf: start.hash, position: 0, proof: startProof),
                  TraceCommitment.verify(root: commitment, leaf: end.hash, position: Int(steps), proof: endProof),
                  steps == UInt64(TraceCommitment.maxSteps)
                    || TraceCommitment.verify(root: commitment, leaf: TraceCommitment.end, position: Int(steps) + 1, proof: markerProof) else {
                throw PluginError(.rejected, "the proofs of R_0, R_n and the end marker do not hold against trace commitment \(commitment)")
            }
            let head = try headNumber(db)
            let due = UInt64(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deposits WHERE l1_block + ? <= ?",
                                              arguments: [genesis.escape.forceInclusion.sql, head.sql]) ?? 0)
            guard end.depositCount >= due else {
                throw PluginError(.rejected, "batch \(record.index) consumes \(end.depositCount) deposits, but \(due) have waited \(genesis.escape.forceInclusion) L1 blocks "
                                  + "or more and must be included (forced inclusion)")
            }
            try checkDACertificate(record, db)
            try db.execute(sql: """
                INSERT INTO batches (idx, first_block, last_block, previous_root, root, withdrawals_root, da_commitment, l1_block,
                                     proposer, trace_commitment, step_count, deposit_count, end_leaf)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.index.sql, record.firstBlock.sql, record.lastBlock.sql, Data(record.previousRoot), Data(record.root),
                                 Data(record.withdrawalsRoot), Data(record.daCommitment), try headNumber(db).sql, Data(proposer.bytes),
                                 Data(commitment.bytes), steps.sql, end.depositCount.sql, Data(end.hash.bytes)])
            return true
        }
        if posted {
            host.increment("batches_recorded_total")
            host.log(.info, "recorded batch \(record.index) under fault proofs (blocks \(record.firstBlock)–\(record.lastBlock), \(steps) steps, root \(Hex.encode(record.root)))")
        }
        return ["index": record.index, "new": posted]
    }

    /// Refuses a proposer whose stake does not cover a batch in flight.
    private func checkStake(_ db: Database, _ proposer: Address, _ parameters: FaultParameters) throws {
        let stake = try Data.fetchOne(db, sql: "SELECT amount FROM stakes WHERE proposer = ?", arguments: [Data(proposer.bytes)])
            .map { Self.amount(fromBigEndian: [UInt8]($0)) } ?? 0
        guard stake >= parameters.proposerStake else {
            throw PluginError(.rejected, "\(proposer) has a stake of \(stake) wei; posting under fault proofs needs \(parameters.proposerStake) "
                              + "(settlement call `stake.deposit`)")
        }
    }

    /// The deposits consumed by the end of batch `index` (0 for a batch posted without a trace).
    static func depositCount(_ db: Database, _ index: UInt64) throws -> UInt64 {
        UInt64(bitPattern: try Int64.fetchOne(db, sql: "SELECT deposit_count FROM batches WHERE idx = ?", arguments: [index.sql]) ?? 0)
    }

    func batchStatus(_ body: CallBody) throws(PluginError) -> [String: Any] {
        let index = try body.uint64("index")
        return try database.read("read batch \(index)'s status") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM batches WHERE idx = ?", arguments: [index.sql]) else {
                throw PluginError(.notFound, "no batch \(index)")
            }
            let rejected: Int64? = row["rejected_l1_block"]
            let status = rejected != nil ? "rejected" : try isFinal(db, index) ? "final" : "pending"
            let games = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM games WHERE batch_idx = ?", arguments: [index.sql]) ?? 0
            var answer: [String: Any] = ["index": index, "status": status, "rule": try Self.rule(db, batch: index),
                                         "l1_block": row["l1_block"] as Int64, "games": games]
            if let rejected { answer["rejected_l1_block"] = rejected }
            if let commitment = row["trace_commitment"] as Data? { answer["trace_commitment"] = Hex.encode([UInt8](commitment)) }
            if let steps = row["step_count"] as Int64? { answer["step_count"] = steps }
            if let end = row["end_leaf"] as Data? { answer["end_leaf"] = Hex.encode([UInt8](end)) }
            if let deposits = row["deposit_count"] as Int64? { answer["deposit_count"] = deposits }
            if let proposer = row["proposer"] as Data? { answer["proposer"] = Hex.encode([UInt8](proposer)) }
            return answer
        }
    }
}
