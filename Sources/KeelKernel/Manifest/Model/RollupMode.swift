/// What kind of rollup a manifest assembles: how transitions are proven and where data lives.
///
/// The mode is a promise to users; the kernel checks it against what the chosen proof and DA
/// plugins declare (`diagnostics(proof:da:at:)`).
public enum RollupMode: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Validity proofs; data on the settlement layer.
    case zk
    /// Fault proofs with a challenge window; data on the settlement layer.
    case optimistic
    /// Validity proofs; data held off-chain (a DA committee, an alt-DA service).
    case validium
    /// Fault proofs; data held off-chain.
    case optimium
    /// Both validity and fault proofs; final at whichever comes first.
    case hybrid
    /// Transitions signed by a set of attestors that re-execute them.
    case attested

    /// The word used in manifests: `zk`, `optimistic`, `validium`, `optimium`, `hybrid`, `attested`.
    public var description: String { rawValue }
}
