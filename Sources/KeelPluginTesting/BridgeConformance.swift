import KeelCore
import KeelKernel

/// The rules every settlement bridge must keep, on a fresh instance: batches chain by index and
/// root, a retried submit records nothing twice, deposits are numbered without gaps, and a claim
/// with a bogus proof pays nothing, and a change log (if kept) appends in order and never changes.
public enum BridgeConformance {
    public static func run(_ client: BridgeClient) -> [ConformanceFailure] {
        var report = ConformanceReport()
        var random = SeededBytes(seed: 13)
        let head = report.attempt("l1_head", { try client.l1Head() })
        guard let start = report.attempt("batch_count", { try client.batchCount() }) else { return report.failures }
        report.expect(start.final <= start.count, "batch_count", "more final batches (\(start.final)) than batches (\(start.count))")

        var previousRoot = [UInt8](repeating: 0, count: 32)
        if start.count > 0, let last = report.attempt("get_batch", { try client.batch(start.count - 1) }) {
            previousRoot = last.root
        }
        let record = BatchRecord(index: start.count, firstBlock: 1, lastBlock: 3, previousRoot: previousRoot,
                                 root: random.bytes(32), withdrawalsRoot: random.bytes(32), daCommitment: [0x01] + random.bytes(32))
        if report.attempt("submit_batch", { try client.submitBatch(record) }) != nil {
            _ = report.attempt("submit_batch of the same record again", { try client.submitBatch(record) })
            let after = report.attempt("batch_count", { try client.batchCount() })
            report.expect(after?.count == start.count + 1, "a retried submit records once", "batch count went from \(start.count) to \(after.map { String($0.count) } ?? "?")")
            if let stored = report.attempt("get_batch", { try client.batch(record.index) }) {
                report.expect(stored.root == record.root && stored.previousRoot == record.previousRoot
                              && stored.withdrawalsRoot == record.withdrawalsRoot && stored.daCommitment == record.daCommitment
                              && stored.firstBlock == record.firstBlock && stored.lastBlock == record.lastBlock,
                              "get_batch", "the stored record differs from the submitted one")
            }
            var conflicting = record
            conflicting.root = random.bytes(32)
            report.expectRefusal("a different record at a taken index", codes: [.rejected]) { try client.submitBatch(conflicting) }
            var unchained = record
            unchained.index += 1
            unchained.previousRoot = random.bytes(32)
            report.expectRefusal("a batch whose previous root is not the last root", codes: [.rejected]) { try client.submitBatch(unchained) }
            var gap = record
            gap.index += 2
            gap.previousRoot = record.root
            report.expectRefusal("a batch that skips an index", codes: [.rejected]) { try client.submitBatch(gap) }
        }
        report.expectRefusal("get_batch past the end", codes: [.notFound]) { _ = try client.batch(start.count + 100) }

        if let deposits = report.attempt("deposits", { try client.deposits(from: 0) }) {
            for (offset, deposit) in deposits.enumerated() {
                report.expect(deposit.index == UInt64(offset), "deposits are numbered without gaps", "deposit \(offset) has index \(deposit.index)")
            }
            if client.isDevelopmentL1 {
                let from = random.bytes(20), to = random.bytes(20)
                if let index = report.attempt("dev_deposit", { try client.devDeposit(from: from, to: to, amount: 12_345) }) {
                    report.expect(index == UInt64(deposits.count), "dev_deposit", "the new deposit has index \(index), expected \(deposits.count)")
                    let found = (try? client.deposits(from: index))?.first
                    report.expect(found?.to == to && found?.from == from && found?.amount == 12_345, "dev_deposit",
                                  "the queued deposit does not read back as submitted")
                }
                if let before = head {
                    _ = report.attempt("dev_advance", { try client.devAdvance(blocks: 3) })
                    let after = try? client.l1Head()
                    report.expect((after?.number ?? 0) >= before.number + 3, "dev_advance", "the L1 did not advance by 3 blocks")
                }
            }
        }
        report.expectRefusal("claim_withdrawal with a bogus proof", codes: [.rejected, .invalidArgument, .notFound]) {
            try client.claimWithdrawal(batch: record.index, message: random.bytes(60), proof: random.bytes(64))
        }
        if client.keepsChangeLog { checkChangeLog(client, random: &random, report: &report) }
        return report.failures
    }

    /// ABI 1.1's change log: records append in order without gaps, read back unchanged, a retried
    /// record is kept once, and reading past the end is NOT_FOUND.
    static func checkChangeLog(_ client: BridgeClient, random: inout SeededBytes, report: inout ConformanceReport) {
        guard let start = report.attempt("change_count", { try client.changeCount() }) else { return }
        let first = Array(#"{"type":"conformance","n":"#.utf8) + random.bytes(8) + Array("}".utf8)
        let second = Array(#"{"type":"conformance","n":"#.utf8) + random.bytes(8) + Array("}".utf8)
        let firstIndex = report.attempt("record_change", { try client.recordChange(first) })
        report.expect(firstIndex == start, "record_change", "the record got index \(firstIndex.map(String.init) ?? "?"), expected \(start)")
        let retried = report.attempt("record_change of the same record again", { try client.recordChange(first) })
        report.expect(retried == start, "a retried record is kept once", "the retry got index \(retried.map(String.init) ?? "?"), expected \(start)")
        let secondIndex = report.attempt("record_change", { try client.recordChange(second) })
        report.expect(secondIndex == start + 1, "record_change", "the second record got index \(secondIndex.map(String.init) ?? "?"), expected \(start + 1)")
        report.expect((try? client.changeCount()) == start + 2, "change_count", "two records did not add two to the count")
        report.expect((try? client.change(start)) == first && (try? client.change(start + 1)) == second, "get_change",
                      "a record reads back different from what was recorded")
        report.expectRefusal("get_change past the end", codes: [.notFound]) { _ = try client.change(start + 2) }
    }
}
