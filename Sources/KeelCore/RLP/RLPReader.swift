/// Reads the items of RLP input one by one, refusing non-canonical encodings (Ethereum Yellow
/// Paper appendix B) with the rule and the byte offset.
///
/// A reader covers either the whole input (a sequence of items) or the payload of one list; byte
/// strings come back as slices of the input, without copying. Offsets in errors always count from
/// the start of the whole input.
///
/// ```swift
/// var input = try RLPReader(bytes)
/// var fields = try input.readList()
/// let nonce = try fields.readUInt64(field: "nonce")
/// try fields.finish()
/// try input.finish()
/// ```
public struct RLPReader: Sendable {
    /// The whole input.
    public let input: [UInt8]
    /// The offset of the next item.
    public private(set) var position: Int
    /// The offset just past the last byte this reader covers.
    public let end: Int
    private let depth: Int
    private let limits: RLPLimits

    /// A reader over all of `input`; refuses input larger than `limits.maxInputBytes`.
    public init(_ input: [UInt8], limits: RLPLimits = .default) throws(RLPError) {
        guard input.count <= limits.maxInputBytes else {
            throw RLPError(.inputTooLarge(size: input.count, limit: limits.maxInputBytes), at: 0)
        }
        self.init(input: input, position: 0, end: input.count, depth: 0, limits: limits)
    }

    /// A reader over `input` from offset `start` to the end (after a type byte, say); offsets in
    /// errors still count from the start of `input`.
    public init(_ input: [UInt8], from start: Int, limits: RLPLimits = .default) throws(RLPError) {
        guard input.count <= limits.maxInputBytes else {
            throw RLPError(.inputTooLarge(size: input.count, limit: limits.maxInputBytes), at: 0)
        }
        self.init(input: input, position: min(max(start, 0), input.count), end: input.count, depth: 0, limits: limits)
    }

    private init(input: [UInt8], position: Int, end: Int, depth: Int, limits: RLPLimits) {
        self.input = input
        self.position = position
        self.end = end
        self.depth = depth
        self.limits = limits
    }

    /// Whether every item has been read.
    public var isAtEnd: Bool { position >= end }

    /// Refuses anything left unread: trailing bytes of the input, or extra items in a list.
    public func finish() throws(RLPError) {
        guard position >= end else { throw RLPError(.trailingBytes, at: position) }
    }

    /// Counts the items left, without reading them.
    public func remainingItemCount() throws(RLPError) -> Int {
        var count = 0
        var offset = position
        while offset < end {
            offset = try Self.header(of: input, at: offset, end: end).payloadEnd
            count += 1
        }
        return count
    }

    /// Reads the next item, which must be a byte string.
    public mutating func readBytes(field: String? = nil) throws(RLPError) -> ArraySlice<UInt8> {
        let start = position
        let header = try next(field: field)
        guard !header.isList else { throw RLPError(.expectedBytes, at: start, field: field) }
        return input[header.payloadStart..<header.payloadEnd]
    }

    /// Reads the next item, which must be a list, and returns a reader over its items.
    public mutating func readList(field: String? = nil) throws(RLPError) -> RLPReader {
        let start = position
        let header = try next(field: field)
        guard header.isList else { throw RLPError(.expectedList, at: start, field: field) }
        guard depth < limits.maxDepth else { throw RLPError(.nestingTooDeep(limit: limits.maxDepth), at: start, field: field) }
        return RLPReader(input: input, position: header.payloadStart, end: header.payloadEnd, depth: depth + 1, limits: limits)
    }

    /// Reads the next item whole, as an `RLPItem`.
    public mutating func readItem() throws(RLPError) -> RLPItem {
        let start = position
        let header = try next(field: nil)
        guard header.isList else { return .bytes(Array(input[header.payloadStart..<header.payloadEnd])) }
        guard depth < limits.maxDepth else { throw RLPError(.nestingTooDeep(limit: limits.maxDepth), at: start) }
        var list = RLPReader(input: input, position: header.payloadStart, end: header.payloadEnd, depth: depth + 1, limits: limits)
        var items: [RLPItem] = []
        while !list.isAtEnd { items.append(try list.readItem()) }
        return .list(items)
    }

    /// Skips the next item and returns its complete encoding (header included) as a slice of the input.
    public mutating func readEncodedItem(field: String? = nil) throws(RLPError) -> ArraySlice<UInt8> {
        let start = position
        _ = try next(field: field)
        return input[start..<position]
    }

    private mutating func next(field: String?) throws(RLPError) -> Header {
        guard position < end else {
            throw RLPError(position == 0 ? .emptyInput : .missingItem, at: position, field: field)
        }
        do {
            let header = try Self.header(of: input, at: position, end: end)
            position = header.payloadEnd
            return header
        } catch {
            throw field.map { error.naming($0) } ?? error
        }
    }

    /// Where an item's payload lies.
    struct Header {
        var isList: Bool
        var payloadStart: Int
        var payloadEnd: Int
    }

    /// Parses the header of the item at `offset`, which must end by `end`.
    static func header(of input: [UInt8], at offset: Int, end: Int) throws(RLPError) -> Header {
        let prefix = input[offset]
        switch prefix {
        case 0x00...0x7F:
            return Header(isList: false, payloadStart: offset, payloadEnd: offset + 1)
        case 0x80...0xB7, 0xC0...0xF7:
            let isList = prefix >= 0xC0
            let length = Int(prefix - (isList ? 0xC0 : 0x80))
            let payloadEnd = offset + 1 + length
            guard payloadEnd <= end else { throw RLPError(.lengthRunsPastEnd, at: offset) }
            if !isList && length == 1 && input[offset + 1] < 0x80 { throw RLPError(.singleByteWrapped, at: offset) }
            return Header(isList: isList, payloadStart: offset + 1, payloadEnd: payloadEnd)
        default:
            let isList = prefix >= 0xF8
            let width = Int(prefix - (isList ? 0xF7 : 0xB7))
            guard offset + 1 + width <= end else { throw RLPError(.lengthRunsPastEnd, at: offset) }
            guard input[offset + 1] != 0 else { throw RLPError(.lengthHasLeadingZeros, at: offset + 1) }
            var length = 0
            for index in 1...width {
                // A length of 8 bytes may exceed any real input; stop before it overflows.
                guard length <= (Int.max >> 8) else { throw RLPError(.lengthRunsPastEnd, at: offset) }
                length = length << 8 | Int(input[offset + index])
            }
            guard length >= 56 else { throw RLPError(.longFormForShortLength, at: offset) }
            let payloadStart = offset + 1 + width
            guard length <= end - payloadStart else { throw RLPError(.lengthRunsPastEnd, at: offset) }
            return Header(isList: isList, payloadStart: payloadStart, payloadEnd: payloadStart + length)
        }
    }
}
