import KeelJSONRPC
import Testing

@Suite struct RPCJSONTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue(parsing: #" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "e": 0} "#)
        #expect(value == .object([
            "a": .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]),
            "b": .object(["c": .string("d")]),
            "e": .number("0"),
        ]))
    }

    @Test func writesCompactlyWithSortedKeysAndRoundTrips() throws {
        let value: JSONValue = ["z": 1, "a": ["x", nil, true], "m": .object([:]), "n": .array([])]
        #expect(value.jsonText == #"{"a":["x",null,true],"m":{},"n":[],"z":1}"#)
        #expect(try JSONValue(parsing: value.jsonBytes) == value)
    }

    @Test(arguments: [
        "{\"a\": \"line\\nbreak \\\"quoted\\\" back\\\\slash tab\\t\"}",
        "[\"\\u0000\\u001f control\", \"é ünïcödé 日本 🚀\"]",
        "[0, -0, 1.5, 1e10, 1E-7, -12.75e+3, 123456789012345678901234567890]",
        "\"just a string\"",
        "null",
    ])
    func roundTripsThroughTheWriter(_ text: String) throws {
        let value = try JSONValue(parsing: text)
        #expect(try JSONValue(parsing: value.jsonBytes) == value)
    }

    @Test func keepsNumbersAsTheirText() throws {
        let big = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        #expect(try JSONValue(parsing: big) == .number(big))
        #expect(try JSONValue(parsing: "1.000") == .number("1.000"))
    }

    @Test func decodesUnicodeEscapesAndSurrogatePairs() throws {
        #expect(try JSONValue(parsing: #""\u00e9\u65E5\ud83d\ude80\/""#) == .string("é日🚀/"))
        #expect(try JSONValue(parsing: #""\b\f\n\r\t""#) == .string("\u{08}\u{0C}\n\r\t"))
    }

    @Test func escapesWhatJSONRequiresWhenWriting() {
        #expect(JSONValue.string("a\"b\\c\n\u{01}é").jsonText == #""a\"b\\c\n\u0001é""#)
    }

    @Test func writesNaNAsNull() {
        #expect(JSONValue.array([.double(.nan), .double(.infinity), .number("01")]).jsonText == "[null,null,null]")
    }

    @Test(arguments: [
        ("", 0, "expected a value, found the end of the input"),
        ("[1,]", 3, "trailing commas are not JSON"),
        ("{\"a\":1,}", 7, "trailing commas are not JSON"),
        ("01", 1, "leading zero"),
        ("+1", 0, "expected a value, found '+'"),
        ("1.", 2, "expected a digit after the decimal point"),
        ("1e", 2, "expected a digit in the exponent"),
        ("'a'", 0, "expected a value, found '''"),
        ("{a:1}", 1, "expected a string key"),
        ("{\"a\" 1}", 5, "expected ':' after an object key"),
        ("[1 2]", 3, "expected ',' or ']'"),
        ("tru", 0, "expected a value"),
        ("\"abc", 4, "has no closing quote"),
        ("\"a\u{01}b\"", 2, "control character (byte 0x1) must be escaped"),
        ("\"\\x\"", 1, "is not a JSON escape"),
        ("\"\\u12\"", 3, "four hex digits"),
        ("\"\\ud800\"", 1, "high surrogate without a low surrogate"),
        ("\"\\udc00\"", 1, "low surrogate without a high surrogate"),
        ("\"\\ud800\\u0041\"", 1, "not a low surrogate"),
        ("1 2", 2, "after the JSON value"),
        ("/* comment */ 1", 0, "expected a value, found '/'"),
        ("NaN", 0, "expected a value"),
    ])
    func refusesWhatRFC8259Refuses(_ text: String, _ offset: Int, _ words: String) {
        #expect {
            _ = try JSONValue(parsing: text)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.offset == offset && error.reason.contains(words)
        }
    }

    @Test func refusesInvalidUTF8NamingTheString() {
        let bytes: [UInt8] = Array("[\"ok\", \"".utf8) + [0xC3, 0x28] + Array("\"]".utf8)
        #expect(throws: JSONParseError(offset: 7, reason: "the string that starts at byte 7 is not valid UTF-8")) {
            try JSONValue(parsing: bytes)
        }
    }

    @Test func refusesNestingBeyondTheDepthLimit() throws {
        let limits = JSONParseLimits(maxDepth: 4)
        #expect(try JSONValue(parsing: "[[[[1]]]]", limits: limits) == [[[[1]]]])
        #expect {
            _ = try JSONValue(parsing: "[[[[[1]]]]]", limits: limits)
        } throws: { error in
            (error as? JSONParseError)?.description == "invalid JSON at byte 4: arrays and objects are nested deeper than the limit of 4 levels"
        }
        // A hostile document deeper than any stack costs a clean error, not a crash.
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    }

    @Test func refusesDocumentsOverTheSizeLimit() {
        #expect {
            _ = try JSONValue(parsing: "[1, 2, 3]", limits: JSONParseLimits(maxBytes: 8))
        } throws: { error in
            (error as? JSONParseError)?.reason == "the document is 9 bytes, more than the limit of 8 bytes"
        }
    }

    @Test func aDuplicateKeyKeepsItsLastValue() throws {
        #expect(try JSONValue(parsing: #"{"a":1,"a":2}"#) == ["a": 2])
    }
}
