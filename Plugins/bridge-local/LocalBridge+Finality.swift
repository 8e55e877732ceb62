import Foundation
import GRDB
import KeelPluginKit

/// Finality rules, chosen per batch index (docs/FAULT_PROOFS.md, §2 and §5): `attestation` (k of n
/// registered signers) or `fault` (a window without a lost game). A batch is *settled* when it is
/// final or rejected; `batch_count`'s final count is the number of leading settled batches, and a
/// record says `final` only for a batch that was not rejected.
extension LocalBridge {
    /// The rule that finalizes batch `index`: the latest `finality_rules` row at or below it.
    static func rule(_ db: Database, batch index: UInt64) throws -> String {
        try String.fetchOne(db, sql: "SELECT rule FROM finality_rules WHERE from_batch <= ? ORDER BY from_batch DESC LIMIT 1",
                            arguments: [index.sql]) ?? "attestation"
    }

    /// The number of leading settled batches at the current L1 head.
    func finalCount(_ db: Database) throws -> UInt64 {
        let window = Int64(bitPattern: genesis.fault?.challengeWindow ?? 0)
        let head = Int64(bitPattern: try headNumber(db))
        let first = try Int64.fetchOne(db, sql: """
            SELECT MIN(idx) FROM batches AS b
            WHERE CASE (SELECT rule FROM finality_rules WHERE from_batch <= b.idx ORDER BY from_batch DESC LIMIT 1)
                WHEN 'fault' THEN b.rejected_l1_block IS NULL AND (b.l1_block + ? > ?
                    OR EXISTS (SELECT 1 FROM games AS g WHERE g.batch_idx = b.idx AND g.resolved_l1_block IS NULL))
                ELSE b.attested_l1_block IS NULL
            END
            """, arguments: [window, head])
        let count = try first.map { UInt64(bitPattern: $0) } ?? Self.batchCount(db)
        // After the escape hatch fires nothing more becomes final.
        if let frozen = try Self.frozen(db) { return min(count, frozen.finalCount) }
        return count
    }

    /// Whether batch `index` is final: settled and not rejected.
    func isFinal(_ db: Database, _ index: UInt64) throws -> Bool {
        guard index < (try finalCount(db)) else { return false }
        return try Int64.fetchOne(db, sql: "SELECT rejected_l1_block FROM batches WHERE idx = ?", arguments: [index.sql]) == nil
    }

    /// The last batch that is not rejected, which the next batch continues from (nil: none yet).
    static func lastStanding(_ db: Database) throws -> BatchRecord? {
        guard let index = try Int64.fetchOne(db, sql: "SELECT MAX(idx) FROM batches WHERE rejected_l1_block IS NULL") else { return nil }
        return try storedBatch(db, UInt64(bitPattern: index))
    }
}
