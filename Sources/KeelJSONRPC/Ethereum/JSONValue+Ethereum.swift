import KeelCore

extension JSONValue {
    /// A quantity string: `0x` and lowercase hex without leading zeros.
    public static func quantity(_ value: UInt64) -> JSONValue { .string(EthereumHex.quantity(value)) }
    /// A quantity string: `0x` and lowercase hex without leading zeros.
    public static func quantity(_ value: UInt128) -> JSONValue { .string(EthereumHex.quantity(value)) }
    /// A quantity string for a non-negative `Int` (an index, a count).
    public static func quantity(_ value: Int) -> JSONValue { .string(EthereumHex.quantity(UInt64(max(value, 0)))) }
    /// A data string: `0x` and two hex digits per byte.
    public static func data(_ bytes: some Sequence<UInt8>) -> JSONValue { .string(Hex.encode(bytes)) }
    /// An address as go-ethereum writes it: `0x` and 40 lowercase digits.
    public static func address(_ address: Address) -> JSONValue { .string(Hex.encode(address.bytes)) }
    /// A hash: `0x` and 64 lowercase digits.
    public static func hash(_ hash: Hash32) -> JSONValue { .string(hash.description) }

    /// The value as a 64-bit quantity; throws geth's words when it is not a string or not a quantity.
    public func decodeQuantity() throws(EthereumHexError) -> UInt64 {
        try EthereumHex.decodeQuantity(try hexText())
    }

    /// The value as a 128-bit quantity.
    public func decodeQuantity128() throws(EthereumHexError) -> UInt128 {
        try EthereumHex.decodeQuantity128(try hexText())
    }

    /// The value as data bytes.
    public func decodeData() throws(EthereumHexError) -> [UInt8] {
        try EthereumHex.decodeData(try hexText())
    }

    /// The value as an address.
    public func decodeAddress() throws(EthereumHexError) -> Address {
        try EthereumHex.decodeAddress(try hexText())
    }

    /// The value as a 32-byte hash.
    public func decodeHash() throws(EthereumHexError) -> Hash32 {
        try EthereumHex.decodeHash(try hexText())
    }

    private func hexText() throws(EthereumHexError) -> String {
        guard case .string(let text) = self else { throw EthereumHexError(.notAString(kind)) }
        return text
    }

    /// "a number", "an object", … for messages.
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
