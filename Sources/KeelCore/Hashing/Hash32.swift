/// Thirty-two bytes: a Keccak-256 digest, a state root, a storage word.
///
/// Stored inline (no heap allocation); `bytes` order is the order the digest was produced in.
public struct Hash32: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The bytes in memory order, as four words (so the value stays on the stack).
    public var storage: (UInt64, UInt64, UInt64, UInt64)

    public init(storage: (UInt64, UInt64, UInt64, UInt64)) {
        self.storage = storage
    }

    /// All zero bytes.
    public static let zero = Hash32(storage: (0, 0, 0, 0))

    /// Thirty-two bytes; `nil` for any other count.
    public init?<Bytes: Collection<UInt8>>(bytes: Bytes) {
        guard bytes.count == 32 else { return nil }
        var value = Hash32.zero
        withUnsafeMutableBytes(of: &value.storage) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        self = value
    }

    /// `0x`-prefixed (or bare) hex of exactly 64 digits; `nil` otherwise.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), let value = Hash32(bytes: bytes) else { return nil }
        self = value
    }

    /// The 32 bytes as an array.
    public var bytes: [UInt8] {
        Swift.withUnsafeBytes(of: storage) { Array($0) }
    }

    /// Calls `body` with the 32 bytes, without copying them to the heap.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try Swift.withUnsafeBytes(of: storage, body)
    }

    /// The byte at `index` (0 is the first).
    @inlinable
    public subscript(index: Int) -> UInt8 {
        Swift.withUnsafeBytes(of: storage) { $0[index] }
    }

    /// `0x` followed by 64 lowercase hex digits.
    public var description: String { Hex.encode(bytes) }

    public static func == (lhs: Hash32, rhs: Hash32) -> Bool {
        lhs.storage.0 == rhs.storage.0 && lhs.storage.1 == rhs.storage.1
            && lhs.storage.2 == rhs.storage.2 && lhs.storage.3 == rhs.storage.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.0)
        hasher.combine(storage.1)
        hasher.combine(storage.2)
        hasher.combine(storage.3)
    }

    /// Byte-wise (big-endian) order, the order of the keys in the state tree.
    public static func < (lhs: Hash32, rhs: Hash32) -> Bool {
        let l = (lhs.storage.0.byteSwapped, lhs.storage.1.byteSwapped, lhs.storage.2.byteSwapped, lhs.storage.3.byteSwapped)
        let r = (rhs.storage.0.byteSwapped, rhs.storage.1.byteSwapped, rhs.storage.2.byteSwapped, rhs.storage.3.byteSwapped)
        return l < r
    }
}
