/// The commitment to a batch's whole trace: the `MerkleTree` root over exactly `leafCount` leaves,
/// `R_0 … R_n` and then `end` in every remaining position (docs/FAULT_PROOFS.md, "The trace
/// commitment"). One shape for every batch makes bisection take the same number of rounds for any
/// two commitments, and a trace of the wrong length is just another leaf at some position.
public struct TraceCommitment: Sendable {
    /// Leaves in every trace: `R_0` plus at most `maxSteps` step roots, padded with `end`.
    public static let leafCount = 1024
    /// The most steps one batch may hold.
    public static let maxSteps = leafCount - 1
    /// Bisection rounds from the whole range down to one step: log2(`leafCount`).
    public static let rounds = 10
    /// The leaf after the last step: `keccak256("keel/trace/end")`.
    public static let end = Keccak256.hash(Array("keel/trace/end".utf8))

    /// The step roots `R_0 … R_n` (hashes), as given.
    public let stepRoots: [Hash32]
    private let tree: MerkleTree

    /// The commitment to `stepRoots` (`R_0` first); throws when there are none or more than
    /// `maxSteps + 1`.
    public init(stepRoots: [Hash32]) throws(TraceCommitmentError) {
        guard !stepRoots.isEmpty, stepRoots.count <= Self.leafCount else {
            throw .stepCount(stepRoots.count - 1)
        }
        self.stepRoots = stepRoots
        tree = MerkleTree(leaves: stepRoots + Array(repeating: Self.end, count: Self.leafCount - stepRoots.count))
    }

    /// The commitment itself.
    public var root: Hash32 { tree.root }

    /// The number of steps, `n`.
    public var stepCount: Int { stepRoots.count - 1 }

    /// The leaf at `position`: a step root up to `n`, `end` after it.
    public func leaf(at position: Int) -> Hash32 {
        position < stepRoots.count ? stepRoots[position] : Self.end
    }

    /// The Merkle proof of `leaf(at: position)`; `position` must be below `leafCount`.
    public func proof(at position: Int) throws(TraceCommitmentError) -> [Hash32] {
        guard (0..<Self.leafCount).contains(position) else { throw .position(position) }
        do {
            return try tree.proof(index: position)
        } catch {
            throw .position(position)
        }
    }

    /// Whether `proof` shows `leaf` at `position` of the trace committed to by `root`: exactly
    /// `rounds` siblings, a position inside the trace.
    public static func verify(root: Hash32, leaf: Hash32, position: Int, proof: [Hash32]) -> Bool {
        proof.count == rounds && (0..<leafCount).contains(position)
            && MerkleTree.verify(root: root, leaf: leaf, index: position, proof: proof)
    }
}

/// Why a trace commitment cannot be built or opened.
public enum TraceCommitmentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A trace of this many steps (-1: no `R_0`) does not fit.
    case stepCount(Int)
    /// No such leaf position.
    case position(Int)

    public var description: String {
        switch self {
        case .stepCount(let steps) where steps < 0:
            "a trace needs at least R_0 (the parent's root); none was given"
        case .stepCount(let steps):
            "a batch of \(steps) steps does not fit in one trace: at most \(TraceCommitment.maxSteps) steps; close the batch earlier"
        case .position(let position):
            "no leaf \(position) in a trace: positions are 0..<\(TraceCommitment.leafCount)"
        }
    }
}
