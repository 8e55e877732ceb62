import KeelCore
import Testing

@Suite struct RLPRefusalTests {
    private func refusal(_ bytes: [UInt8], limits: RLPLimits = .default) throws -> RLPError {
        let error = #expect(throws: RLPError.self) { try RLPItem.decode(bytes, limits: limits) }
        return try #require(error)
    }

    @Test func aLengthWithLeadingZerosIsRefusedAtItsOffset() throws {
        let error = try refusal([0xB9, 0x00, 0x38] + [UInt8](repeating: 0x61, count: 56))
        #expect(error.rule == .lengthHasLeadingZeros)
        #expect(error.offset == 1)
        #expect(error.description.contains("leading zero"))
        #expect(error.description.contains("byte 1"))
        let inList = try refusal([0xC5, 0x01, 0xF9, 0x00, 0x00, 0x00])
        #expect(inList.rule == .lengthHasLeadingZeros)
        #expect(inList.offset == 3)
    }

    @Test func aWrappedSingleByteBelow0x80IsRefused() throws {
        let error = try refusal([0x81, 0x7F])
        #expect(error.rule == .singleByteWrapped)
        #expect(error.offset == 0)
        #expect(error.description.contains("single byte below 0x80"))
        let nested = try refusal([0xC3, 0x80, 0x81, 0x00])
        #expect(nested.rule == .singleByteWrapped)
        #expect(nested.offset == 2)
        // 0x81 0x80 is the canonical form of the byte 0x80.
        #expect(try RLPItem.decode([0x81, 0x80]) == .bytes([0x80]))
    }

    @Test func theLongFormForAShortLengthIsRefused() throws {
        let string = try refusal([0xB8, 0x05] + [UInt8](repeating: 0x61, count: 5))
        #expect(string.rule == .longFormForShortLength)
        #expect(string.description.contains("long length form"))
        #expect(string.description.contains("under 56"))
        let list = try refusal([0xF8, 0x02, 0x01, 0x02])
        #expect(list.rule == .longFormForShortLength)
        #expect(list.offset == 0)
    }

    @Test func trailingBytesAreRefused() throws {
        let error = try refusal([0x83, 0x64, 0x6F, 0x67, 0x00])
        #expect(error.rule == .trailingBytes)
        #expect(error.offset == 4)
        #expect(error.description.contains("trailing bytes"))
    }

    @Test func aLengthRunningPastTheInputIsRefused() throws {
        let string = try refusal([0x85, 0x01, 0x02])
        #expect(string.rule == .lengthRunsPastEnd)
        #expect(string.description.contains("runs past the end"))
        let longLength = try refusal([0xBA, 0x01, 0x00])
        #expect(longLength.rule == .lengthRunsPastEnd)
        let hugeLength = try refusal([0xBF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00])
        #expect(hugeLength.rule == .lengthRunsPastEnd)
        // The item fits the input but not its enclosing list.
        let pastList = try refusal([0xC2, 0x83, 0x61, 0x62, 0x63])
        #expect(pastList.rule == .lengthRunsPastEnd)
        #expect(pastList.offset == 1)
    }

    @Test func emptyInputIsRefused() throws {
        let error = try refusal([])
        #expect(error.rule == .emptyInput)
        #expect(error.description.contains("empty"))
    }

    @Test func nestingDeeperThanTheLimitIsRefused() throws {
        var deep = RLPItem.list([])
        for _ in 0..<9 { deep = .list([deep]) }  // ten levels of lists
        let bytes = deep.encoded
        #expect(try RLPItem.decode(bytes, limits: RLPLimits(maxDepth: 10, maxInputBytes: 100)) == deep)
        let error = try refusal(bytes, limits: RLPLimits(maxDepth: 9, maxInputBytes: 100))
        #expect(error.rule == .nestingTooDeep(limit: 9))
        #expect(error.offset == 9)
        #expect(error.description.contains("deeper than 9"))
        // The default limit stops a hostile stack of 10 000 nested lists without exhausting the stack.
        var reversed: [UInt8] = [0xC0]
        for _ in 0..<10_000 {
            let length = reversed.count
            if length < 56 {
                reversed.append(0xC0 + UInt8(length))
            } else {
                let width = (64 - length.leadingZeroBitCount + 7) / 8
                for index in 0..<width { reversed.append(UInt8(truncatingIfNeeded: length >> (index * 8))) }
                reversed.append(0xF7 + UInt8(width))
            }
        }
        let hostile = Array(reversed.reversed())
        #expect(try refusal(hostile).rule == .nestingTooDeep(limit: RLPLimits.default.maxDepth))
    }

    @Test func inputOverTheSizeLimitIsRefused() throws {
        let error = try refusal(RLPItem.bytes([UInt8](repeating: 1, count: 200)).encoded,
                                limits: RLPLimits(maxDepth: 4, maxInputBytes: 100))
        #expect(error.rule == .inputTooLarge(size: 202, limit: 100))
        #expect(error.description.contains("over the limit of 100 bytes"))
    }

    @Test func integerFieldsMustBeCanonicalAndFit() throws {
        func read64(_ bytes: [UInt8]) throws -> UInt64 {
            var reader = try RLPReader(bytes)
            return try reader.readUInt64(field: "nonce")
        }
        func read128(_ bytes: [UInt8]) throws -> UInt128 {
            var reader = try RLPReader(bytes)
            return try reader.readUInt128(field: "value")
        }
        #expect(try read64([0x80]) == 0)
        #expect(try read64([0x82, 0x04, 0x00]) == 1024)
        #expect(try read128([0x90] + [UInt8](repeating: 0xFF, count: 16)) == UInt128.max)

        let zeroByte = #expect(throws: RLPError.self) { try read64([0x00]) }
        #expect(zeroByte?.rule == .integerHasLeadingZeros)
        let padded = #expect(throws: RLPError.self) { try read64([0x82, 0x00, 0x01]) }
        #expect(padded?.rule == .integerHasLeadingZeros)
        #expect(padded?.description.contains("field 'nonce' at byte 0") == true)

        let wide64 = #expect(throws: RLPError.self) { try read64([0x89, 0x01] + [UInt8](repeating: 0, count: 8)) }
        #expect(wide64?.rule == .integerTooWide(bits: 64))
        let wide128 = #expect(throws: RLPError.self) { try read128([0x91, 0x01] + [UInt8](repeating: 0, count: 16)) }
        #expect(wide128?.rule == .integerTooWide(bits: 128))
        #expect(wide128?.description.contains("does not fit in 128 bits") == true)
    }

    @Test func aListWhereBytesAreExpectedIsRefused() throws {
        var reader = try RLPReader([0xC0])
        let error = #expect(throws: RLPError.self) { try reader.readBytes(field: "data") }
        #expect(error?.rule == .expectedBytes)
        #expect(error?.field == "data")
    }
}
