import KeelPluginKit

/// sequencer single: one sequencer, one key. It signs every block header with its secp256k1 key
/// (read from a 0600 file, never logged) and orders transactions by effective tip, keeping each
/// sender's nonces in order (`TipOrdering`). Followers configure only the sequencer's address and
/// check signatures against it.
///
/// Config (docs/plugins/single.md): `key_file` (the sequencer), `address` (a follower, or a check
/// of the key's address); at least one of them.
/// Thread-safe: an instance holds only immutable values.
final class SingleSequencer: SequencerConsensus, Sendable {
    static let name = "single"
    static let version = "1.0.0"
    static let capabilities = ["thread-safe"]
    /// `r ‖ s ‖ yParity`, as the block header carries it (docs/FORMATS.md).
    static let signatureSize = 65

    /// The key that signs headers; nil on a follower.
    let key: PrivateKey?
    /// The address every header must be signed by.
    let sequencer: Address

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        try config.allowKeys(["key_file", "address"])
        var configured: Address?
        if let text = try config.optionalString("address") {
            guard let address = Address(hex: text) else {
                throw PluginError.config(config.path(of: "address"), "`address` must be 0x and 40 hex digits (mixed case only with a valid EIP-55 checksum), not \(text)")
            }
            configured = address
        }
        var key: PrivateKey?
        if let path = try config.optionalString("key_file") {
            do throws(PrivateKeyFileError) {
                key = try PrivateKey(contentsOfFile: path)
            } catch {
                throw PluginError.config(config.path(of: "key_file"), error.description)
            }
        }
        switch (key, configured) {
        case (nil, nil):
            throw PluginError.config(config.path(of: "key_file"), "set `key_file` (the sequencer's key, a 0600 file) on the sequencer, or `address` (the sequencer's address) on a follower")
        case (let key?, let configured?) where key.address != configured:
            throw PluginError.config(config.path(of: "address"), "the key in `key_file` belongs to \(key.address), not to `address` \(configured); fix one of them")
        default:
            break
        }
        self.key = key
        guard let sequencer = configured ?? key?.address else {
            throw PluginError(.internalError, "no sequencer address after checking the config")
        }
        self.sequencer = sequencer
        host.log(.info, key == nil ? "following sequencer \(sequencer)" : "signing blocks as sequencer \(sequencer)")
    }

    /// The node holding the key leads at every height; a follower never does.
    func isLeader(height: UInt64) throws(PluginError) -> Bool { key != nil }

    func order(_ candidates: [OrderCandidate], baseFee: UInt128, gasLimit: UInt64) throws(PluginError) -> [Int] {
        TipOrdering.order(candidates, baseFee: baseFee, gasLimit: gasLimit)
    }

    func signHeader(_ hash: [UInt8]) throws(PluginError) -> [UInt8] {
        guard let key else {
            throw PluginError(.unsupported, "this node has no sequencer key (only `address` \(sequencer) is configured): a follower cannot sign blocks; set `key_file` to sequence")
        }
        return key.sign(hash: try Self.hash(hash)).compactBytes
    }

    func verifyHeader(height: UInt64, hash: [UInt8], signature: [UInt8]) throws(PluginError) {
        let digest = try Self.hash(hash)
        guard signature.count == Self.signatureSize else {
            throw PluginError(.invalidArgument, "the signature of block \(height) is \(signature.count) bytes; a sequencer signature is 65 bytes (r ‖ s ‖ yParity)")
        }
        guard let r = Hash32(bytes: signature[0..<32]), let s = Hash32(bytes: signature[32..<64]) else {
            throw PluginError(.internalError, "could not split a 65-byte signature")
        }
        let signer: Address
        do throws(SignatureError) {
            signer = try Secp256k1.recoverAddress(hash: digest, signature: Signature(r: r, s: s, yParity: signature[64]))
        } catch {
            throw PluginError(.rejected, "block \(height) carries an invalid sequencer signature: \(error)")
        }
        guard signer == sequencer else {
            throw PluginError(.rejected, "block \(height) is signed by \(signer), not by the sequencer \(sequencer); refuse the block")
        }
    }

    static func hash(_ bytes: [UInt8]) throws(PluginError) -> Hash32 {
        guard let hash = Hash32(bytes: bytes) else {
            throw PluginError(.invalidArgument, "a header hash is 32 bytes, not \(bytes.count)")
        }
        return hash
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: SingleSequencer.self) }
