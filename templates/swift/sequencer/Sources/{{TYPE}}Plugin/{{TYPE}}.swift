import KeelPluginKit

/// sequencer {{NAME}}: one sequencer that orders by tip and signs headers with its secp256k1 key.
///
/// Written by `keel new plugin --kind sequencer --lang swift`. It is complete, builds with
/// `swift build`, and passes Keel's sequencer conformance suite (`swift test`). Make it yours:
///
/// - REPLACE `isLeader` for rotation or consensus: this node leads at every height if it holds the
///   key, and never if it only verifies.
/// - REPLACE `order`'s policy if you like (first come first served, fair ordering…), and
///   KEEP its rules: each sender's nonces increasing without gaps, the total gas within the limit,
///   nothing that cannot pay the base fee.
/// - KEEP keys in files, never in the manifest, and never log them.
///
/// A header signature is the 65 bytes `r ‖ s ‖ yParity` of an ECDSA signature over the header hash
/// (RFC 6979, low s), and verifies when it recovers the sequencer's address.
/// Config: `key_file` (the sequencer's private key as hex, mode 0600) to sign, and/or `address`
/// (the sequencer's address) to verify only; with both, the key must be the address's.
/// Thread-safe: the instance holds only constants.
final class {{TYPE}}: SequencerConsensus, Sendable {
    static let name = "{{NAME}}"
    static let version = "0.1.0"
    static let capabilities = ["thread-safe"]

    private let key: PrivateKey?
    private let sequencer: Address

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        try config.allowKeys(["key_file", "address"])
        var key: PrivateKey?
        if let path = try config.optionalString("key_file") {
            do {
                key = try PrivateKey(contentsOfFile: path)
            } catch {
                throw PluginError.config("key_file", "\(error)")
            }
        }
        if let text = try config.optionalString("address") {
            guard let address = Address(hex: text) else {
                throw PluginError.config("address", "`address` must be a 20-byte address as 0x and 40 hex digits")
            }
            if let key, key.address != address {
                throw PluginError.config("key_file", "the key in key_file is the key of \(key.address), not of `address` \(address)")
            }
            sequencer = address
        } else if let key {
            sequencer = key.address
        } else {
            throw PluginError.config("key_file", "give `key_file` (to sequence and sign) or `address` (to verify only)")
        }
        self.key = key
    }

    func isLeader(height: UInt64) throws(PluginError) -> Bool {
        key != nil // REPLACE: a single sequencer leads at every height
    }

    /// Greedy by tip: each sender's transactions form a queue in nonce order (up to the first gap);
    /// the head with the highest tip goes next (earlier arrival first on a tie); a head that does not
    /// fit the gas left drops its sender's queue, since its later nonces need it first.
    func order(_ candidates: [OrderCandidate], baseFee: UInt128, gasLimit: UInt64) throws(PluginError) -> [Int] {
        var queues: [[Int]] = Dictionary(grouping: candidates.indices.filter { candidates[$0].maxFeePerGas >= baseFee },
                                         by: { candidates[$0].sender })
            .values
            .map { indices in
                var queue: [Int] = []
                for index in indices.sorted(by: { (candidates[$0].nonce, candidates[$0].arrival) < (candidates[$1].nonce, candidates[$1].arrival) }) {
                    guard let last = queue.last else { queue.append(index); continue }
                    if candidates[index].nonce == candidates[last].nonce { continue } // the same nonce again
                    if candidates[index].nonce != candidates[last].nonce + 1 { break } // a gap
                    queue.append(index)
                }
                return queue
            }
        func tip(_ c: OrderCandidate) -> UInt128 { min(c.maxPriorityFeePerGas, c.maxFeePerGas - baseFee) }
        var chosen: [Int] = []
        var gasLeft = gasLimit
        while let best = queues.indices.filter({ !queues[$0].isEmpty }).max(by: { a, b in
            let x = candidates[queues[a][0]], y = candidates[queues[b][0]]
            return (tip(x), y.arrival) < (tip(y), x.arrival)
        }) {
            let index = queues[best].removeFirst()
            guard candidates[index].gasLimit <= gasLeft else {
                queues[best] = []
                continue
            }
            gasLeft -= candidates[index].gasLimit
            chosen.append(index)
        }
        return chosen
    }

    func signHeader(_ hash: [UInt8]) throws(PluginError) -> [UInt8] {
        guard let key else {
            throw PluginError(.unsupported, "this node has no key_file: it verifies headers but cannot sign them")
        }
        guard let digest = Hash32(bytes: hash) else {
            throw PluginError(.invalidArgument, "a header hash is 32 bytes, not \(hash.count)")
        }
        return key.sign(hash: digest).compactBytes
    }

    func verifyHeader(height: UInt64, hash: [UInt8], signature: [UInt8]) throws(PluginError) {
        // REPLACE: with rotation, look up the sequencer of `height`.
        guard let digest = Hash32(bytes: hash) else {
            throw PluginError(.invalidArgument, "a header hash is 32 bytes, not \(hash.count)")
        }
        guard signature.count == 65, let r = Hash32(bytes: signature[0..<32]), let s = Hash32(bytes: signature[32..<64]) else {
            throw PluginError(.invalidArgument, "a {{NAME}} header signature is 65 bytes (r, s, y-parity), not \(signature.count)")
        }
        let signer: Address
        do {
            signer = try Secp256k1.recoverAddress(hash: digest, signature: Signature(r: r, s: s, yParity: signature[64]))
        } catch {
            throw PluginError(.rejected, "the header signature is invalid: \(error)")
        }
        guard signer == sequencer else {
            throw PluginError(.rejected, "the header is signed by \(signer), not by the sequencer \(sequencer)")
        }
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: {{TYPE}}.self) }
