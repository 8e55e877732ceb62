import Foundation
import KeelPluginKit

/// proof attest: k of n attestors, each a secp256k1 key, sign each batch's transition
/// (docs/plugins/attest.md).
///
/// Config: `members` (the attestors' addresses), `threshold` (k), and optionally `key_file` (this
/// attestor's key, a 0600 file holding `0x` and 64 hex digits) for `prove`. `prove` returns this
/// attestor's one signature; `verify` takes a concatenation of signatures and holds when k of them
/// are from distinct members. Thread-safe: an instance holds only immutable values.
final class AttestProof: ProofSystem, @unchecked Sendable {
    // @unchecked: every stored property is immutable and Sendable; the class is final.
    static let name = "attest"
    static let version = "1.0.0"
    static let capabilities = ["thread-safe", "proof:attestation"]

    let committee: AttestorCommittee
    private let key: PrivateKey?

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        try config.allowKeys(["members", "threshold", "key_file"])
        committee = try AttestorCommittee(config: config)
        if let path = try config.optionalString("key_file") {
            let key: PrivateKey
            do {
                key = try PrivateKey(contentsOfFile: path)
            } catch {
                throw PluginError.config("key_file", error.description)
            }
            guard committee.members.contains(key.address) else {
                throw PluginError.config("key_file", "the key in \(path) is attestor \(key.address), which is not among `members`; add its address to `members` or use a member's key")
            }
            self.key = key
        } else {
            key = nil
        }
    }

    /// This attestor's signature (65 bytes) over the transition's attestation message.
    ///
    /// The kernel calls `prove` on an attestor node only after it has re-executed the batch and
    /// reached the same root; the plugin signs what it is given.
    func prove(_ transition: Transition, state: StateAccessor) throws(PluginError) -> [UInt8] {
        guard let key else {
            throw PluginError(.unsupported, "this attest instance has no `key_file`, so it can verify attestations but not make one; configure the attestor's key file")
        }
        return key.sign(hash: AttestationMessage.hash(transition)).compactBytes
    }

    func verify(_ transition: Transition, proof: [UInt8]) throws(PluginError) {
        try committee.verify(proof, message: AttestationMessage.hash(transition))
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: AttestProof.self) }
