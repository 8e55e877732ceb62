/// Why RLP input was refused: the rule it broke and the byte offset (from the start of the input)
/// where the offending item or length begins.
public struct RLPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rules of strict (canonical) RLP, Ethereum Yellow Paper appendix B, and Keel's limits.
    public enum Rule: Hashable, Sendable {
        /// There was nothing to decode.
        case emptyInput
        /// A length (or the input) runs past the end of the input or of the enclosing list.
        case lengthRunsPastEnd
        /// The length of a long-form length starts with a zero byte.
        case lengthHasLeadingZeros
        /// The long form (0xb8–0xbf, 0xf8–0xff) was used for a payload shorter than 56 bytes.
        case longFormForShortLength
        /// A single byte below 0x80 was wrapped as a one-byte string (0x81 0x00–0x7f); it encodes as itself.
        case singleByteWrapped
        /// The input or list ends where another item was expected.
        case missingItem
        /// Bytes follow the complete item.
        case trailingBytes
        /// Lists nest deeper than the configured limit.
        case nestingTooDeep(limit: Int)
        /// The input is larger than the configured limit.
        case inputTooLarge(size: Int, limit: Int)
        /// A list was found where a byte string was expected.
        case expectedBytes
        /// A byte string was found where a list was expected.
        case expectedList
        /// A list has fewer or more items than its format requires.
        case wrongItemCount(expected: Int, found: Int)
        /// An integer field starts with a zero byte (zero itself is the empty string, 0x80).
        case integerHasLeadingZeros
        /// An integer field is wider than the type that holds it.
        case integerTooWide(bits: Int)
        /// A fixed-size field (an address, a hash) has the wrong number of bytes.
        case wrongByteCount(expected: Int, found: Int)
    }

    /// The rule that was broken.
    public let rule: Rule
    /// The byte offset, from the start of the input, where the offending item or length begins.
    public let offset: Int
    /// The field being read, where the caller named it (`"value"`, `"accessList[0].address"`).
    public let field: String?

    /// Makes the error.
    public init(_ rule: Rule, at offset: Int, field: String? = nil) {
        self.rule = rule
        self.offset = offset
        self.field = field
    }

    /// The same error, naming `field` if it names none yet.
    public func naming(_ field: String) -> RLPError {
        self.field == nil ? RLPError(rule, at: offset, field: field) : self
    }

    public var description: String {
        let place = field.map { "field '\($0)' at byte \(offset)" } ?? "byte \(offset)"
        return "invalid RLP at \(place): \(explanation)"
    }

    private var explanation: String {
        switch rule {
        case .emptyInput:
            "the input is empty"
        case .lengthRunsPastEnd:
            "the length runs past the end of the input or of the enclosing list (truncated or corrupt data)"
        case .lengthHasLeadingZeros:
            "non-canonical: a length has leading zero bytes"
        case .longFormForShortLength:
            "non-canonical: the long length form is used for a payload under 56 bytes"
        case .singleByteWrapped:
            "non-canonical: a single byte below 0x80 is wrapped as a one-byte string; it must encode as itself"
        case .missingItem:
            "the input or list ends where another item was expected"
        case .trailingBytes:
            "trailing bytes after the complete item"
        case .nestingTooDeep(let limit):
            "lists nest deeper than \(limit) levels"
        case .inputTooLarge(let size, let limit):
            "the input is \(size) bytes, over the limit of \(limit) bytes"
        case .expectedBytes:
            "expected a byte string, found a list"
        case .expectedList:
            "expected a list, found a byte string"
        case .wrongItemCount(let expected, let found):
            "expected a list of \(expected) items, found \(found)"
        case .integerHasLeadingZeros:
            "non-canonical integer: leading zero bytes (zero is the empty string 0x80)"
        case .integerTooWide(let bits):
            "the integer is too wide: it does not fit in \(bits) bits"
        case .wrongByteCount(let expected, let found):
            "expected \(expected) bytes, found \(found)"
        }
    }
}
