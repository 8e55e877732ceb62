/// A proof system: shows that a batch's state transition is right, and checks such showings.
///
/// Contract:
/// - `prove` returns the proof, attestation or bonded claim for `transition`; `state` is the
///   pre-state, for systems that re-execute the batch.
/// - `verify` trusts nothing but its arguments and its own configuration, and throws `.rejected`
///   with the reason when the proof does not hold.
/// - Capabilities say what kind of assurance it gives: `proof:validity`, `proof:fault` or
///   `proof:attestation` (the manifest's mode is checked against them).
/// - `disputeMove` (interactive systems only; the default says unsupported) returns the next move.
public protocol ProofSystem: KeelPlugin {
    func prove(_ transition: Transition, state: StateAccessor) throws(PluginError) -> [UInt8]
    func verify(_ transition: Transition, proof: [UInt8]) throws(PluginError)
    /// Whether `disputeMove` is implemented (the table's function is NULL otherwise).
    static var hasDisputes: Bool { get }
    func disputeMove(_ transition: Transition, dispute: [UInt8], state: StateAccessor) throws(PluginError) -> [UInt8]
}

extension ProofSystem {
    public static var hasDisputes: Bool { false }

    public func disputeMove(_ transition: Transition, dispute: [UInt8], state: StateAccessor) throws(PluginError) -> [UInt8] {
        throw PluginError(.unsupported, "\(Self.name) has no disputes")
    }
}
