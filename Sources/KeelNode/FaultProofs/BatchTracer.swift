import KeelCore
import KeelState

/// The prover's side (docs/FAULT_PROOFS.md, §1 and §3): a batch's trace `R_0 … R_n` computed from
/// the node's own state at the block before the batch, and the witness of any one step.
///
/// The trace runs on a `WitnessTree` that reveals keys from the store as the steps touch them, so a
/// batch costs what it touches, not the size of the state.
struct BatchTracer {
    let machine: StepMachine
    let store: StateStore
    /// The state version (block number) the batch starts from: `firstBlock − 1`.
    let parentVersion: UInt64

    /// Where a trace stands after some of its steps.
    struct Progress {
        var roots: [StepRoot]
        var tree: WitnessTree
        /// The keccak of each withdrawal message so far.
        var messageHashes: [Hash32]
    }

    /// Runs the first `count` of `steps` (all when nil) from `start`.
    func trace(_ steps: [BatchStep], from start: StepRoot, count: Int? = nil) throws -> Progress {
        var progress = Progress(roots: [start], tree: WitnessTree(root: start.stateRoot), messageHashes: [])
        for step in steps.prefix(count ?? steps.count) {
            let state = WitnessState(tree: progress.tree, source: source)
            let hashes = progress.messageHashes
            let (root, message) = try machine.run(step, from: progress.roots[progress.roots.count - 1], state: state) {
                MerkleAppend.path(appendingTo: hashes)
            }
            progress.tree = state.tree
            progress.roots.append(root)
            if !message.isEmpty { progress.messageHashes.append(Keccak256.hash(message)) }
        }
        return progress
    }

    /// The witness for step `index` (1-based: it takes `R_{index−1}` to `R_index`), built until the
    /// verifier accepts it: each round adds what the verifier said was missing.
    func witness(_ steps: [BatchStep], from start: StepRoot, step index: Int) throws -> (opening: StepRoot, witness: StepWitness) {
        var before = try trace(steps, from: start, count: index - 1)
        let opening = before.roots[index - 1]
        var witness = StepWitness()
        let verifier = OneStepVerifier(machine: machine)
        for _ in 0...StepWitness.maxEntries {
            let refusal: StepProofError
            do {
                _ = try verifier.correctLeaf(after: opening, steps: steps, witness: witness)
                return (opening, witness)
            } catch {
                refusal = error
            }
            switch refusal {
            case .missingWithdrawalPath:
                witness.withdrawalPath = MerkleAppend.path(appendingTo: before.messageHashes)
            case .missingWitness(let needed, _) where !needed.isEmpty:
                for missing in needed {
                    witness.entries.append(try entry(for: missing, in: &before.tree))
                }
            default:
                throw TraceError(message: "step \(index) cannot be proven from this node's state: \(refusal)")
            }
        }
        throw TraceError(message: "the witness of step \(index) did not converge")
    }

    /// The proof `missing` asks for, against the tree's current root, revealing it from the store first if needed.
    private func entry(for missing: MissingWitness, in tree: inout WitnessTree) throws -> StepWitness.Entry {
        if let key = missing.key, !tree.isWitnessed(keyHash: missing.keyHash) {
            let (value, proof) = try source.key(key)
            try tree.add(key: key, value: value, proof: proof)
        }
        var proof: StateProof
        do {
            proof = try tree.proof(forKeyHash: missing.keyHash)
        } catch {
            try tree.add(keyHash: missing.keyHash, value: nil, proof: try source.probe(missing.keyHash))
            proof = try tree.proof(forKeyHash: missing.keyHash)
        }
        var value: [UInt8]?
        if let key = missing.key { value = try tree.value(for: key) }
        return StepWitness.Entry(keyHash: missing.keyHash, value: proof.provesPresence ? value : nil, proof: proof)
    }

    /// Reveals keys from the store as they were before the batch.
    private var source: WitnessState.Source {
        let store = store, version = parentVersion
        return WitnessState.Source(
            key: { key in (try store.value(for: key, at: version), try store.proof(for: key, at: version)) },
            probe: { keyHash in try store.proof(forKeyHash: keyHash, at: version) })
    }
}

/// A trace that could not be computed from the node's own state.
struct TraceError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
