import KeelABI

/// Why an execution plugin refused a transaction (`KEEL_REFUSAL_*`, ABI 1.1): the rule, as a code
/// the mempool and JSON-RPC act on, beside the message a user reads.
public enum TransactionRefusal: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    /// No code: a plugin built for ABI 1.0, or a refusal the plugin did not classify.
    case unspecified = 0
    case nonceTooLow = 1
    case nonceTooHigh = 2
    case nonceMax = 3
    case feeBelowBaseFee = 4
    case tipAboveFeeCap = 5
    case insufficientFunds = 6
    case intrinsicGas = 7
    /// The gas limit does not fit in what is left of the block being built.
    case blockGasExhausted = 8
    /// The gas limit is above any block's gas limit.
    case gasLimitTooHigh = 9
    case chainID = 10
    case signature = 11
    case unsupportedType = 12
    case malformed = 13
    case depositOrder = 14
    /// A rule that a consensus flag switched on.
    case featureRule = 15
    case other = 255

    /// A code a newer plugin sent that this kernel does not know reads as `.other`.
    public init(code: UInt32) {
        self = TransactionRefusal(rawValue: code) ?? .other
    }

    /// Whether a later block may include the transaction after all: a missing earlier nonce may
    /// arrive, a full block is followed by an empty one, the base fee may fall. The mempool keeps
    /// such a transaction and drops every other refused one.
    public var mayLaterSucceed: Bool {
        switch self {
        case .nonceTooHigh, .blockGasExhausted, .feeBelowBaseFee: true
        default: false
        }
    }

    /// The code's name as JSON-RPC errors report it, e.g. `nonce-too-low`.
    public var description: String {
        switch self {
        case .unspecified: "unspecified"
        case .nonceTooLow: "nonce-too-low"
        case .nonceTooHigh: "nonce-too-high"
        case .nonceMax: "nonce-max"
        case .feeBelowBaseFee: "fee-below-base-fee"
        case .tipAboveFeeCap: "tip-above-fee-cap"
        case .insufficientFunds: "insufficient-funds"
        case .intrinsicGas: "intrinsic-gas"
        case .blockGasExhausted: "block-gas-exhausted"
        case .gasLimitTooHigh: "gas-limit-too-high"
        case .chainID: "chain-id"
        case .signature: "signature"
        case .unsupportedType: "unsupported-type"
        case .malformed: "malformed"
        case .depositOrder: "deposit-order"
        case .featureRule: "feature-rule"
        case .other: "other"
        }
    }
}
