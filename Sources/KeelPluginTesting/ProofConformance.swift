import KeelCore
import KeelKernel

/// The rules every proof system must keep: what it proves verifies; a proof does not verify for
/// another transition, and a damaged or empty proof does not verify at all.
public enum ProofConformance {
    /// `transition` defaults to a sample; pass one the plugin can really prove (with its `state`)
    /// when proving needs a consistent batch.
    public static func run(_ client: ProofClient, transition: Transition? = nil, state: (any StateAccess)? = nil) -> [ConformanceFailure] {
        var report = ConformanceReport()
        var random = SeededBytes(seed: 3)
        let subject = transition ?? Transition(chainID: 901, batchIndex: 0, firstBlock: 1, lastBlock: 4,
                                               previousRoot: random.bytes(32), root: random.bytes(32),
                                               withdrawalsRoot: random.bytes(32), daCommitment: [0x01] + random.bytes(32),
                                               batch: random.bytes(200))
        guard let proof = report.attempt("prove", { try client.prove(subject, state: state ?? MemoryState()) }) else {
            return report.failures
        }
        _ = report.attempt("verify what was proved", { try client.verify(subject, proof: proof) })
        var otherRoot = subject
        otherRoot.root[0] ^= 1
        report.expectRefusal("verify for another root", codes: [.rejected]) { try client.verify(otherRoot, proof: proof) }
        var otherCommitment = subject
        otherCommitment.daCommitment[otherCommitment.daCommitment.count - 1] ^= 1
        report.expectRefusal("verify for another DA commitment", codes: [.rejected]) { try client.verify(otherCommitment, proof: proof) }
        if !proof.isEmpty {
            var damaged = proof
            damaged[damaged.count / 2] ^= 0x10
            report.expectRefusal("verify a damaged proof", codes: [.rejected, .invalidArgument]) { try client.verify(subject, proof: damaged) }
        }
        report.expectRefusal("verify an empty proof", codes: [.rejected, .invalidArgument]) { try client.verify(subject, proof: []) }
        return report.failures
    }
}
