import CSecp256k1

/// ECDSA on secp256k1 as Ethereum uses it, through the system libsecp256k1.
///
/// One library context is created on first use and shared by every thread: libsecp256k1 allows
/// concurrent calls on a context as long as none of them modifies it, and Keel never modifies it
/// after creation (it is randomized once, before anyone else can see it).
public enum Secp256k1 {
    /// The order n of the curve's group, big-endian.
    public static let curveOrder = Hash32(hex: "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141") ?? .zero

    /// n / 2 (rounded down): the largest `s` Ethereum accepts in a transaction signature (EIP-2).
    public static let halfCurveOrder = Hash32(hex: "0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0") ?? .zero

    /// Signs the 32-byte `hash` with `key`: RFC 6979 deterministic nonce, low-s, with the recovery id.
    public static func sign(hash: Hash32, key: PrivateKey) -> Signature {
        var recoverable = secp256k1_ecdsa_recoverable_signature()
        let signed = hash.withUnsafeBytes { message in
            key.withUnsafeSecretBytes { secret in
                secp256k1_ecdsa_sign_recoverable(
                    SigningContext.shared.pointer, &recoverable,
                    message.baseAddress!.assumingMemoryBound(to: UInt8.self),
                    secret.baseAddress!.assumingMemoryBound(to: UInt8.self), nil, nil)
            }
        }
        // A PrivateKey is checked when it is made, so signing cannot fail; the check stays for safety.
        precondition(signed == 1, "libsecp256k1 refused a private key that passed secp256k1_ec_seckey_verify")
        var compact = [UInt8](repeating: 0, count: 64)
        var recoveryId: Int32 = 0
        _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(
            SigningContext.shared.pointer, &compact, &recoveryId, &recoverable)
        return Signature(
            r: Hash32(bytes: compact[0..<32]) ?? .zero,
            s: Hash32(bytes: compact[32..<64]) ?? .zero,
            yParity: UInt8(truncatingIfNeeded: recoveryId))
    }

    /// The public key that made `signature` over `hash`.
    ///
    /// Refuses `r` or `s` that is zero or not below n, a y-parity other than 0 or 1, and (unless
    /// `allowHighS`, as the `ecrecover` precompile does) an `s` above n/2, as EIP-2 requires of
    /// transactions.
    public static func recoverPublicKey(hash: Hash32, signature: Signature, allowHighS: Bool = false) throws(SignatureError) -> PublicKey {
        try signature.validate(allowHighS: allowHighS)
        var compact = (signature.r.storage, signature.s.storage)
        var output = PublicKey.zeroStorage
        let status = withUnsafeBytes(of: &compact) { compactBytes in
            hash.withUnsafeBytes { message in
                withUnsafeMutableBytes(of: &output) { out in
                    rawRecover(
                        hash: message.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        compactSignature: compactBytes.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        recoveryId: Int32(signature.yParity),
                        uncompressedPublicKey: out.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        guard status else { throw SignatureError(.noPublicKeyRecovered) }
        return PublicKey(uncompressedStorage: output)
    }

    /// The address that made `signature` over `hash`: the last 20 bytes of the Keccak-256 of the
    /// recovered public key. Refuses what `recoverPublicKey` refuses.
    public static func recoverAddress(hash: Hash32, signature: Signature, allowHighS: Bool = false) throws(SignatureError) -> Address {
        try recoverPublicKey(hash: hash, signature: signature, allowHighS: allowHighS).address
    }

    /// Whether `signature` over `hash` was made by the key of `publicKey`. A high-s signature is
    /// `false`, as are out-of-range `r` or `s`; the y-parity is not used.
    public static func verify(hash: Hash32, signature: Signature, publicKey: PublicKey) -> Bool {
        guard (try? signature.validateScalars(allowHighS: false)) != nil else { return false }
        let context = SigningContext.shared.pointer
        var parsedKey = secp256k1_pubkey()
        var encodedKey = [UInt8](repeating: 0x04, count: 65)
        publicKey.withUnsafeBytes { key in
            for index in 0..<64 { encodedKey[index + 1] = key[index] }
        }
        guard secp256k1_ec_pubkey_parse(context, &parsedKey, encodedKey, 65) == 1 else { return false }
        var compact = (signature.r.storage, signature.s.storage)
        var parsedSignature = secp256k1_ecdsa_signature()
        let parsed = withUnsafeBytes(of: &compact) { bytes in
            secp256k1_ecdsa_signature_parse_compact(context, &parsedSignature, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard parsed == 1 else { return false }
        return hash.withUnsafeBytes { message in
            secp256k1_ecdsa_verify(context, &parsedSignature, message.baseAddress!.assumingMemoryBound(to: UInt8.self), &parsedKey) == 1
        }
    }

    /// The bare library call, with no checks of Keel's own: parse the 64-byte compact signature
    /// (`r ‖ s`, big-endian) with `recoveryId`, recover, and write the 64-byte uncompressed public
    /// key (without its 0x04 prefix). Returns `false` where libsecp256k1 fails.
    ///
    /// This is the benchmark hook that measures Keel's overhead over libsecp256k1 (see
    /// docs/PERFORMANCE.md); everything else should call `recoverPublicKey`, which refuses high-s.
    @inline(__always)
    public static func rawRecover(
        hash: UnsafePointer<UInt8>, compactSignature: UnsafePointer<UInt8>, recoveryId: Int32,
        uncompressedPublicKey output: UnsafeMutablePointer<UInt8>
    ) -> Bool {
        let context = SigningContext.shared.pointer
        var signature = secp256k1_ecdsa_recoverable_signature()
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(context, &signature, compactSignature, recoveryId) == 1 else {
            return false
        }
        var key = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(context, &key, &signature, hash) == 1 else { return false }
        return serializeUncompressed(&key, into: output)
    }
}

extension Secp256k1 {
    /// Writes the 64 bytes `x ‖ y` of `key` to `output` (the library writes 65, with a 0x04 prefix).
    @inline(__always)
    static func serializeUncompressed(_ key: inout secp256k1_pubkey, into output: UnsafeMutablePointer<UInt8>) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 65) { buffer in
            var length = 65
            guard secp256k1_ec_pubkey_serialize(SigningContext.shared.pointer, buffer.baseAddress!, &length, &key,
                                                UInt32(SECP256K1_EC_UNCOMPRESSED)) == 1, length == 65 else { return false }
            output.update(from: buffer.baseAddress! + 1, count: 64)
            return true
        }
    }
}

/// The one libsecp256k1 context of the process.
///
/// `@unchecked Sendable`: the pointer is written once, in `init`, and libsecp256k1 documents that
/// every function taking a `const secp256k1_context*` may run concurrently on the same context.
final class SigningContext: @unchecked Sendable {
    let pointer: OpaquePointer

    static let shared = SigningContext()

    private init() {
        guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            // Only an out-of-memory condition gets here; nothing the caller controls.
            fatalError("libsecp256k1 could not create a context (out of memory?)")
        }
        // Randomizing blinds the signing computation against side channels.
        var seed = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in seed.indices { seed[index] = UInt8.random(in: .min ... .max, using: &generator) }
        _ = secp256k1_context_randomize(context, seed)
        pointer = context
    }
}
