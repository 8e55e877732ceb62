import KeelKernel

/// What a block at a height must be beyond what the execution plugin decides: its gas limit. The
/// manifest's `node.gas_limit`, doubled for every block from the height the consensus flag
/// `gas-limit-x2` activates (docs/FLAGS.md, "Consensus features"). The sequencer builds blocks by
/// it and every replayer (attestor, follower) refuses a header that breaks it.
struct ChainRules: Sendable {
    /// The consensus flag that doubles the block gas limit from its activation height.
    static let gasLimitDoubling = "gas-limit-x2"

    let flags: FeatureFlags
    let baseGasLimit: UInt64

    func gasLimit(atHeight height: UInt64) -> UInt64 {
        flags.isActive(Self.gasLimitDoubling, atHeight: height) ? baseGasLimit.multipliedReportingOverflow(by: 2).partialValue : baseGasLimit
    }
}
