import KeelPluginKit

/// What a committee member signs for a stored batch (docs/plugins/dac.md, "The signed message"):
///
/// `keccak256("keel-dac-v1" ‖ chain id (8 bytes big-endian) ‖ keccak256(batch))`
///
/// The domain tag keeps a member's signature from passing for any other signed Keel message (an
/// attestation, a block header, a transaction); the chain id keeps it from being replayed on
/// another chain that trusts the same member.
enum DACStoreMessage {
    /// The domain tag, 11 ASCII bytes.
    static let domain = Array("keel-dac-v1".utf8)

    /// The 32-byte hash a member signs for the batch whose keccak256 is `dataHash`, on `chainID`.
    static func hash(chainID: UInt64, dataHash: Hash32) -> Hash32 {
        var bytes = domain
        bytes.reserveCapacity(domain.count + 8 + 32)
        bytes += (0..<8).map { UInt8(truncatingIfNeeded: chainID >> (56 - 8 * $0)) }
        bytes += dataHash.bytes
        return Keccak256.hash(bytes)
    }
}

/// A data availability certificate: the batch's hash, which members signed (a bitmap over the
/// committee's order) and their signatures, in member order.
///
/// Bytes: `data hash (32) ‖ bitmap (⌈n/8⌉) ‖ signature (65) × popcount(bitmap)`. Member `i` is bit
/// `i % 8` (value `1 << (i % 8)`) of bitmap byte `i / 8`; bits past the last member are zero. Each
/// signature is `r ‖ s ‖ yParity` (yParity 0 or 1) over `DACStoreMessage`.
struct DACCertificate: Sendable, Equatable {
    static let signatureSize = 65

    let dataHash: Hash32
    /// The signing members' positions in the committee, increasing.
    let signers: [Int]
    /// One 65-byte signature per signer, in the same order.
    let signatures: [[UInt8]]

    /// The bitmap's length for a committee of `memberCount`.
    static func bitmapSize(memberCount: Int) -> Int { (memberCount + 7) / 8 }

    /// The certificate's bytes for a committee of `memberCount` (without the provider id byte).
    func encoded(memberCount: Int) -> [UInt8] {
        var bitmap = [UInt8](repeating: 0, count: Self.bitmapSize(memberCount: memberCount))
        for position in signers { bitmap[position / 8] |= 1 << UInt8(position % 8) }
        var bytes = dataHash.bytes + bitmap
        for signature in signatures { bytes += signature }
        return bytes
    }

    /// Reads a certificate for a committee of `memberCount`; throws `.invalidArgument` for bytes of
    /// the wrong shape (length, bitmap bits past the committee, signature count against the bitmap).
    init<Bytes: Collection<UInt8>>(bytes: Bytes, memberCount: Int) throws(PluginError) where Bytes.Index == Int {
        let bitmapSize = Self.bitmapSize(memberCount: memberCount)
        guard bytes.count >= 32 + bitmapSize, let dataHash = Hash32(bytes: bytes.prefix(32)) else {
            throw PluginError(.invalidArgument, "a dac certificate is at least \(32 + bitmapSize) bytes (data hash and signer bitmap for \(memberCount) members); got \(bytes.count)")
        }
        let start = bytes.startIndex
        let bitmap = Array(bytes[(start + 32)..<(start + 32 + bitmapSize)])
        var signers: [Int] = []
        for position in 0..<(bitmapSize * 8) where bitmap[position / 8] & (1 << UInt8(position % 8)) != 0 {
            guard position < memberCount else {
                throw PluginError(.invalidArgument, "the dac certificate's bitmap sets bit \(position), but the committee has \(memberCount) members (bits 0–\(memberCount - 1))")
            }
            signers.append(position)
        }
        let rest = bytes.count - 32 - bitmapSize
        guard rest == signers.count * Self.signatureSize else {
            throw PluginError(.invalidArgument, "the dac certificate's bitmap names \(signers.count) signers but it carries \(rest) bytes of signatures; "
                              + "expected \(signers.count * Self.signatureSize) (65 per signer)")
        }
        var signatures: [[UInt8]] = []
        for index in signers.indices {
            let offset = start + 32 + bitmapSize + index * Self.signatureSize
            signatures.append(Array(bytes[offset..<(offset + Self.signatureSize)]))
        }
        self.dataHash = dataHash
        self.signers = signers
        self.signatures = signatures
    }

    init(dataHash: Hash32, signers: [Int], signatures: [[UInt8]]) {
        self.dataHash = dataHash
        self.signers = signers
        self.signatures = signatures
    }

    /// The address that made a 65-byte signature over `message`, or nil if it recovers to none.
    static func recover(_ signature: [UInt8], message: Hash32) -> Address? {
        guard signature.count == signatureSize, let r = Hash32(bytes: signature[0..<32]), let s = Hash32(bytes: signature[32..<64]) else { return nil }
        return try? Secp256k1.recoverAddress(hash: message, signature: Signature(r: r, s: s, yParity: signature[64]))
    }

    /// Checks that at least `threshold` signatures are by the members their bits name, over this
    /// certificate's data hash on `chainID`. Throws `.invalidArgument` naming the first bad one.
    func verify(members: [Address], threshold: Int, chainID: UInt64) throws(PluginError) {
        guard signers.count >= threshold else {
            throw PluginError(.invalidArgument, "the dac certificate has \(signers.count) signature\(signers.count == 1 ? "" : "s"); the committee needs \(threshold)")
        }
        let message = DACStoreMessage.hash(chainID: chainID, dataHash: dataHash)
        for (position, signature) in zip(signers, signatures) {
            let signer = Self.recover(signature, message: message)
            guard signer == members[position] else {
                throw PluginError(.invalidArgument, "the dac certificate's signature for member \(position) (\(members[position])) "
                                  + (signer.map { "recovers to \($0)" } ?? "does not verify") + "; the certificate is forged or damaged")
            }
        }
    }
}
