import KeelCore
import PropertyBased
import Testing

@Suite struct RLPPropertyTests {
    /// Items nested up to four lists deep, with byte strings of every header form (single bytes,
    /// short and long strings) and lists long enough to need the long header.
    private static var items: Generator<RLPItem, Shrink.None<RLPItem>> {
        Generator { rng in randomItem(depth: 4, using: &rng) }
    }

    private static func randomItem(depth: Int, using rng: inout any SeededRandomNumberGenerator) -> RLPItem {
        if depth > 0 && Int.random(in: 0..<3, using: &rng) == 0 {
            let count = Int.random(in: 0...(depth == 4 ? 4 : 10), using: &rng)
            return .list((0..<count).map { _ in randomItem(depth: depth - 1, using: &rng) })
        }
        let length = switch Int.random(in: 0..<4, using: &rng) {
        case 0: 1
        case 1: Int.random(in: 0...55, using: &rng)
        case 2: Int.random(in: 56...300, using: &rng)
        default: Int.random(in: 0...3, using: &rng)
        }
        return .bytes((0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }

    @Test func everyItemRoundTrips() async {
        await propertyCheck(count: 300, input: Self.items) { item throws in
            let encoded = item.encoded
            #expect(try RLPItem.decode(encoded) == item)
        }
    }

    @Test func integersRoundTripAndStayCanonical() async {
        await propertyCheck(count: 500, input: Gen.uint64(), Gen.uint64()) { high, low throws in
            let value = UInt128(high) << 64 | UInt128(low)
            var encoder = RLPEncoder()
            encoder.append(value)
            encoder.append(low)
            var reader = try RLPReader(encoder.bytes)
            #expect(try reader.readUInt128() == value)
            #expect(try reader.readUInt64() == low)
            try reader.finish()
            // Canonical: no zero first byte in the payload.
            #expect(encoder.bytes.count < 2 || encoder.bytes[0] < 0x81 || encoder.bytes[1] != 0)
        }
    }

    @Test func anyTruncationIsRefused() async {
        await propertyCheck(count: 200, input: Self.items) { item throws in
            let encoded = item.encoded
            guard encoded.count > 1 else { return }
            let cut = Array(encoded.dropLast())
            #expect(throws: RLPError.self) { try RLPItem.decode(cut) }
        }
    }
}
