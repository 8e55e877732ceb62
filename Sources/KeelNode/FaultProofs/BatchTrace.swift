import KeelCore
import KeelKernel

/// A batch's whole trace as one side of a game holds it: its steps, its step roots and their
/// commitment, with what it takes to prove any step (docs/FAULT_PROOFS.md, §1).
struct BatchTrace {
    let record: BatchRecord
    let steps: [BatchStep]
    let roots: [StepRoot]
    let commitment: TraceCommitment
    /// Proves step `index` (1-based) from this trace's `R_{index−1}`.
    let prove: (Int) throws -> (opening: StepRoot, witness: StepWitness)

    /// The trace of `record` computed on `chain`'s own state: the honest trace, as this node sees it.
    /// `tamper` (tests only) changes the roots before they are committed.
    static func compute(_ record: BatchRecord, blob: [UInt8], chain: ChainStore, executions: PluginSchedule<ExecutionClient>,
                        bridge: BridgeClient, chainID: UInt64, tamper: ((inout [StepRoot]) -> Void)? = nil) throws -> BatchTrace {
        let steps = BatchStep.steps(ofBlob: blob, record: record, chainID: chainID)
        guard steps.count <= TraceCommitment.maxSteps else {
            throw TraceError(message: "batch \(record.index) has \(steps.count) steps, more than a trace holds (\(TraceCommitment.maxSteps))")
        }
        guard let parentDeposits = try chain.nextDeposit(afterBlock: record.firstBlock &- 1), let parent = Hash32(bytes: record.previousRoot) else {
            throw TraceError(message: "this node does not hold block \(record.firstBlock &- 1), which batch \(record.index) continues")
        }
        let start = StepRoot.start(parentRoot: parent, depositCount: parentDeposits, firstBlock: record.firstBlock)
        let machine = StepMachine(execution: { executions.at($0) }, chainID: chainID) { index in
            try bridge.deposits(from: index, limit: 1).first { $0.index == index }
        }
        let tracer = BatchTracer(machine: machine, store: chain.state, parentVersion: record.firstBlock &- 1)
        var roots = try tracer.trace(steps, from: start).roots
        tamper?(&roots)
        let commitment = try TraceCommitment(stepRoots: roots.map(\.hash))
        let tampered = tamper != nil
        let finalRoots = roots
        return BatchTrace(record: record, steps: steps, roots: roots, commitment: commitment) { index in
            let proven = try tracer.witness(steps, from: start, step: index)
            // A tampered trace proves what it can: the honest witness from its own (wrong) opening.
            return tampered ? (finalRoots[index - 1], proven.witness) : proven
        }
    }

    /// The leaf at `position` and its proof against the commitment.
    func opening(at position: Int) throws -> (leaf: Hash32, proof: [Hash32]) {
        (commitment.leaf(at: position), try commitment.proof(at: position))
    }
}
