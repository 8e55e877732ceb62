import Foundation
import GRDB
import KeelPluginKit

/// Batch records and their finality.
extension LocalBridge {
    /// The longest DA commitment the L1 records (a provider id byte and a hash need 33).
    static let maxCommitmentSize = 1024

    func submitBatch(_ record: BatchRecord) throws(PluginError) {
        try Self.checkShape(record)
        let recorded = try database.write("record batch \(record.index)") { db throws -> Bool in
            let count = try Self.batchCount(db)
            try Self.checkNotFrozen(db, "a batch")
            guard try Self.rule(db, batch: record.index) == "attestation" else {
                throw PluginError(.rejected, "this L1 finalizes batch \(record.index) by fault proofs: post it with the settlement call `batch.post`, "
                                  + "which carries its trace commitment (docs/FAULT_PROOFS.md); the fault proof plugin's proposer does")
            }
            if record.index < count {
                let stored = try Self.storedBatch(db, record.index)
                let differences = Self.differences(stored, record)
                guard differences.isEmpty else {
                    throw PluginError(.rejected, "batch \(record.index) is already recorded with another \(differences.joined(separator: ", ")); "
                                      + "an index is recorded once: the next batch to submit is \(count)")
                }
                return false
            }
            guard record.index == count else {
                throw PluginError(.rejected, "batch \(record.index) skips ahead: \(count) batch\(count == 1 ? " is" : "es are") recorded, so the next index is \(count)")
            }
            if count == 0 {
                if let root = genesis.genesisRoot, root != record.previousRoot {
                    throw PluginError(.rejected, "batch 0 starts from root \(Hex.encode(record.previousRoot)), but the L1 registered genesis root \(Hex.encode(root))")
                }
            } else {
                let previous = try Self.storedBatch(db, count - 1)
                guard previous.root == record.previousRoot else {
                    throw PluginError(.rejected, "batch \(record.index) starts from root \(Hex.encode(record.previousRoot)), "
                                      + "but batch \(count - 1) ended at \(Hex.encode(previous.root)); a batch must continue from the last recorded root")
                }
                guard previous.lastBlock < UInt64.max, record.firstBlock == previous.lastBlock + 1 else {
                    throw PluginError(.rejected, "batch \(record.index) starts at block \(record.firstBlock), but batch \(count - 1) ended at block \(previous.lastBlock); "
                                      + "batches cover consecutive blocks, so it must start at \(previous.lastBlock &+ 1)")
                }
            }
            try checkDACertificate(record, db)
            try db.execute(sql: """
                INSERT INTO batches (idx, first_block, last_block, previous_root, root, withdrawals_root, da_commitment, l1_block)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.index.sql, record.firstBlock.sql, record.lastBlock.sql, Data(record.previousRoot),
                                 Data(record.root), Data(record.withdrawalsRoot), Data(record.daCommitment), try headNumber(db).sql])
            return true
        }
        if recorded {
            host.increment("batches_recorded_total")
            host.log(.info, "recorded batch \(record.index) (blocks \(record.firstBlock)–\(record.lastBlock), root \(Hex.encode(record.root)))")
        }
    }

    func batchCount() throws(PluginError) -> (count: UInt64, final: UInt64) {
        try database.read("count batches") { db in
            (try Self.batchCount(db), try self.finalCount(db))
        }
    }

    func batch(_ index: UInt64) throws(PluginError) -> BatchRecord {
        try database.read("read batch \(index)") { db in
            guard index < (try Self.batchCount(db)) else {
                throw PluginError(.notFound, "no batch \(index): \(try Self.batchCount(db)) batches are recorded")
            }
            var record = try Self.storedBatch(db, index)
            record.isFinal = try self.isFinal(db, index)
            return record
        }
    }

    /// Stores the attestations in `proof` (65-byte signatures, docs/plugins/attest.md) after checking
    /// each against the registered committee; the batch becomes attested when `threshold` distinct
    /// members have signed it, across any number of submissions. Resending a stored signature is harmless.
    func submitProof(batch index: UInt64, proof: [UInt8]) throws(PluginError) {
        let committee = genesis.committee
        let chainID = genesis.chainID
        let outcome = try database.write("record attestations for batch \(index)") { db throws -> (new: Int, total: Int, attested: Bool) in
            guard index < (try Self.batchCount(db)) else {
                throw PluginError(.notFound, "no batch \(index) to attest: \(try Self.batchCount(db)) batches are recorded; submit the batch first")
            }
            guard try Self.rule(db, batch: index) == "attestation" else {
                throw PluginError(.rejected, "batch \(index) is finalized by fault proofs, not attestations; attestations for it are refused")
            }
            let record = try Self.storedBatch(db, index)
            // A proof of ABI 1.2 attestors starts with the deposits consumed (8 bytes), which they sign.
            let counted = proof.count % AttestorCommittee.signatureSize == 8
            let depositCount: UInt64? = counted ? proof[0..<8].reduce(0) { $0 << 8 | UInt64($1) } : nil
            let signatures = counted ? Array(proof.dropFirst(8)) : proof
            let message = AttestationMessage.hash(chainID: chainID, batchIndex: index, previousRoot: record.previousRoot, root: record.root,
                                                  daCommitment: record.daCommitment, withdrawalsRoot: record.withdrawalsRoot,
                                                  depositCount: depositCount)
            let signers = try committee.signers(of: signatures, message: message)
            if let depositCount { try checkAttestedDeposits(db, index: index, record: record, count: depositCount) }
            let head = try headNumber(db)
            var added = 0
            for (position, signer) in signers.enumerated() {
                let start = position * AttestorCommittee.signatureSize
                try db.execute(sql: "INSERT OR IGNORE INTO attestations (batch_idx, signer, signature, l1_block) VALUES (?, ?, ?, ?)",
                               arguments: [index.sql, Data(signer.bytes), Data(signatures[start..<(start + AttestorCommittee.signatureSize)]), head.sql])
                added += db.changesCount
            }
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attestations WHERE batch_idx = ?", arguments: [index.sql]) ?? 0
            var attested = false
            if total >= committee.threshold {
                try db.execute(sql: "UPDATE batches SET attested_l1_block = ? WHERE idx = ? AND attested_l1_block IS NULL",
                               arguments: [head.sql, index.sql])
                attested = db.changesCount > 0
            }
            return (added, total, attested)
        }
        host.increment("attestations_recorded_total", by: UInt64(outcome.new))
        if outcome.attested {
            host.log(.info, "batch \(index) has \(outcome.total) of \(committee.threshold) attestations: attested")
        }
    }

    /// An attested deposit count must agree with the batch's earlier attestations and include every
    /// deposit that had waited `force_inclusion` blocks when the batch was recorded.
    private func checkAttestedDeposits(_ db: Database, index: UInt64, record: BatchRecord, count: UInt64) throws {
        if let stored = try Int64.fetchOne(db, sql: "SELECT deposit_count FROM batches WHERE idx = ?", arguments: [index.sql]) {
            guard UInt64(bitPattern: stored) == count else {
                throw PluginError(.rejected, "batch \(index) was attested as consuming \(stored) deposits; this attestation says \(count)")
            }
            return
        }
        let due = UInt64(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deposits WHERE l1_block + ? <= ?",
                                          arguments: [genesis.escape.forceInclusion.sql, record.l1Block.sql]) ?? 0)
        guard count >= due else {
            throw PluginError(.rejected, "batch \(index) consumes \(count) deposits, but \(due) had waited \(genesis.escape.forceInclusion) L1 blocks "
                              + "when it was recorded and must be included (forced inclusion): it cannot become final")
        }
        try db.execute(sql: "UPDATE batches SET deposit_count = ? WHERE idx = ?", arguments: [count.sql, index.sql])
    }

    static func batchCount(_ db: Database) throws -> UInt64 {
        UInt64(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM batches") ?? 0)
    }

    static func storedBatch(_ db: Database, _ index: UInt64) throws -> BatchRecord {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM batches WHERE idx = ?", arguments: [index.sql]) else {
            throw PluginError(.notFound, "no batch \(index)")
        }
        let previousRoot: Data = row["previous_root"], root: Data = row["root"]
        let withdrawalsRoot: Data = row["withdrawals_root"], commitment: Data = row["da_commitment"]
        return BatchRecord(index: index, firstBlock: UInt64(bitPattern: row["first_block"]), lastBlock: UInt64(bitPattern: row["last_block"]),
                           previousRoot: [UInt8](previousRoot), root: [UInt8](root), withdrawalsRoot: [UInt8](withdrawalsRoot),
                           daCommitment: [UInt8](commitment), l1Block: UInt64(bitPattern: row["l1_block"]))
    }

    /// The fields in which `submitted` differs from `stored` (the bridge's own fields aside).
    static func differences(_ stored: BatchRecord, _ submitted: BatchRecord) -> [String] {
        var fields: [String] = []
        if stored.firstBlock != submitted.firstBlock || stored.lastBlock != submitted.lastBlock { fields.append("block range") }
        if stored.previousRoot != submitted.previousRoot { fields.append("previous root") }
        if stored.root != submitted.root { fields.append("root") }
        if stored.withdrawalsRoot != submitted.withdrawalsRoot { fields.append("withdrawals root") }
        if stored.daCommitment != submitted.daCommitment { fields.append("DA commitment") }
        return fields
    }

    static func checkShape(_ record: BatchRecord) throws(PluginError) {
        for (name, value) in [("previous root", record.previousRoot), ("root", record.root), ("withdrawals root", record.withdrawalsRoot)] where value.count != 32 {
            throw PluginError(.invalidArgument, "batch \(record.index): the \(name) is \(value.count) bytes; roots are 32 bytes")
        }
        guard !record.daCommitment.isEmpty, record.daCommitment.count <= maxCommitmentSize else {
            throw PluginError(.invalidArgument, "batch \(record.index): the DA commitment is \(record.daCommitment.count) bytes; it must be 1 to \(maxCommitmentSize)")
        }
        guard record.firstBlock <= record.lastBlock else {
            throw PluginError(.invalidArgument, "batch \(record.index) covers blocks \(record.firstBlock)–\(record.lastBlock); the first block must not follow the last")
        }
    }
}
