
/// The 32-byte hash an attestor signs for one batch (docs/plugins/attest.md, "The message").
///
/// `keccak256("keel-attest-v1" ‖ chainID ‖ batchIndex ‖ previousRoot ‖ root ‖ keccak256(daCommitment) ‖ withdrawalsRoot)`,
/// integers as 8 bytes big-endian, roots as their 32 bytes: 158 bytes hashed. The domain tag keeps
/// an attestation from passing for any other signed Keel message (a block header, a transaction),
/// and the chain id and index keep it from being replayed on another chain or batch.
public enum AttestationMessage {
    /// The domain tag, 14 ASCII bytes.
    public static let domain = Array("keel-attest-v1".utf8)

    /// The bytes that are hashed, before hashing.
    public static func preimage(chainID: UInt64, batchIndex: UInt64, previousRoot: [UInt8], root: [UInt8],
                         daCommitment: [UInt8], withdrawalsRoot: [UInt8]) -> [UInt8] {
        var bytes = domain
        bytes.reserveCapacity(domain.count + 16 + 4 * 32)
        bytes += bigEndian(chainID)
        bytes += bigEndian(batchIndex)
        bytes += word(previousRoot)
        bytes += word(root)
        bytes += Keccak256.hash(daCommitment).bytes
        bytes += word(withdrawalsRoot)
        return bytes
    }

    /// The domain tag of a message that also signs the deposits consumed (ABI 1.2), 14 ASCII bytes.
    public static let domainWithDeposits = Array("keel-attest-v2".utf8)

    /// The hash attestors sign for `transition`: with its deposit count when it has one (v2: the
    /// v1 preimage under the v2 tag, then the count as 8 bytes big-endian), else v1.
    public static func hash(_ transition: Transition) -> Hash32 {
        hash(chainID: transition.chainID, batchIndex: transition.batchIndex, previousRoot: transition.previousRoot, root: transition.root,
             daCommitment: transition.daCommitment, withdrawalsRoot: transition.withdrawalsRoot, depositCount: transition.depositCount)
    }

    /// The same, from a batch's fields.
    public static func hash(chainID: UInt64, batchIndex: UInt64, previousRoot: [UInt8], root: [UInt8], daCommitment: [UInt8],
                            withdrawalsRoot: [UInt8], depositCount: UInt64?) -> Hash32 {
        var bytes = preimage(chainID: chainID, batchIndex: batchIndex, previousRoot: previousRoot, root: root,
                             daCommitment: daCommitment, withdrawalsRoot: withdrawalsRoot)
        if let depositCount {
            bytes.replaceSubrange(0..<domain.count, with: domainWithDeposits)
            bytes += bigEndian(depositCount)
        }
        return Keccak256.hash(bytes)
    }

    public static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    /// A root as exactly 32 bytes (the ABI's roots are fixed arrays; a shorter Swift value is zero-filled).
    public static func word(_ bytes: [UInt8]) -> [UInt8] {
        bytes.count == 32 ? bytes : Array((bytes + [UInt8](repeating: 0, count: 32)).prefix(32))
    }
}
