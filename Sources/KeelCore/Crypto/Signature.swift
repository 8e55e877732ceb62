/// An ECDSA signature on secp256k1 with its recovery id, as Ethereum carries it.
///
/// `r` and `s` are 32-byte big-endian integers; `yParity` (0 or 1) picks which of the two candidate
/// points was the signer's nonce point, which is what lets the public key be recovered.
public struct Signature: Hashable, Sendable, CustomStringConvertible {
    /// The x coordinate of the nonce point, modulo n.
    public var r: Hash32
    /// The proof scalar; Ethereum requires `s <= n/2` in transactions (EIP-2).
    public var s: Hash32
    /// The y-parity (recovery id), 0 or 1.
    public var yParity: UInt8

    /// Wraps the three parts as they are; `Secp256k1.recoverPublicKey` checks their ranges.
    public init(r: Hash32, s: Hash32, yParity: UInt8) {
        self.r = r
        self.s = s
        self.yParity = yParity
    }

    /// The 65 bytes `r ‖ s ‖ yParity`, the layout `eth_sign` and most wallets return (with 0/1 as the last byte).
    public var compactBytes: [UInt8] {
        r.bytes + s.bytes + [yParity]
    }

    /// `r`, `s` and the y-parity in hex.
    public var description: String {
        "Signature(r: \(r), s: \(s), yParity: \(yParity))"
    }

    /// Refuses, with the reason, anything `Secp256k1` would not recover from.
    public func validate(allowHighS: Bool = false) throws(SignatureError) {
        guard yParity <= 1 else { throw SignatureError(.recoveryIdOutOfRange(yParity)) }
        try validateScalars(allowHighS: allowHighS)
    }

    func validateScalars(allowHighS: Bool) throws(SignatureError) {
        if r == .zero { throw SignatureError(.rIsZero) }
        if !(r < Secp256k1.curveOrder) { throw SignatureError(.rNotBelowCurveOrder) }
        if s == .zero { throw SignatureError(.sIsZero) }
        if !(s < Secp256k1.curveOrder) { throw SignatureError(.sNotBelowCurveOrder) }
        if !allowHighS && Secp256k1.halfCurveOrder < s { throw SignatureError(.sInUpperHalf) }
    }
}
