extension JSONByteReader {
    /// Reads a string starting at the opening quote. Strings without escapes (nearly all of
    /// JSON-RPC: hex, method names) are made from the input bytes in one step.
    mutating func readString() throws(JSONParseError) -> String {
        let opening = position
        position += 1
        let start = position
        var nonASCII: UInt8 = 0
        while position < buffer.count {
            let byte = buffer[position]
            if byte == UInt8(ascii: "\"") {
                let span = UnsafeRawBufferPointer(rebasing: buffer[start..<position])
                position += 1
                return try makeString(span, ascii: nonASCII < 0x80, openingAt: opening)
            }
            if byte == UInt8(ascii: "\\") { return try readEscapedString(openingAt: opening, start: start) }
            if byte < 0x20 { throw error("a control character (\(Self.describe(byte))) must be escaped inside a string") }
            nonASCII |= byte
            position += 1
        }
        throw error("the string that starts at byte \(opening) has no closing quote")
    }

    private func makeString(_ span: UnsafeRawBufferPointer, ascii: Bool, openingAt opening: Int) throws(JSONParseError) -> String {
        if ascii { return String(decoding: span, as: UTF8.self) }
        guard let text = String(validating: span, as: UTF8.self) else {
            throw error("the string that starts at byte \(opening) is not valid UTF-8", at: opening)
        }
        return text
    }

    /// The slow path: copies into a scratch buffer, decoding escapes.
    private mutating func readEscapedString(openingAt opening: Int, start: Int) throws(JSONParseError) -> String {
        var scratch: [UInt8] = []
        scratch.reserveCapacity(position - start + 16)
        scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start..<position]))
        while position < buffer.count {
            let byte = buffer[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = scratch.withUnsafeBytes({ String(validating: $0, as: UTF8.self) }) else {
                    throw error("the string that starts at byte \(opening) is not valid UTF-8", at: opening)
                }
                return text
            case UInt8(ascii: "\\"):
                try readEscape(into: &scratch)
            case 0..<0x20:
                throw error("a control character (\(Self.describe(byte))) must be escaped inside a string")
            default:
                scratch.append(byte)
                position += 1
            }
        }
        throw error("the string that starts at byte \(opening) has no closing quote")
    }

    private mutating func readEscape(into scratch: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = position
        position += 1
        guard let letter = current else { throw error("the string ends inside an escape sequence") }
        position += 1
        switch letter {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try readHexUnit()
            var scalarValue = UInt32(unit)
            if (0xD800...0xDBFF).contains(unit) {
                guard current == UInt8(ascii: "\\"), position + 1 < buffer.count, buffer[position + 1] == UInt8(ascii: "u") else {
                    throw error("the \\u escape \\u\(Self.hex4(unit)) is a high surrogate without a low surrogate after it", at: escapeStart)
                }
                position += 2
                let low = try readHexUnit()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error("the \\u escape \\u\(Self.hex4(unit)) is a high surrogate followed by \\u\(Self.hex4(low)), not a low surrogate", at: escapeStart)
                }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw error("the \\u escape \\u\(Self.hex4(unit)) is a low surrogate without a high surrogate before it", at: escapeStart)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else {
                throw error("the \\u escape does not name a Unicode scalar", at: escapeStart)
            }
            scratch.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
        default:
            throw error("'\\\(Character(Unicode.Scalar(letter)))' is not a JSON escape; use \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX", at: escapeStart)
        }
    }

    private mutating func readHexUnit() throws(JSONParseError) -> UInt16 {
        guard position + 4 <= buffer.count else { throw error("a \\u escape needs four hex digits") }
        var unit: UInt16 = 0
        for offset in 0..<4 {
            let byte = buffer[position + offset]
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: throw error("a \\u escape needs four hex digits, found \(Self.describe(byte))", at: position + offset)
            }
            unit = unit << 4 | UInt16(nibble)
        }
        position += 4
        return unit
    }

    static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
