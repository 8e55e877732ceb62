/// Writes JSON text as UTF-8 bytes, compactly (no whitespace).
///
/// Object members are written in key order, so the same value always gives the same bytes.
/// Strings escape `"`, `\` and control characters and keep other characters as UTF-8. A `.number`
/// whose text is not a JSON number (`.double(.nan)`, say) is written as `null`, as JavaScript's
/// `JSON.stringify` writes NaN.
public struct JSONWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// An empty writer with room for `capacity` bytes.
    public init(reservingCapacity capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends `value`.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: writeASCII("null")
        case .bool(let flag): writeASCII(flag ? "true" : "false")
        case .number(let text): writeNumber(text)
        case .string(let text): writeString(text)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for key in members.keys.sorted() {
                guard let member = members[key] else { continue }
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                writeString(key)
                bytes.append(UInt8(ascii: ":"))
                write(member)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends ASCII text as it is: punctuation, or JSON the caller knows is valid.
    public mutating func writeASCII(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends bytes that are already JSON text (a value written by another writer).
    public mutating func writeRaw(_ json: some Sequence<UInt8>) {
        bytes.append(contentsOf: json)
    }

    /// Appends `text` as a quoted, escaped JSON string.
    public mutating func writeString(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in writeStringBytes(utf8) }
    }

    /// Appends a JSON number, or `null` when `text` is not one.
    public mutating func writeNumber(_ text: String) {
        if JSONWriter.isNumber(text) {
            bytes.append(contentsOf: text.utf8)
        } else {
            writeASCII("null")
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func writeStringBytes(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            runStart = index + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            default:
                bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0x0F)]])
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether `text` matches RFC 8259's number grammar.
    static func isNumber(_ text: String) -> Bool {
        var utf8 = text.utf8[...]
        if utf8.first == UInt8(ascii: "-") { utf8 = utf8.dropFirst() }
        guard let first = utf8.first, JSONByteReader.isDigit(first) else { return false }
        utf8 = utf8.dropFirst()
        if first == UInt8(ascii: "0"), let next = utf8.first, JSONByteReader.isDigit(next) { return false }
        utf8 = utf8.drop(while: JSONByteReader.isDigit)
        if utf8.first == UInt8(ascii: ".") {
            utf8 = utf8.dropFirst()
            guard let digit = utf8.first, JSONByteReader.isDigit(digit) else { return false }
            utf8 = utf8.drop(while: JSONByteReader.isDigit)
        }
        if utf8.first == UInt8(ascii: "e") || utf8.first == UInt8(ascii: "E") {
            utf8 = utf8.dropFirst()
            if utf8.first == UInt8(ascii: "+") || utf8.first == UInt8(ascii: "-") { utf8 = utf8.dropFirst() }
            guard let digit = utf8.first, JSONByteReader.isDigit(digit) else { return false }
            utf8 = utf8.drop(while: JSONByteReader.isDigit)
        }
        return utf8.isEmpty
    }
}

extension JSONValue {
    /// This value as compact JSON bytes (UTF-8), object keys in order.
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter()
        writer.write(self)
        return writer.bytes
    }

    /// This value as compact JSON text, object keys in order.
    public var jsonText: String { String(decoding: jsonBytes, as: UTF8.self) }

    /// Parses JSON text (see `JSONParser`).
    public init(parsing text: String, limits: JSONParseLimits = .default) throws(JSONParseError) {
        self = try JSONParser.parse(text, limits: limits)
    }

    /// Parses JSON bytes (see `JSONParser`).
    public init(parsing bytes: [UInt8], limits: JSONParseLimits = .default) throws(JSONParseError) {
        self = try JSONParser.parse(bytes, limits: limits)
    }
}
