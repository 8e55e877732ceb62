import KeelCore
import KeelKernel

/// The state one fault-proof step runs on: a `WitnessTree` (the starting state, as far as the
/// witness reveals it) under the step's writes, which reach the tree only on `commit()`.
///
/// A plugin callback cannot throw, so a read outside the witness answers "absent" and is remembered;
/// `missing` then makes the run an invalid proof whatever the plugin did with the answer. With a
/// `source` (the prover's side), a missing key is revealed from it and read again instead.
final class WitnessState: StateAccess {
    /// Reveals what the tree lacks: the key's proof (with its value) against the tree's starting
    /// root, or, for a probe, the proof of a key hash.
    struct Source {
        var key: ([UInt8]) throws -> (value: [UInt8]?, proof: StateProof)
        var probe: (Hash32) throws -> StateProof
    }

    private(set) var tree: WitnessTree
    let source: Source?
    private var pending: [[UInt8]: [UInt8]] = [:]
    private var deleted: Set<[UInt8]> = []
    private var order: [[UInt8]] = []
    /// What the witness lacked, in the order it was needed.
    private(set) var missing: [MissingWitness] = []
    /// Anything else that went wrong reading the source.
    private(set) var failure: (any Error)?

    init(tree: WitnessTree, source: Source? = nil) {
        self.tree = tree
        self.source = source
    }

    func value(for key: [UInt8]) -> [UInt8]? {
        if let value = pending[key] { return value }
        if deleted.contains(key) { return nil }
        do {
            return try tree.value(for: key)
        } catch {
            guard let source, reveal(key: key, from: source) else {
                note(error, key: key)
                return nil
            }
            return (try? tree.value(for: key)) ?? nil
        }
    }

    func setValue(_ value: [UInt8], for key: [UInt8]) {
        if pending[key] == nil, !deleted.contains(key) { order.append(key) }
        if value.isEmpty {
            pending[key] = nil
            deleted.insert(key)
        } else {
            pending[key] = value
            deleted.remove(key)
        }
    }

    /// Forgets the step's writes (a refused transaction changes nothing).
    func discard() {
        pending = [:]
        deleted = []
        order = []
    }

    /// Applies the step's writes to the tree in the order they were first made, then forgets them.
    /// A write the witness cannot place (a key it lacks, a collapse past an unrevealed sibling) is
    /// noted in `missing`, or revealed from the source and retried.
    func commit() {
        defer { discard() }
        for key in order {
            let value = pending[key]
            while true {
                do {
                    try tree.set(key, value)
                    break
                } catch {
                    let isKey = error == .missingWitness(keyHash: StateTree.keyHash(key))
                    guard let source, case .missingWitness(let keyHash) = error,
                          isKey ? reveal(key: key, from: source) : reveal(probe: keyHash, from: source) else {
                        note(error, key: isKey ? key : nil)
                        return
                    }
                }
            }
        }
    }

    /// Whether the step may be trusted: nothing was missing and nothing failed.
    var isComplete: Bool { missing.isEmpty && failure == nil }

    private func note(_ error: WitnessTreeError, key: [UInt8]?) {
        if case .missingWitness(let keyHash) = error {
            let needed = MissingWitness(keyHash: keyHash, key: key)
            if !missing.contains(needed) { missing.append(needed) }
        } else {
            failure = failure ?? error
        }
    }

    private func reveal(key: [UInt8], from source: Source) -> Bool {
        do {
            let (value, proof) = try source.key(key)
            try tree.add(key: key, value: value, proof: proof)
            return true
        } catch {
            failure = failure ?? error
            return false
        }
    }

    private func reveal(probe keyHash: Hash32, from source: Source) -> Bool {
        do {
            try tree.add(keyHash: keyHash, value: nil, proof: try source.probe(keyHash))
            return true
        } catch {
            failure = failure ?? error
            return false
        }
    }
}

/// A key (or, for a probe, only a key hash) whose proof a step needed and its witness lacked.
struct MissingWitness: Sendable, Hashable, CustomStringConvertible {
    var keyHash: Hash32
    /// The key itself when the step named it; nil for a probe under an unrevealed sibling.
    var key: [UInt8]?

    var description: String { key.map { "key \(Hex.encode($0))" } ?? "key hash \(keyHash)" }
}
