import KeelCore

/// The settlement layer's side of a one-step proof (docs/FAULT_PROOFS.md, §3): from the agreed
/// `R_{i−1}` (its opening) and a witness, the correct leaf at position `i` of the trace.
struct OneStepVerifier {
    let machine: StepMachine

    /// The correct leaf after `opening` for a batch whose steps are `steps`: `R_i`'s hash, or the end
    /// marker past the last step. The opening's own hash is the caller's to check against the agreed
    /// leaf. Throws `StepProofError` when the witness does not prove what the step needs.
    func correctLeaf(after opening: StepRoot, steps: [BatchStep], witness: StepWitness) throws(StepProofError) -> Hash32 {
        guard opening.index < UInt64(steps.count) else { return TraceCommitment.end }
        var tree = WitnessTree(root: opening.stateRoot)
        for entry in witness.entries {
            do {
                try tree.add(keyHash: entry.keyHash, value: entry.value, proof: entry.proof)
            } catch {
                throw StepProofError.badWitness("\(error)")
            }
        }
        let state = WitnessState(tree: tree)
        return try machine.run(steps[Int(opening.index)], from: opening, state: state) { witness.withdrawalPath }.root.hash
    }
}
