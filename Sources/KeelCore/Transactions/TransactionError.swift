/// Why a transaction was refused, in words a wallet user can act on.
public struct TransactionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The reasons, as cases a caller can switch over.
    public enum Reason: Hashable, Sendable {
        /// No bytes were given.
        case empty
        /// The raw transaction is larger than the limit (128 KiB).
        case tooLarge(size: Int, limit: Int)
        /// The bytes are not a well-formed, canonical transaction encoding.
        case malformed(RLPError)
        /// A known Ethereum type Keel does not accept: 0x03 (blob, EIP-4844), 0x04 (set code, EIP-7702).
        case unsupportedType(UInt8)
        /// A type byte no Ethereum transaction uses.
        case unknownType(UInt8)
        /// A deposit (type 0x7e) was sent as a user transaction; deposits come only from the bridge.
        case depositNotAccepted
        /// The bytes are not a deposit transaction (`decodeDeposit`).
        case notADeposit(firstByte: UInt8?)
        /// A legacy `v` that is neither 27/28 nor `35 + 2·chainId + {0, 1}`.
        case invalidV(UInt64)
        /// A typed transaction's y-parity that is neither 0 nor 1.
        case invalidYParity(UInt64)
        /// The signature was refused (zero or out-of-range `r`/`s`, high `s`, or nothing recovers).
        case invalidSignature(SignatureError)
        /// Signing a legacy transaction whose chain id does not fit an EIP-155 `v` in 64 bits.
        case chainIdTooLargeForLegacy(UInt64)
    }

    /// What was wrong.
    public let reason: Reason

    /// Makes the error for `reason`.
    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String {
        "transaction refused: " + explanation
    }

    private var explanation: String {
        switch reason {
        case .empty:
            return "no transaction bytes were given"
        case .tooLarge(let size, let limit):
            return "it is \(size) bytes, over the limit of \(limit) bytes (128 KiB); send less call data"
        case .malformed(let error):
            if case .integerTooWide(let bits) = error.rule, let field = error.field {
                return "the \(field) field is too large: it does not fit in \(bits) bits"
                    + (bits == 128 ? " (amounts of 2^128 wei or more are not supported)" : "")
            }
            return "it is not a valid transaction encoding (\(error)); the wallet or library that made it is broken"
        case .unsupportedType(let type):
            let name = type == 0x03 ? "blob transactions (type 3, EIP-4844)" : "set-code transactions (type 4, EIP-7702)"
            return "transaction type not supported: \(name) are not accepted; send a legacy, EIP-2930 or EIP-1559 transaction"
        case .unknownType(let type):
            return "unknown transaction type 0x\(String(type, radix: 16)); send a legacy, EIP-2930 or EIP-1559 transaction"
        case .depositNotAccepted:
            return "deposit transactions (type 0x7e) cannot be sent by users; deposits enter the rollup only through the bridge"
        case .notADeposit(let first):
            return "not a deposit transaction: it starts with "
                + (first.map { "0x" + String($0, radix: 16) } ?? "nothing") + ", a deposit starts with 0x7e"
        case .invalidV(let v):
            return "invalid signature v = \(v): it must be 27 or 28, or 35 + 2·chainId (+1) with EIP-155"
        case .invalidYParity(let parity):
            return "invalid signature y-parity \(parity): it must be 0 or 1"
        case .invalidSignature(let error):
            switch error.reason {
            case .sInUpperHalf:
                return "invalid signature: s is in the upper half of the curve order (a high-s signature, invalid since EIP-2); "
                    + "sign again with an up-to-date wallet"
            case .rIsZero, .rNotBelowCurveOrder:
                return "invalid signature: r is zero or not below the curve order; the signature is corrupt, sign again"
            case .sIsZero, .sNotBelowCurveOrder:
                return "invalid signature: s is zero or not below the curve order; the signature is corrupt, sign again"
            default:
                return "invalid signature: \(error)"
            }
        case .chainIdTooLargeForLegacy(let chainId):
            return "chain id \(chainId) is too large for a legacy (EIP-155) signature; use an EIP-1559 transaction"
        }
    }
}
