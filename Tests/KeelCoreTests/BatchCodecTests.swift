import KeelCore
import PropertyBased
import Testing

/// Batches: the header layout, exact restoration with every codec, and a clear refusal, with its
/// place, for every kind of malformed input.
@Suite struct BatchCodecTests {
    static let compressing: [CompressionCodec] = [.zlib, .brotli]

    @Test func headerIsTheDocumentedTwentySixBytes() throws {
        let batch = BlockTestChain.batch(blocks: 2, transfersPerBlock: 1)
        let bytes = try BatchEncoder(codec: .brotli).encode(batch)
        let payloadLength = batch.blocks.reduce(0) { $0 + $1.encoded.count }
        #expect(Array(bytes[0..<2]) == [0xB1, 0x02])
        #expect(Array(bytes[2..<10]) == [0, 0, 0, 0, 0, 0, 0x03, 0x85]) // chain 901
        #expect(Array(bytes[10..<18]) == [0, 0, 0, 0, 0, 0, 0, 1])      // first block 1
        #expect(Array(bytes[18..<22]) == [0, 0, 0, 2])                  // two blocks
        #expect(Array(bytes[22..<26]) == withUnsafeBytes(of: UInt32(payloadLength).bigEndian) { Array($0) })
        // The payload is the blocks' encodings back to back, compressed.
        let payload = try CompressionCodec.brotli.decompress(Array(bytes[26...]), limit: payloadLength)
        #expect(payload == batch.blocks.flatMap(\.encoded))

        let header = try BatchDecoder().header(of: bytes)
        #expect(header == BatchHeader(codec: .brotli, chainID: 901, firstBlockNumber: 1, blockCount: 2, uncompressedLength: UInt32(payloadLength)))
        #expect(header.encoded == Array(bytes[..<26]))
        #expect(header.lastBlockNumber == 2)
    }

    @Test(arguments: CompressionCodec.allCases)
    func batchesRestoreExactlyWhicheverCodecMadeThem(codec: CompressionCodec) throws {
        let batch = BlockTestChain.batch(blocks: 4, transfersPerBlock: 5)
        let bytes = try BatchEncoder(codec: codec).encode(batch)
        // One decoder reads every codec: the codec byte says which.
        let decoded = try BatchDecoder(expectedChainID: 901).decode(bytes)
        #expect(decoded == batch)
        #expect(decoded.blocks.map(\.hash) == batch.blocks.map(\.hash))
        #expect(decoded.blocks.flatMap(\.transactions) == batch.blocks.flatMap(\.transactions))
        #expect(try BatchEncoder(codec: codec).encode(decoded) == bytes)
        if codec != .none { #expect(bytes.count < 26 + batch.blocks.reduce(0) { $0 + $1.encoded.count }) }
    }

    @Test func randomBatchesRoundTrip() async {
        // Raw transactions are kept as opaque bytes, so any bytes must survive, empty ones included.
        let input = zip(Gen<CompressionCodec>.case, Gen.int(in: 1...4), Gen.uint8().array(of: 0...300).array(of: 0...6), Gen.uint64(in: 0...1_000_000))
        await propertyCheck(count: 40, input: input) { codec, blockCount, transactions, first in
            let blocks = BlockTestChain.blocks(first: first, count: blockCount) { index in
                index % 2 == 0 ? transactions : Array(transactions.reversed())
            }
            let batch = Batch(chainID: first % 7, blocks: blocks)
            let bytes = try BatchEncoder(codec: codec).encode(batch)
            #expect(try BatchDecoder().decode(bytes) == batch)
        }
    }

    // MARK: - Refusals in the header

    @Test func headerProblemsNameTheByte() throws {
        let bytes = try BatchEncoder(codec: .zlib).encode(BlockTestChain.batch())

        let short = try #require(throws: BatchError.self) { try BatchDecoder().decode(Array(bytes[..<25])) }
        #expect(short.kind == .truncatedHeader(found: 25))

        var format = bytes
        format[0] = 0xB2
        let unknownFormat = try #require(throws: BatchError.self) { try BatchDecoder().decode(format) }
        #expect(unknownFormat.kind == .unknownFormat(0xB2))
        #expect(unknownFormat.description.contains("batch byte 0"))
        #expect(unknownFormat.description.contains("format byte is 0xB2, not 0xB1"))

        var codec = bytes
        codec[1] = 3
        let unknownCodec = try #require(throws: BatchError.self) { try BatchDecoder().decode(codec) }
        #expect(unknownCodec.kind == .unknownCodec(3))
        #expect(unknownCodec.offset == 1)

        var empty = bytes
        empty.replaceSubrange(18..<22, with: [0, 0, 0, 0])
        #expect(try #require(throws: BatchError.self) { try BatchDecoder().decode(empty) }.kind == .emptyBatch)

        var overflow = bytes
        overflow.replaceSubrange(10..<18, with: [UInt8](repeating: 0xFF, count: 8))
        #expect(try #require(throws: BatchError.self) { try BatchDecoder().decode(overflow) }.kind
            == .blockNumberOverflow(first: .max, count: 3))

        let chain = try #require(throws: BatchError.self) { try BatchDecoder(expectedChainID: 902).decode(bytes) }
        #expect(chain.kind == .chainIDMismatch(expected: 902, found: 901))
    }

    @Test func aDeclaredLengthOverTheBoundIsRefusedBeforeDecompressing() throws {
        let bytes = try BatchEncoder(codec: .brotli).encode(BlockTestChain.batch())
        let declared = Int(try BatchDecoder().header(of: bytes).uncompressedLength)
        let error = try #require(throws: BatchError.self) { try BatchDecoder(maxUncompressedBytes: declared - 1).decode(bytes) }
        #expect(error.kind == .declaredLengthOverBound(declared: declared, bound: declared - 1))
        #expect(error.offset == 22)
        // The encoder refuses to make what such a decoder would refuse.
        let encoding = try #require(throws: BatchError.self) {
            try BatchEncoder(codec: .brotli, maxUncompressedBytes: declared - 1).encode(BlockTestChain.batch())
        }
        #expect(encoding.kind == .payloadOverBound(size: declared, bound: declared - 1))
    }

    @Test(arguments: compressing)
    func aBombBehindASmallDeclaredLengthStopsAtThatLength(codec: CompressionCodec) throws {
        // A header that declares 1 KiB in front of a stream that expands to 16 MiB.
        let bomb = try codec.compress([UInt8](repeating: 0xC0, count: 16 << 20))
        let header = BatchHeader(codec: codec, chainID: 1, firstBlockNumber: 0, blockCount: 1, uncompressedLength: 1024)
        let error = try #require(throws: BatchError.self) { try BatchDecoder().decode(header.encoded + bomb) }
        #expect(error.kind == .longerThanDeclared(declared: 1024))
        #expect(error.offset >= 26 && error.offset <= 26 + bomb.count)
    }

    @Test(arguments: compressing)
    func corruptOrTruncatedPayloadsAreRefused(codec: CompressionCodec) throws {
        let bytes = try BatchEncoder(codec: codec).encode(BlockTestChain.batch())
        let truncated = try #require(throws: BatchError.self) { try BatchDecoder().decode(Array(bytes.dropLast(5))) }
        guard case .decompression(let inner) = truncated.kind else { Issue.record("\(truncated)"); return }
        #expect([.truncated, .corrupt].contains(inner.kind))
        #expect(truncated.description.contains(codec.description))

        let trailing = try #require(throws: BatchError.self) { try BatchDecoder().decode(bytes + [0]) }
        #expect(trailing.kind == .decompression(CompressionError(.trailingBytes, codec: codec, offset: bytes.count - 26, produced: trailing.decompressed)))
        #expect(trailing.offset == bytes.count)
    }

    @Test func aPayloadShorterThanDeclaredIsRefused() throws {
        var bytes = try BatchEncoder(codec: .none).encode(BlockTestChain.batch())
        bytes.removeLast()
        let error = try #require(throws: BatchError.self) { try BatchDecoder().decode(bytes) }
        guard case .lengthMismatch(let declared, let actual) = error.kind else { Issue.record("\(error)"); return }
        #expect(actual == declared - 1)
    }

    @Test(arguments: CompressionCodec.allCases)
    func flippedBytesNeverCrashTheDecoder(codec: CompressionCodec) async throws {
        let batch = BlockTestChain.batch(blocks: 2, transfersPerBlock: 2)
        let bytes = try BatchEncoder(codec: codec).encode(batch)
        await propertyCheck(count: 150, input: Gen.int(in: 0...(bytes.count - 1)), Gen.uint8(in: 1...255)) { index, mask in
            var damaged = bytes
            damaged[index] ^= mask
            do {
                let decoded = try BatchDecoder().decode(damaged)
                // Only a change no check covers survives (the chain id, a signature, the last header's roots
                // or times); the blocks' numbers and transactions cannot change unnoticed.
                #expect(decoded.blocks.map(\.header.number) == batch.blocks.map(\.header.number))
                #expect(decoded.blocks.map(\.transactions) == batch.blocks.map(\.transactions))
            } catch {
                #expect(error is BatchError)
            }
        }
    }
}

extension BatchError {
    /// The bytes restored before a decompression error (for building the expected error in tests).
    var decompressed: Int {
        if case .decompression(let inner) = kind { return inner.produced }
        return -1
    }
}
