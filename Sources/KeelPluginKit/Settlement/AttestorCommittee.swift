
/// The registered attestors (secp256k1 keys, named by address) and how many of them must sign.
///
/// A proof is a concatenation of 65-byte signatures `r ‖ s ‖ yParity` over `AttestationMessage`;
/// it holds when at least `threshold` of them recover to distinct members. A malformed signature,
/// a signer outside the committee or the same signer twice refuses the whole proof, with the reason:
/// a proof carrying junk is a bug or an attack, never something to skip over.
public struct AttestorCommittee: Sendable, Equatable {
    /// The length of one signature in a proof.
    public static let signatureSize = 65

    public let members: [Address]
    public let threshold: Int

    /// A committee as registered earlier (the caller checked it when it was first read).
    public init(members: [Address], threshold: Int) {
        self.members = members
        self.threshold = threshold
    }

    /// Reads `members` (a list of addresses) and `threshold` (k, 1 ≤ k ≤ number of members) from `config`.
    public init(config: PluginConfig) throws(PluginError) {
        var members: [Address] = []
        for (path, value) in try config.list("members") {
            guard case .string(let text) = value else {
                throw PluginError.config(path, "a member must be an address string such as \"0x70997970C51812dc3A010C7d01b50e0d17dc79C8\"")
            }
            guard let address = Address(hex: text) else {
                throw PluginError.config(path, "`\(text)` is not an address: expected 0x and 40 hex digits (mixed case must carry a valid EIP-55 checksum)")
            }
            guard !members.contains(address) else {
                throw PluginError.config(path, "\(address) is listed twice; each attestor counts once, remove the repeat")
            }
            members.append(address)
        }
        guard !members.isEmpty else {
            throw PluginError.config(config.path(of: "members"), "missing `members`: list the attestors' addresses (at least one)")
        }
        let threshold = try config.uint64("threshold")
        guard threshold >= 1, threshold <= UInt64(members.count) else {
            throw PluginError.config(config.path(of: "threshold"),
                                     "`threshold` must be from 1 to the number of members (\(members.count)), not \(threshold)")
        }
        self.members = members
        self.threshold = Int(threshold)
    }

    /// The distinct members that signed `message` in `proof`, in the order of the proof.
    ///
    /// Throws `.invalidArgument` for a proof that is not a whole number of signatures, and
    /// `.rejected` for a signature that recovers to no key, to a non-member, or to a member who
    /// already signed earlier in the proof. Does not judge the count against `threshold`.
    public func signers(of proof: [UInt8], message: Hash32) throws(PluginError) -> [Address] {
        guard !proof.isEmpty else {
            throw PluginError(.rejected, "the attestation is empty; it needs signatures from \(threshold) of the \(members.count) attestors")
        }
        guard proof.count % Self.signatureSize == 0 else {
            throw PluginError(.invalidArgument, "an attestation is a whole number of 65-byte signatures (r ‖ s ‖ yParity); got \(proof.count) bytes")
        }
        var signers: [Address] = []
        for offset in stride(from: 0, to: proof.count, by: Self.signatureSize) {
            let number = offset / Self.signatureSize + 1
            let signer = try Self.recover(proof[offset..<(offset + Self.signatureSize)], message: message, number: number)
            guard members.contains(signer) else {
                throw PluginError(.rejected, "signature \(number) of the attestation recovers to \(signer), which is not one of the \(members.count) registered attestors: "
                                 + "a stranger signed, or the signature is over another transition (chain, batch, roots or DA commitment)")
            }
            guard !signers.contains(signer) else {
                throw PluginError(.rejected, "signature \(number) of the attestation is by \(signer) again (a duplicate); each attestor counts once, send each signature once")
            }
            signers.append(signer)
        }
        return signers
    }

    /// Checks that `proof` holds `threshold` valid signatures from distinct members over `message`.
    public func verify(_ proof: [UInt8], message: Hash32) throws(PluginError) {
        let signers = try signers(of: proof, message: message)
        guard signers.count >= threshold else {
            throw PluginError(.rejected, "the attestation has \(signers.count) valid signature\(signers.count == 1 ? "" : "s") of the \(threshold) required from the \(members.count) attestors; collect more signatures")
        }
    }

    /// The signer of one 65-byte signature; low `s` and a y-parity of 0 or 1 are required.
    public static func recover(_ bytes: ArraySlice<UInt8>, message: Hash32, number: Int) throws(PluginError) -> Address {
        let start = bytes.startIndex
        guard let r = Hash32(bytes: bytes[start..<(start + 32)]), let s = Hash32(bytes: bytes[(start + 32)..<(start + 64)]) else {
            throw PluginError(.invalidArgument, "signature \(number) of the attestation is not 65 bytes")
        }
        do {
            return try Secp256k1.recoverAddress(hash: message, signature: Signature(r: r, s: s, yParity: bytes[start + 64]))
        } catch {
            throw PluginError(.rejected, "signature \(number) of the attestation does not verify: \(error)")
        }
    }
}
