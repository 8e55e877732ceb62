import KeelCore
import KeelKernel

/// The rules every sequencer must keep: orders are permutations of a subset that keep each
/// sender's nonces increasing and fit the gas limit; header signatures verify and forgeries do not.
public enum SequencerConformance {
    public static func run(_ client: SequencerClient) -> [ConformanceFailure] {
        var report = ConformanceReport()
        var random = SeededBytes(seed: 5)
        _ = report.attempt("is_leader", { try client.isLeader(height: 1) })

        let senders = (0..<3).map { _ in random.bytes(20) }
        var candidates: [OrderCandidate] = []
        for (s, sender) in senders.enumerated() {
            for nonce in [2, 0, 1] as [UInt64] {
                candidates.append(OrderCandidate(hash: random.bytes(32), sender: sender, nonce: nonce, gasLimit: 21_000,
                                                 maxFeePerGas: UInt128(100 + s * 10), maxPriorityFeePerGas: UInt128(1 + s),
                                                 arrival: UInt64(candidates.count)))
            }
        }
        let gasLimit: UInt64 = 21_000 * 7
        if let order = report.attempt("order", { try client.order(candidates, baseFee: 50, gasLimit: gasLimit) }) {
            report.expect(Set(order).count == order.count, "order", "an index appears twice")
            report.expect(order.reduce(0) { $0 + candidates[$1].gasLimit } <= gasLimit, "order", "the chosen gas exceeds the limit")
            var lastNonce: [[UInt8]: UInt64] = [:]
            for index in order {
                let candidate = candidates[index]
                if let last = lastNonce[candidate.sender] {
                    report.expect(candidate.nonce > last, "order keeps nonces increasing", "nonce \(candidate.nonce) after \(last)")
                }
                lastNonce[candidate.sender] = candidate.nonce
            }
            report.expect(!order.isEmpty, "order", "nothing was chosen from nine affordable transactions")
        }

        let hash = random.bytes(32)
        if let signature = report.attempt("sign_header", { try client.signHeader(hash) }) {
            _ = report.attempt("verify_header of a genuine signature", { try client.verifyHeader(height: 1, hash: hash, signature: signature) })
            var forged = signature
            if !forged.isEmpty { forged[forged.count / 2] ^= 0x40 }
            report.expectRefusal("verify_header of a forged signature", codes: [.rejected, .invalidArgument]) {
                try client.verifyHeader(height: 1, hash: hash, signature: forged)
            }
            var otherHash = hash
            otherHash[0] ^= 1
            report.expectRefusal("verify_header for another header", codes: [.rejected]) {
                try client.verifyHeader(height: 1, hash: otherHash, signature: signature)
            }
        }
        return report.failures
    }
}
