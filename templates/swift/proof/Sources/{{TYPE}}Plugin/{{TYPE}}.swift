import KeelPluginKit

/// proof {{NAME}}: an attestation: the attestor signs every field of a batch's state transition.
///
/// Written by `keel new plugin --kind proof --lang swift`. It is complete, builds with
/// `swift build`, and passes Keel's proof conformance suite (`swift test`). Make it yours:
///
/// - REPLACE `prove`: it attests to whatever transition it is given. A real attestor re-executes
///   `transition.batch` from `state` (the pre-state) and refuses if the roots differ; a validity
///   prover produces a proof of that execution instead of a signature.
/// - REPLACE one attestor with k of n if you like: collect signatures, and have `verify` count
///   distinct known signers.
/// - KEEP `verify`'s rule: trust nothing but its arguments and the configuration.
///
/// The proof is the 65 bytes `r ‖ s ‖ yParity` of an ECDSA signature (secp256k1) over
/// `keccak256(domain ‖ chain id ‖ batch index ‖ first block ‖ last block ‖ previous root ‖ root ‖
/// withdrawals root ‖ keccak256(DA commitment) ‖ keccak256(batch))`, so it holds for no other
/// transition; it verifies when it recovers the attestor's address.
/// Config: `key_file` (the attestor's private key as hex, mode 0600) to prove, and/or `attestor`
/// (its address) to verify only; with both, the key must be the address's.
/// Thread-safe: the instance holds only constants.
final class {{TYPE}}: ProofSystem, Sendable {
    static let name = "{{NAME}}"
    static let version = "0.1.0"
    /// REPLACE with what your proof gives: proof:validity, proof:fault or proof:attestation (the mode checks it).
    static let capabilities = ["thread-safe", "proof:attestation"]
    static let domain = Array("keel-attestation-{{NAME}}-v1".utf8)

    private let key: PrivateKey?
    private let attestor: Address

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        try config.allowKeys(["key_file", "attestor"])
        var key: PrivateKey?
        if let path = try config.optionalString("key_file") {
            do {
                key = try PrivateKey(contentsOfFile: path)
            } catch {
                throw PluginError.config("key_file", "\(error)")
            }
        }
        if let text = try config.optionalString("attestor") {
            guard let address = Address(hex: text) else {
                throw PluginError.config("attestor", "`attestor` must be a 20-byte address as 0x and 40 hex digits")
            }
            if let key, key.address != address {
                throw PluginError.config("key_file", "the key in key_file is the key of \(key.address), not of `attestor` \(address)")
            }
            attestor = address
        } else if let key {
            attestor = key.address
        } else {
            throw PluginError.config("key_file", "give `key_file` (to attest) or `attestor` (to verify only)")
        }
        self.key = key
    }

    func prove(_ transition: Transition, state: StateAccessor) throws(PluginError) -> [UInt8] {
        // REPLACE: re-execute transition.batch against `state` and compare the roots before signing.
        guard let key else {
            throw PluginError(.unsupported, "this node has no key_file: it verifies attestations but cannot make them")
        }
        return key.sign(hash: try Self.digest(transition)).compactBytes
    }

    func verify(_ transition: Transition, proof: [UInt8]) throws(PluginError) {
        guard proof.count == 65, let r = Hash32(bytes: proof[0..<32]), let s = Hash32(bytes: proof[32..<64]) else {
            throw PluginError(.invalidArgument, "a {{NAME}} proof is 65 bytes (r, s, y-parity), not \(proof.count)")
        }
        let signer: Address
        do {
            signer = try Secp256k1.recoverAddress(hash: try Self.digest(transition), signature: Signature(r: r, s: s, yParity: proof[64]))
        } catch let error as PluginError {
            throw error
        } catch {
            throw PluginError(.rejected, "the attestation's signature is invalid: \(error)")
        }
        guard signer == attestor else {
            throw PluginError(.rejected, "the attestation does not hold for this transition: it recovers \(signer), "
                              + "not the attestor \(attestor) (a field differs, or another key signed it)")
        }
    }

    /// What the attestor signs: every field, fixed width, in a fixed order.
    static func digest(_ t: Transition) throws(PluginError) -> Hash32 {
        guard t.previousRoot.count == 32, t.root.count == 32, t.withdrawalsRoot.count == 32 else {
            throw PluginError(.invalidArgument, "the transition's roots must be 32 bytes each")
        }
        var hasher = Keccak256.Hasher()
        hasher.absorb(domain)
        for number in [t.chainID, t.batchIndex, t.firstBlock, t.lastBlock] {
            hasher.absorb((0..<8).map { UInt8(truncatingIfNeeded: number >> (56 - 8 * $0)) }) // big-endian
        }
        hasher.absorb(t.previousRoot)
        hasher.absorb(t.root)
        hasher.absorb(t.withdrawalsRoot)
        hasher.absorb(Keccak256.hash(t.daCommitment).bytes)
        hasher.absorb(Keccak256.hash(t.batch).bytes)
        return hasher.finish()
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: {{TYPE}}.self) }
