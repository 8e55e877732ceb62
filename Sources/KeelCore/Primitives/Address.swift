/// A 20-byte Ethereum address.
///
/// Parses `0x`-prefixed hex in any case; a mixed-case address must carry a valid EIP-55 checksum.
/// Prints in EIP-55 checksummed form.
public struct Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 20 bytes, most significant first.
    public let bytes: [UInt8]

    /// Twenty bytes; `nil` for any other count.
    public init?<Bytes: Collection<UInt8>>(bytes: Bytes) {
        guard bytes.count == 20 else { return nil }
        self.bytes = Array(bytes)
    }

    /// The zero address.
    public static let zero = Address(unchecked: [UInt8](repeating: 0, count: 20))

    init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses `0x` followed by 40 hex digits. All-lowercase and all-uppercase digits are accepted
    /// as they are; mixed case must match the EIP-55 checksum. Returns `nil` otherwise.
    public init?(hex text: String) {
        guard text.hasPrefix("0x") || text.hasPrefix("0X"), text.utf8.count == 42,
              let bytes = Hex.decode(text), bytes.count == 20 else { return nil }
        let digits = text.dropFirst(2)
        let hasLower = digits.contains { $0.isLowercase }
        let hasUpper = digits.contains { $0.isUppercase }
        self.bytes = bytes
        if hasLower && hasUpper && String(description.dropFirst(2)) != String(digits) { return nil }
    }

    /// The address of the public key `uncompressedKey` (64 bytes, without the 0x04 prefix):
    /// the last 20 bytes of its Keccak-256.
    public init?(publicKey uncompressedKey: [UInt8]) {
        guard uncompressedKey.count == 64 else { return nil }
        self.bytes = Array(Keccak256.hash(uncompressedKey).bytes[12...])
    }

    /// EIP-55 checksummed hex: `0x` and 40 digits, letters upper-cased where the hash of the
    /// lowercase hex has a nibble of 8 or more.
    public var description: String {
        let lower = Hex.encode(bytes, prefix: false)
        let hash = Keccak256.hash(Array(lower.utf8))
        var result = "0x"
        for (index, character) in lower.enumerated() {
            let nibble = index % 2 == 0 ? hash[index / 2] >> 4 : hash[index / 2] & 0x0F
            result.append(nibble >= 8 ? Character(character.uppercased()) : character)
        }
        return result
    }

    public static func < (lhs: Address, rhs: Address) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
