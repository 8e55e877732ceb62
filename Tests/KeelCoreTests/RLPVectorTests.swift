import KeelCore
import Testing

@Suite struct RLPVectorTests {
    @Test func everySharedVectorEncodesToItsBytes() throws {
        let vectors = try SharedVectors.load().rlp
        #expect(vectors.count == 30)
        for vector in vectors {
            let item = try vector.decoded.item()
            #expect(Hex.encode(item.encoded) == vector.encoded.lowercased(), "encoding \(vector.encoded)")
        }
    }

    @Test func everySharedVectorDecodesToItsItem() throws {
        for vector in try SharedVectors.load().rlp {
            let bytes = try #require(Hex.decode(vector.encoded))
            #expect(try RLPItem.decode(bytes) == vector.decoded.item(), "decoding \(vector.encoded)")
        }
    }

    @Test func knownEncodingsFromTheYellowPaper() {
        #expect(RLPItem.bytes(Array("dog".utf8)).encoded == [0x83, 0x64, 0x6F, 0x67])
        #expect(RLPItem.list([.bytes(Array("cat".utf8)), .bytes(Array("dog".utf8))]).encoded
            == [0xC8, 0x83, 0x63, 0x61, 0x74, 0x83, 0x64, 0x6F, 0x67])
        #expect(RLPItem.bytes([]).encoded == [0x80])
        #expect(RLPItem.list([]).encoded == [0xC0])
        #expect(RLPItem.bytes([0x00]).encoded == [0x00])
        #expect(RLPItem.bytes([0x0F]).encoded == [0x0F])
        #expect(RLPItem.bytes([0x80]).encoded == [0x81, 0x80])
        // The set-theoretic three: [ [], [[]], [ [], [[]] ] ].
        let three = RLPItem.list([.list([]), .list([.list([])]), .list([.list([]), .list([.list([])])])])
        #expect(three.encoded == [0xC7, 0xC0, 0xC1, 0xC0, 0xC3, 0xC0, 0xC1, 0xC0])
        let lorem = Array("Lorem ipsum dolor sit amet, consectetur adipisicing elit".utf8)
        #expect(Array(RLPItem.bytes(lorem).encoded.prefix(2)) == [0xB8, 0x38])
    }

    @Test func integersEncodeAsCanonicalScalars() {
        func encode(_ value: UInt128) -> [UInt8] {
            var encoder = RLPEncoder()
            encoder.append(value)
            return encoder.bytes
        }
        #expect(encode(0) == [0x80])
        #expect(encode(15) == [0x0F])
        #expect(encode(0x7F) == [0x7F])
        #expect(encode(0x80) == [0x81, 0x80])
        #expect(encode(1024) == [0x82, 0x04, 0x00])
        #expect(encode(UInt128.max) == [0x90] + [UInt8](repeating: 0xFF, count: 16))
        var encoder = RLPEncoder()
        encoder.append(UInt64.max)
        #expect(encoder.bytes == [0x88] + [UInt8](repeating: 0xFF, count: 8))
    }

    @Test func longListsGetALongHeader() throws {
        let items = (0..<100).map { RLPItem.bytes([UInt8]($0 < 50 ? [0x01, 0x02] : [0x03])) }
        let encoded = RLPItem.list(items).encoded
        #expect(encoded[0] == 0xF8)
        #expect(Int(encoded[1]) == encoded.count - 2)
        #expect(try RLPItem.decode(encoded) == .list(items))
        let big = RLPItem.bytes([UInt8](repeating: 0xAA, count: 70_000))
        let bigEncoded = RLPItem.list([big]).encoded
        #expect(Array(bigEncoded.prefix(4)) == [0xFA, 0x01, 0x11, 0x74])  // list of 70 004 bytes
        #expect(try RLPItem.decode(bigEncoded) == .list([big]))
    }
}
