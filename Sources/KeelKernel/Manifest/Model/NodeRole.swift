/// A role a node plays (docs/NODE.md, "Roles"): each is a service of its own, started by the
/// manifest's `node.roles` (or the defaults) and started or stopped at runtime.
public enum NodeRole: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// Orders transactions and makes blocks.
    case sequencer
    /// Closes batches and stores them on DA.
    case batcher
    /// Posts stored batches to the settlement layer.
    case proposer
    /// Re-executes posted batches and attests them with the proof plugin.
    case attestor
    /// Derives the chain from the settlement layer and DA (`keel follow`).
    case follower
    /// Derives the chain like a follower and disputes every root it computes otherwise (`keel challenge`).
    case challenger

    public var description: String { rawValue }

    public static func < (lhs: NodeRole, rhs: NodeRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The roles `keel up` runs when the manifest names none: a sequencer, its batcher and proposer,
    /// and an attestor when the proof plugin declares `proof:attestation` (a declared capability,
    /// not a probe of its config). `keel follow` always runs the follower alone.
    public static func defaults(proofCapabilities: [String]) -> [NodeRole] {
        [.sequencer, .batcher, .proposer] + (proofCapabilities.contains("proof:attestation") ? [.attestor] : [])
    }
}
