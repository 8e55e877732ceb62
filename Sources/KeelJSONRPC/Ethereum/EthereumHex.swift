import KeelCore

/// Ethereum's JSON-RPC hex encodings (the "quantity" and "data" of the execution-apis spec), as
/// go-ethereum's `hexutil` writes and reads them.
///
/// - A quantity is `0x` and the number in lowercase hex without leading zeros: `0x0`, `0x1`, `0x400`.
/// - Data is `0x` and two hex digits per byte: `0x`, `0x00ff`.
///
/// Decoding refuses what geth refuses, with geth's words (`hex string without 0x prefix`), so a
/// caller that prefixes `invalid argument N: ` gets geth's exact parameter errors.
public enum EthereumHex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `0x` and `value` in lowercase hex without leading zeros.
    public static func quantity(_ value: UInt64) -> String {
        let nibbles = value == 0 ? 1 : (67 - value.leadingZeroBitCount) / 4
        return String(unsafeUninitializedCapacity: nibbles + 2) { out in
            out[0] = UInt8(ascii: "0")
            out[1] = UInt8(ascii: "x")
            var rest = value
            for index in stride(from: nibbles + 1, through: 2, by: -1) {
                out[index] = digits[Int(rest & 0xF)]
                rest >>= 4
            }
            return nibbles + 2
        }
    }

    /// `0x` and `value` in lowercase hex without leading zeros.
    public static func quantity(_ value: UInt128) -> String {
        let high = UInt64(truncatingIfNeeded: value >> 64)
        guard high != 0 else { return quantity(UInt64(truncatingIfNeeded: value)) }
        let low = UInt64(truncatingIfNeeded: value)
        let highText = quantity(high)
        let lowDigits = String(low, radix: 16)
        return highText + String(repeating: "0", count: 16 - lowDigits.utf8.count) + lowDigits
    }

    /// `0x` and two lowercase hex digits per byte.
    public static func data(_ bytes: some Sequence<UInt8>) -> String {
        Hex.encode(bytes)
    }

    // MARK: Decoding

    /// A quantity of at most 64 bits.
    public static func decodeQuantity(_ text: String) throws(EthereumHexError) -> UInt64 {
        let digits = try quantityDigits(text)
        guard digits.count <= 16 else { throw EthereumHexError(.uint64Range) }
        var value: UInt64 = 0
        for digit in digits {
            guard let nibble = nibble(digit) else { throw EthereumHexError(.syntax) }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }

    /// A quantity of at most 128 bits (balances, values, fees).
    public static func decodeQuantity128(_ text: String) throws(EthereumHexError) -> UInt128 {
        let digits = try quantityDigits(text)
        guard digits.count <= 32 else { throw EthereumHexError(.uint128Range) }
        var value: UInt128 = 0
        for digit in digits {
            guard let nibble = nibble(digit) else { throw EthereumHexError(.syntax) }
            value = value << 4 | UInt128(nibble)
        }
        return value
    }

    /// Data: `0x` and an even number of hex digits (either case); `0x` is no bytes.
    public static func decodeData(_ text: String) throws(EthereumHexError) -> [UInt8] {
        var text = text
        return try text.withUTF8 { utf8 in
            Result { () throws(EthereumHexError) in try decodeData(utf8) }
        }.get()
    }

    /// `decodeData` over UTF-8 bytes: the hot path of `eth_sendRawTransaction`.
    static func decodeData(_ utf8: UnsafeBufferPointer<UInt8>) throws(EthereumHexError) -> [UInt8] {
        guard !utf8.isEmpty else { throw EthereumHexError(.empty) }
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] | 0x20 == UInt8(ascii: "x") else {
            throw EthereumHexError(.missingPrefix)
        }
        guard utf8.count % 2 == 0 else { throw EthereumHexError(.oddLength) }
        let count = utf8.count / 2 - 1
        var invalid = false
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            for index in 0..<count {
                let high = nibbles[Int(utf8[2 + 2 * index])]
                let low = nibbles[Int(utf8[3 + 2 * index])]
                invalid = invalid || high > 0x0F || low > 0x0F
                out[index] = high << 4 | (low & 0x0F)
            }
            initialized = count
        }
        if invalid { throw EthereumHexError(.syntax) }
        return bytes
    }

    /// The value of each ASCII hex digit; 0xFF for any other byte.
    private static let nibbles: [UInt8] = (0...255).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt8(byte) - UInt8(ascii: "A") + 10
        default: 0xFF
        }
    }

    /// A 20-byte address; mixed case must be a valid EIP-55 checksum.
    public static func decodeAddress(_ text: String) throws(EthereumHexError) -> Address {
        let bytes = try decodeData(text)
        guard let address = Address(bytes: bytes) else {
            throw EthereumHexError(.wrongLength(digits: bytes.count * 2, expected: 40, type: "an address"))
        }
        let letters = text.utf8.dropFirst(2)
        let hasLower = letters.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f") }
        let hasUpper = letters.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") }
        if hasLower && hasUpper && Address(hex: text) == nil { throw EthereumHexError(.badChecksum(text)) }
        return address
    }

    /// A 32-byte hash.
    public static func decodeHash(_ text: String) throws(EthereumHexError) -> Hash32 {
        let bytes = try decodeData(text)
        guard let hash = Hash32(bytes: bytes) else {
            throw EthereumHexError(.wrongLength(digits: bytes.count * 2, expected: 64, type: "a hash"))
        }
        return hash
    }

    // MARK: Helpers

    private static func hasPrefix(_ utf8: String.UTF8View) -> Bool {
        var iterator = utf8.makeIterator()
        return iterator.next() == UInt8(ascii: "0") && [UInt8(ascii: "x"), UInt8(ascii: "X")].contains(iterator.next())
    }

    /// The digits after `0x`, checked for emptiness and leading zeros.
    private static func quantityDigits(_ text: String) throws(EthereumHexError) -> Substring.UTF8View {
        let utf8 = text.utf8
        guard !utf8.isEmpty else { throw EthereumHexError(.empty) }
        guard hasPrefix(utf8) else { throw EthereumHexError(.missingPrefix) }
        let digits = Substring(text).utf8.dropFirst(2)
        guard let first = digits.first else { throw EthereumHexError(.emptyNumber) }
        if first == UInt8(ascii: "0") && digits.count > 1 { throw EthereumHexError(.leadingZero) }
        return digits
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
