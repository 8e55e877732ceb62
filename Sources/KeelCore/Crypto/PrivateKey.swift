import CSecp256k1
#if canImport(Glibc)
import Glibc
#endif

/// A secp256k1 private key: 32 bytes, not zero, below the curve order.
///
/// Its bytes never print: `description`, `debugDescription` and reflection (`dump`, string
/// interpolation) all show `PrivateKey(<redacted>)`. The memory holding them is zeroed when the
/// last copy of the key goes away.
public struct PrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let secret: SecretBytes

    /// Thirty-two big-endian bytes; refused if not 32 bytes long, zero, or not below n.
    public init<Bytes: Collection<UInt8>>(bytes: Bytes) throws(SignatureError) {
        guard bytes.count == 32 else { throw SignatureError(.invalidPrivateKey) }
        let secret = SecretBytes(bytes)
        let valid = secret.withUnsafeBytes { raw in
            secp256k1_ec_seckey_verify(SigningContext.shared.pointer, raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard valid == 1 else { throw SignatureError(.invalidPrivateKey) }
        self.secret = secret
    }

    /// `0x`-prefixed (or bare) hex of 64 digits, surrounding whitespace ignored; refused as `init(bytes:)` refuses.
    public init(hex text: String) throws(SignatureError) {
        let trimmed = text.trimmingASCIIWhitespace()
        guard var bytes = Hex.decode(trimmed) else { throw SignatureError(.invalidPrivateKey) }
        defer { for index in bytes.indices { bytes[index] = 0 } }
        try self.init(bytes: bytes)
    }

    /// The public key of this private key.
    public var publicKey: PublicKey {
        let context = SigningContext.shared.pointer
        var key = secp256k1_pubkey()
        let created = secret.withUnsafeBytes { raw in
            secp256k1_ec_pubkey_create(context, &key, raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        precondition(created == 1, "libsecp256k1 refused a private key that passed secp256k1_ec_seckey_verify")
        var output = PublicKey.zeroStorage
        let written = withUnsafeMutableBytes(of: &output) { out in
            Secp256k1.serializeUncompressed(&key, into: out.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        precondition(written, "libsecp256k1 could not serialize a public key it created")
        return PublicKey(uncompressedStorage: output)
    }

    /// The Ethereum address of this key.
    public var address: Address { publicKey.address }

    /// Signs the 32-byte `hash` (RFC 6979, low-s, with the recovery id).
    public func sign(hash: Hash32) -> Signature {
        Secp256k1.sign(hash: hash, key: self)
    }

    /// Calls `body` with the secret bytes. Keep them inside `body`: do not copy them out.
    func withUnsafeSecretBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try secret.withUnsafeBytes(body)
    }

    /// `PrivateKey(<redacted>)`, never the bytes.
    public var description: String { "PrivateKey(<redacted>)" }

    /// `PrivateKey(<redacted>)`, never the bytes.
    public var debugDescription: String { description }

    /// No children, so `dump` and mirrors show nothing secret.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension PrivateKey: Equatable {
    /// Compares in constant time, so timing does not tell how many leading bytes match.
    public static func == (lhs: PrivateKey, rhs: PrivateKey) -> Bool {
        lhs.secret.withUnsafeBytes { left in
            rhs.secret.withUnsafeBytes { right in
                var difference: UInt8 = 0
                for index in 0..<32 { difference |= left[index] ^ right[index] }
                return difference == 0
            }
        }
    }
}

/// Thirty-two bytes on the heap, written once in `init` and zeroed in `deinit`.
///
/// `@unchecked Sendable`: the memory is never written after `init` until `deinit`, when no one else holds it.
private final class SecretBytes: @unchecked Sendable {
    private let memory: UnsafeMutableRawBufferPointer

    init<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        memory = UnsafeMutableRawBufferPointer.allocate(byteCount: 32, alignment: 8)
        memory.initializeMemory(as: UInt8.self, repeating: 0)
        for (index, byte) in zip(0..<32, bytes) { memory[index] = byte }
    }

    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(memory))
    }

    deinit {
        // explicit_bzero is a store the optimizer may not drop, although the memory is freed right after.
        #if canImport(Glibc)
        if let base = memory.baseAddress { explicit_bzero(base, 32) }
        #else
        for index in 0..<32 { memory.storeBytes(of: 0, toByteOffset: index, as: UInt8.self) }
        #endif
        memory.deallocate()
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
