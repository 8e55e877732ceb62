/// Why a signature or key was refused.
public struct SignatureError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The reasons, as cases a caller can switch over.
    public enum Reason: Hashable, Sendable {
        /// `r` is zero.
        case rIsZero
        /// `r` is n (the curve order) or more.
        case rNotBelowCurveOrder
        /// `s` is zero.
        case sIsZero
        /// `s` is n or more.
        case sNotBelowCurveOrder
        /// `s` is above n/2, which Ethereum refuses since Homestead (EIP-2).
        case sInUpperHalf
        /// The recovery id (y-parity) is neither 0 nor 1.
        case recoveryIdOutOfRange(UInt8)
        /// The signature is well-formed but no public key recovers from it.
        case noPublicKeyRecovered
        /// A private key that is zero or not below n.
        case invalidPrivateKey
    }

    /// What was wrong.
    public let reason: Reason

    /// Makes the error for `reason`.
    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .rIsZero:
            "signature refused: r is zero; the signature is corrupt or forged, sign again"
        case .rNotBelowCurveOrder:
            "signature refused: r is not below the secp256k1 curve order n; the signature is corrupt, sign again"
        case .sIsZero:
            "signature refused: s is zero; the signature is corrupt or forged, sign again"
        case .sNotBelowCurveOrder:
            "signature refused: s is not below the secp256k1 curve order n; the signature is corrupt, sign again"
        case .sInUpperHalf:
            "signature refused: s is above n/2 (a high-s signature, invalid since EIP-2); sign again with a wallet that makes low-s signatures"
        case .recoveryIdOutOfRange(let value):
            "signature refused: recovery id (y-parity) is \(value), it must be 0 or 1"
        case .noPublicKeyRecovered:
            "signature refused: no public key recovers from it (r is not the x coordinate of a curve point); the signature is corrupt, sign again"
        case .invalidPrivateKey:
            "private key refused: it must be 32 bytes, not zero and below the secp256k1 curve order n"
        }
    }
}
