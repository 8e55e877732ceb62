/// A strict JSON parser (RFC 8259) that reads UTF-8 bytes straight into `JSONValue`.
///
/// Strict means: one value with optional whitespace around it, no trailing commas, no comments, no
/// single quotes, no leading zeros or `+` in numbers, no raw control characters in strings, no lone
/// UTF-16 surrogates in `\u` escapes, and only valid UTF-8. A key that appears twice in an object
/// keeps its last value (as JavaScript does). Numbers keep their text. Every refusal is a
/// `JSONParseError` naming the byte offset.
public enum JSONParser {
    /// Parses `bytes` (UTF-8) as one JSON value.
    public static func parse(_ bytes: [UInt8], limits: JSONParseLimits = .default) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try parse(buffer, limits: limits) }
        }.get()
    }

    /// Parses `text` as one JSON value.
    public static func parse(_ text: String, limits: JSONParseLimits = .default) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { buffer in
            Result { () throws(JSONParseError) in try parse(UnsafeRawBufferPointer(buffer), limits: limits) }
        }.get()
    }

    /// Parses the UTF-8 bytes in `buffer` as one JSON value; the buffer is only read during the call.
    public static func parse(_ buffer: UnsafeRawBufferPointer, limits: JSONParseLimits = .default) throws(JSONParseError) -> JSONValue {
        guard buffer.count <= limits.maxBytes else {
            throw JSONParseError(offset: limits.maxBytes, reason: "the document is \(buffer.count) bytes, more than the limit of \(limits.maxBytes) bytes")
        }
        var reader = JSONByteReader(buffer: buffer, maxDepth: limits.maxDepth)
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        if reader.position < buffer.count {
            throw reader.error("unexpected \(reader.describeCurrent()) after the JSON value")
        }
        return value
    }
}

/// The parser's cursor over the input bytes.
struct JSONByteReader {
    let buffer: UnsafeRawBufferPointer
    let maxDepth: Int
    var position = 0

    init(buffer: UnsafeRawBufferPointer, maxDepth: Int) {
        self.buffer = buffer
        self.maxDepth = maxDepth
    }

    var current: UInt8? { position < buffer.count ? buffer[position] : nil }

    func error(_ reason: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? position, reason: reason)
    }

    /// "'}'", "byte 0x07" or "the end of the input", for messages.
    func describeCurrent() -> String {
        guard let byte = current else { return "the end of the input" }
        return Self.describe(byte)
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte == 0x20 { return "a space" }
        return "byte 0x\(String(byte, radix: 16, uppercase: false))"
    }

    mutating func skipWhitespace() {
        while position < buffer.count {
            switch buffer[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func readValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard let byte = current else { throw error("expected a value, found the end of the input") }
        switch byte {
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "{"): return try readObject(depth: depth + 1)
        case UInt8(ascii: "["): return try readArray(depth: depth + 1)
        case UInt8(ascii: "t"): try readLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try readLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try readLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
        default: throw error("expected a value, found \(describeCurrent())")
        }
    }

    mutating func readLiteral(_ word: StaticString) throws(JSONParseError) {
        let start = position
        let count = word.utf8CodeUnitCount
        let matches = position + count <= buffer.count
            && (0..<count).allSatisfy { buffer[position + $0] == word.utf8Start[$0] }
        guard matches else { throw error("expected a value, found \(describeCurrent())", at: start) }
        position += count
    }

    mutating func readArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw error("arrays and objects are nested deeper than the limit of \(maxDepth) levels") }
        position += 1
        skipWhitespace()
        var items: [JSONValue] = []
        if current == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            items.append(try readValue(depth: depth))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
                if current == UInt8(ascii: "]") { throw error("expected a value after ',' in an array, found ']' (trailing commas are not JSON)") }
            case UInt8(ascii: "]"):
                position += 1
                return .array(items)
            default:
                throw error("expected ',' or ']' after an array element, found \(describeCurrent())")
            }
        }
    }

    mutating func readObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw error("arrays and objects are nested deeper than the limit of \(maxDepth) levels") }
        position += 1
        skipWhitespace()
        var members: [String: JSONValue] = [:]
        if current == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            guard current == UInt8(ascii: "\"") else {
                throw error("expected a string key in an object, found \(describeCurrent())")
            }
            let key = try readString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected ':' after an object key, found \(describeCurrent())") }
            position += 1
            skipWhitespace()
            members[key] = try readValue(depth: depth)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
                if current == UInt8(ascii: "}") { throw error("expected a key after ',' in an object, found '}' (trailing commas are not JSON)") }
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            default:
                throw error("expected ',' or '}' after an object member, found \(describeCurrent())")
            }
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as text.
    mutating func readNumber() throws(JSONParseError) -> String {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, Self.isDigit(first) else {
            throw error("expected a digit in a number, found \(describeCurrent())")
        }
        position += 1
        if first == UInt8(ascii: "0"), let next = current, Self.isDigit(next) {
            throw error("a number cannot have a leading zero")
        }
        skipDigits()
        if current == UInt8(ascii: ".") {
            position += 1
            guard let digit = current, Self.isDigit(digit) else {
                throw error("expected a digit after the decimal point, found \(describeCurrent())")
            }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard let digit = current, Self.isDigit(digit) else {
                throw error("expected a digit in the exponent, found \(describeCurrent())")
            }
            skipDigits()
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[start..<position]), as: UTF8.self)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    mutating func skipDigits() {
        while let byte = current, Self.isDigit(byte) { position += 1 }
    }
}
