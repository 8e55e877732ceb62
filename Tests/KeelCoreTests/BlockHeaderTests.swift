import KeelCore
import PropertyBased
import Testing

/// Block headers: the documented RLP layout, the hash without the signature, signing and
/// recovery, exact round trips and clear refusals.
@Suite struct BlockHeaderTests {
    static func sample(signed: Bool = true) -> BlockHeader {
        let header = BlockHeader(
            parentHash: Keccak256.hash([1]), number: 1_000, timestamp: 1_750_000_000_250,
            stateRoot: Keccak256.hash([2]), transactionsRoot: Keccak256.hash([3]), receiptsRoot: Keccak256.hash([4]),
            withdrawalsRoot: .zero, baseFee: 1_000_000_007, gasUsed: 42_000, gasLimit: 30_000_000)
        return signed ? header.signed(with: BlockTestChain.sequencerKey) : header
    }

    @Test func encodingIsTheDocumentedList() throws {
        let header = Self.sample()
        let signature = try #require(header.sequencerSignature)
        let expected: RLPItem = .list([
            .bytes(header.parentHash.bytes), .bytes([0x03, 0xE8]), .bytes([0x01, 0x97, 0x74, 0x20, 0xDC, 0xFA]),
            .bytes(header.stateRoot.bytes), .bytes(header.transactionsRoot.bytes), .bytes(header.receiptsRoot.bytes),
            .bytes(Hash32.zero.bytes), .bytes([0x3B, 0x9A, 0xCA, 0x07]), .bytes([0xA4, 0x10]), .bytes([0x01, 0xC9, 0xC3, 0x80]),
            .bytes(signature.compactBytes),
        ])
        #expect(header.encoded == expected.encoded)
        guard case .list(let items) = expected else { return }
        #expect(header.unsignedEncoding == RLPItem.list(Array(items.prefix(10))).encoded)
        #expect(header.hash == Keccak256.hash(header.unsignedEncoding))
    }

    @Test func anUnsignedHeaderCarriesAnEmptySignature() throws {
        let header = Self.sample(signed: false)
        let item = try RLPItem.decode(header.encoded)
        #expect(item.listItems?.count == 11)
        #expect(item.listItems?.last == .bytes([]))
        #expect(try BlockHeader(rlp: header.encoded) == header)
        #expect(try header.sequencerAddress() == nil)
    }

    @Test func theHashIgnoresTheSignatureAndTheSignatureRecoversTheSequencer() throws {
        let unsigned = Self.sample(signed: false)
        let signed = unsigned.signed(with: BlockTestChain.sequencerKey)
        #expect(signed.hash == unsigned.hash)
        #expect(try signed.sequencerAddress() == BlockTestChain.sequencerKey.address)

        // Any change to a signed field moves the hash, so the old signature names someone else.
        var forged = signed
        forged.gasUsed += 1
        #expect(forged.hash != signed.hash)
        #expect((try? forged.sequencerAddress()) != BlockTestChain.sequencerKey.address)
    }

    @Test func randomHeadersRoundTripExactly() async {
        let fields = zip(Gen.uint64(), Gen.uint64(), Gen.uint128(), Gen.uint64(), Gen.uint64(), Gen.bool)
        await propertyCheck(count: 100, input: fields) { number, timestamp, baseFee, gasUsed, gasLimit, signed in
            var header = BlockHeader(
                parentHash: Keccak256.hash(Array("\(number)".utf8)), number: number, timestamp: timestamp,
                stateRoot: Keccak256.hash(Array("\(timestamp)".utf8)), transactionsRoot: .zero,
                receiptsRoot: Keccak256.hash([0]), withdrawalsRoot: Keccak256.hash([1]),
                baseFee: baseFee, gasUsed: gasUsed, gasLimit: gasLimit)
            if signed { header = header.signed(with: BlockTestChain.sequencerKey) }
            let decoded = try BlockHeader(rlp: header.encoded)
            #expect(decoded == header)
            #expect(decoded.encoded == header.encoded)
            #expect(decoded.hash == header.hash)
        }
    }

    @Test func malformedHeadersAreRefusedWithTheField() throws {
        let header = Self.sample()
        guard case .list(let items) = try RLPItem.decode(header.encoded) else { Issue.record("not a list"); return }

        func refusal(_ edited: [RLPItem]) throws -> RLPError {
            try #require(throws: RLPError.self) { try BlockHeader(rlp: RLPItem.list(edited).encoded) }
        }
        let short = try refusal(Array(items.dropLast()))
        #expect(short.rule == .wrongItemCount(expected: 11, found: 10))

        var signature = items
        signature[10] = .bytes([UInt8](repeating: 1, count: 64))
        let badSignature = try refusal(signature)
        #expect(badSignature.field == "header.sequencerSignature")
        #expect(badSignature.rule == .wrongByteCount(expected: 65, found: 64))

        var number = items
        number[1] = .bytes([0x00, 0x03, 0xE8])
        let leadingZero = try refusal(number)
        #expect(leadingZero.field == "header.number")
        #expect(leadingZero.rule == .integerHasLeadingZeros)

        var root = items
        root[3] = .bytes(Array(header.stateRoot.bytes.dropFirst()))
        let shortRoot = try refusal(root)
        #expect(shortRoot.field == "header.stateRoot")
        #expect(shortRoot.description.contains("expected 32 bytes, found 31"))

        var wide = items
        wide[8] = .bytes([UInt8](repeating: 0xFF, count: 9))
        #expect(try refusal(wide).rule == .integerTooWide(bits: 64))

        let trailing = try #require(throws: RLPError.self) { try BlockHeader(rlp: header.encoded + [0x80]) }
        #expect(trailing.rule == .trailingBytes)
        #expect(trailing.offset == header.encoded.count)
    }
}
