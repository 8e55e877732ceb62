import Foundation
import KeelCore

/// What `keel da sample` prints: one line per sampled chunk, the count, and the confidence.
struct SampleReport {
    let commitment: SampledCommitment
    let locations: [String]
    /// (chunk index, verdict), in index order.
    let verdicts: [(Int, ChunkVerdict)]
    let requested: Int

    init(commitment: SampledCommitment, locations: [String], verdicts: [(Int, ChunkVerdict)], requested: Int) {
        self.commitment = commitment
        self.locations = locations
        self.verdicts = verdicts.sorted { $0.0 < $1.0 }
        self.requested = requested
    }

    var verified: Int { verdicts.filter { $0.1.isVerified }.count }

    /// The chance that all `S` samples verify although fewer than `k` chunks are available, at most
    /// `(1 − (m+1)/n)^S`: each sample then misses with probability at least `(m+1)/n` (drawing
    /// distinct chunks only lowers it).
    static func falseConfidenceBound(dataChunks k: Int, parityChunks m: Int, samples: Int) -> Double {
        pow(1 - Double(m + 1) / Double(k + m), Double(samples))
    }

    var lines: [String] {
        let k = commitment.dataChunks, m = commitment.parityChunks, n = commitment.totalChunks
        var lines = ["commitment \(Hex.encode(commitment.bytes))",
                     "  \(k) data + \(m) parity chunks of \(commitment.chunkSize) bytes (a blob of \(commitment.blobLength) bytes)"]
        var sampled = "sampled \(verdicts.count) of \(n) chunks"
        if requested > n { sampled += " (all of them: --samples \(requested) is more than n = \(n))" }
        lines.append(sampled + ":")
        let width = locations.map(\.count).max() ?? 0
        for (index, verdict) in verdicts {
            let location = locations[index].padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  chunk \(String(index).leftPadded(to: 3))  \(location)  \(verdict.text)")
        }
        lines.append("\(verified) of \(verdicts.count) sampled chunks verified")
        let bound = Self.falseConfidenceBound(dataChunks: k, parityChunks: m, samples: verdicts.count)
        let formula = "1 − (1 − \(m + 1)/\(n))^\(verdicts.count)"
        if verified < verdicts.count {
            lines.append("confidence that the whole batch is available: none (a sampled chunk is missing or corrupt)")
        } else if verified >= k {
            lines.append("confidence that the whole batch is available: 100% (\(verified) verified chunks are k = \(k) of them: "
                         + "they rebuild the batch; the sampling bound alone, \(formula), gives \(Self.percent(1 - bound)))")
        } else {
            lines.append("confidence that the whole batch is available: \(Self.percent(1 - bound)) = \(formula) "
                         + "(if it were not, this result had a chance of at most \(String(format: "%.3g", bound)))")
        }
        return lines
    }

    /// The message for standard error and exit status 1 when a sampled chunk failed, else nil.
    var failure: String? {
        let bad = verdicts.filter { !$0.1.isVerified }
        guard !bad.isEmpty else { return nil }
        let named = bad.map { "chunk \($0.0) at \(locations[$0.0]) is \($0.1.text)" }.joined(separator: "; ")
        return "keel da sample: \(bad.count) of \(verdicts.count) sampled chunks failed: \(named). The batch may not be available: "
            + "it can be rebuilt only while at least k = \(commitment.dataChunks) of its \(commitment.totalChunks) chunks are intact"
    }

    /// A share as a percentage rounded down (so 1 − 10⁻⁹ never reads as 100%).
    static func percent(_ share: Double) -> String {
        let floored = (share * 1_000_000).rounded(.down) / 10_000
        return String(format: "%.4f%%", floored)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
