import KeelCore

/// A member's promise that it holds a batch: its signature over
/// `keccak256("keel-dac-v1" ‖ chain id (8 bytes big-endian) ‖ keccak256(batch))`
/// (docs/plugins/dac.md, "The signed message"; the `dac` plugin and the `local` bridge check it).
struct DACMemberSigner: Sendable {
    /// The domain tag, 11 ASCII bytes: no other signed Keel message starts with it.
    static let domain = Array("keel-dac-v1".utf8)

    let key: PrivateKey
    /// When set, the only chain this member signs for.
    let chainID: UInt64?

    var address: Address { key.address }

    /// The hash signed for the batch with keccak256 `dataHash` on `chainID`.
    static func message(chainID: UInt64, dataHash: Hash32) -> Hash32 {
        var bytes = domain
        bytes += (0..<8).map { UInt8(truncatingIfNeeded: chainID >> (56 - 8 * $0)) }
        bytes += dataHash.bytes
        return Keccak256.hash(bytes)
    }

    /// The 65-byte signature `r ‖ s ‖ yParity` (yParity 0 or 1) for `dataHash` on `chainID`.
    func sign(dataHash: Hash32, chainID: UInt64) -> [UInt8] {
        key.sign(hash: Self.message(chainID: chainID, dataHash: dataHash)).compactBytes
    }
}
