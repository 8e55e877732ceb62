/// A feature flag as a manifest declares it (DESIGN.md §5).
///
/// Consensus flags change what blocks mean and switch on at a height on every node alike.
/// Rollout flags change behaviour that need not agree across nodes, for a deterministic share
/// of subjects that only grows as the share grows.
public struct FlagDefinition: Sendable, Hashable {
    public enum Rule: Sendable, Hashable {
        /// Active for every block at or above `height`.
        case consensus(activateAtHeight: UInt64)
        /// Active for subjects whose `keccak(flag ‖ subject) mod 10000` is below `basisPoints`
        /// (10% is 1000 basis points).
        case rollout(basisPoints: UInt16, subject: RolloutSubject)
    }

    /// The flag's name: lowercase words joined by `-`, e.g. `batch-codec-brotli`.
    public let name: String
    public var rule: Rule
    /// A rollout flag's guard, which turns it off when its cohort does worse than the rest.
    public var rolloutGuard: FlagGuard?

    public init(name: String, rule: Rule, rolloutGuard: FlagGuard? = nil) {
        self.name = name
        self.rule = rule
        self.rolloutGuard = rolloutGuard
    }
}

/// What a rollout flag's share is taken over.
public enum RolloutSubject: String, Sendable, Hashable, CaseIterable {
    /// A transaction's sender address (20 bytes).
    case sender
    /// A transaction's recipient address (20 bytes).
    case recipient
    /// The client's IP address, as text.
    case client
}
