/// An uncompressed secp256k1 public key: the 64 bytes `x ‖ y`, big-endian, without the 0x04 prefix.
public struct PublicKey: Hashable, Sendable, CustomStringConvertible {
    typealias Storage = (Hash32, Hash32)

    static var zeroStorage: Storage { (.zero, .zero) }

    private let storage: Storage

    init(uncompressedStorage: Storage) {
        storage = uncompressedStorage
    }

    /// Sixty-four bytes `x ‖ y`; `nil` for any other count. The point is checked when it is used.
    public init?<Bytes: Collection<UInt8>>(uncompressed bytes: Bytes) {
        guard bytes.count == 64, let x = Hash32(bytes: bytes.prefix(32)), let y = Hash32(bytes: bytes.dropFirst(32)) else {
            return nil
        }
        storage = (x, y)
    }

    /// The 64 bytes `x ‖ y`.
    public var bytes: [UInt8] { storage.0.bytes + storage.1.bytes }

    /// Calls `body` with the 64 bytes, without copying them to the heap.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var copy = storage
        return try Swift.withUnsafeBytes(of: &copy, body)
    }

    /// The Ethereum address of this key: the last 20 bytes of the Keccak-256 of the 64 bytes.
    public var address: Address {
        let digest = withUnsafeBytes { Keccak256.hash($0) }
        return Address(unchecked: Array(digest.bytes[12...]))
    }

    /// `0x` and 128 hex digits.
    public var description: String { Hex.encode(bytes) }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.storage.0 == rhs.storage.0 && lhs.storage.1 == rhs.storage.1
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
    }
}
