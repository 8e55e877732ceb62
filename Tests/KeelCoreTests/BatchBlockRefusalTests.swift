import KeelCore
import Testing

/// Payloads that decompress fine but do not hold the chain segment the header promises: each is
/// refused with the block at fault and its offset in the payload. The encoder refuses the same.
@Suite struct BatchBlockRefusalTests {
    /// A stored (codec 0) batch of exactly `payload`, declaring `blockCount` blocks from `first`.
    static func stored(_ payload: [UInt8], blockCount: UInt32, first: UInt64 = 1) -> [UInt8] {
        BatchHeader(codec: .none, chainID: BlockTestChain.chainID, firstBlockNumber: first, blockCount: blockCount,
                    uncompressedLength: UInt32(payload.count)).encoded + payload
    }

    static func decodeError(_ bytes: [UInt8]) throws -> BatchError {
        try #require(throws: BatchError.self) { try BatchDecoder().decode(bytes) }
    }

    static let blocks = BlockTestChain.batch(blocks: 3, transfersPerBlock: 2).blocks

    @Test func theStoredFormIsTheBlocksBackToBack() throws {
        let decoded = try BatchDecoder().decode(Self.stored(Self.blocks.flatMap(\.encoded), blockCount: 3))
        #expect(decoded.blocks == Self.blocks)
    }

    @Test func fewerOrMoreBlocksThanDeclaredAreRefused() throws {
        let payload = Self.blocks.flatMap(\.encoded)
        let fewer = try Self.decodeError(Self.stored(payload, blockCount: 4))
        #expect(fewer.kind == .blockCountMismatch(declared: 4, found: 3))
        #expect(fewer.offset == payload.count)
        #expect(fewer.inPayload)

        let more = try Self.decodeError(Self.stored(payload, blockCount: 2))
        #expect(more.kind == .blockCountMismatch(declared: 2, found: 3))
        #expect(more.offset == Self.blocks[0].encoded.count + Self.blocks[1].encoded.count)
        #expect(more.description.contains("the header declares 2 blocks, the payload holds 3"))
    }

    @Test func aMalformedBlockIsRefusedWithItsIndexAndOffset() throws {
        let first = Self.blocks[0].encoded
        // A list of one item where a block (header, transactions) belongs.
        let second = RLPItem.list([.bytes([1])]).encoded
        let error = try Self.decodeError(Self.stored(first + second + Self.blocks[2].encoded, blockCount: 3))
        guard case .malformedBlock(let rlp) = error.kind else { Issue.record("\(error)"); return }
        #expect(rlp.rule == .wrongItemCount(expected: 2, found: 1))
        #expect(error.blockIndex == 1)
        #expect(error.offset == first.count)
        #expect(error.inPayload)
        #expect(error.description.contains("block 1 of the batch"))

        let garbage = try Self.decodeError(Self.stored([0x01, 0x02], blockCount: 1))
        guard case .malformedBlock(let list) = garbage.kind else { Issue.record("\(garbage)"); return }
        #expect(list.rule == .expectedList)
        #expect(list.field == "block")
    }

    @Test func aHugeDeclaredBlockCountIsRefusedWithoutReservingForIt() throws {
        let payload = Self.blocks.flatMap(\.encoded)
        let error = try Self.decodeError(Self.stored(payload, blockCount: .max, first: 1))
        #expect(error.kind == .blockCountMismatch(declared: Int(UInt32.max), found: 3))
    }

    @Test func blocksOutOfSequenceAreRefused() throws {
        let payload = Self.blocks.flatMap(\.encoded)
        let wrongStart = try Self.decodeError(Self.stored(payload, blockCount: 3, first: 5))
        #expect(wrongStart.kind == .numberOutOfSequence(expected: 5, found: 1))
        #expect(wrongStart.blockIndex == 0)

        let skipped = try Self.decodeError(Self.stored(Self.blocks[0].encoded + Self.blocks[2].encoded, blockCount: 2))
        #expect(skipped.kind == .numberOutOfSequence(expected: 2, found: 3))
        #expect(skipped.blockIndex == 1)
        #expect(skipped.offset == Self.blocks[0].encoded.count)

        let encoding = try #require(throws: BatchError.self) {
            try BatchEncoder(codec: .zlib).encode(Batch(chainID: 1, blocks: [Self.blocks[0], Self.blocks[2]]))
        }
        #expect(encoding.kind == .numberOutOfSequence(expected: 2, found: 3))
    }

    @Test func aBrokenParentLinkIsRefused() throws {
        var blocks = Self.blocks
        blocks[2].header.parentHash = Keccak256.hash([9])
        blocks[2].header = blocks[2].header.signed(with: BlockTestChain.sequencerKey)
        let error = try Self.decodeError(Self.stored(blocks.flatMap(\.encoded), blockCount: 3))
        #expect(error.kind == .parentHashMismatch(expected: blocks[1].hash, found: Keccak256.hash([9])))
        #expect(error.blockIndex == 2)
        #expect(throws: BatchError.self) { try BatchEncoder(codec: .brotli).encode(Batch(chainID: 1, blocks: blocks)) }
    }

    @Test func transactionsThatDoNotMatchTheRootAreRefused() throws {
        var blocks = Self.blocks
        blocks[0].transactions.swapAt(0, 1)
        let error = try Self.decodeError(Self.stored(blocks.flatMap(\.encoded), blockCount: 3))
        #expect(error.kind == .transactionsRootMismatch(header: blocks[0].header.transactionsRoot,
                                                         computed: BlockRoots.transactionsRoot(blocks[0].transactions)))
        #expect(error.blockIndex == 0)
        #expect(error.description.contains("does not match its transactions"))
        #expect(throws: BatchError.self) { try BatchEncoder(codec: .zlib).encode(Batch(chainID: 1, blocks: blocks)) }
    }

    @Test func anEmptyBatchIsNeverEncoded() throws {
        let error = try #require(throws: BatchError.self) { try BatchEncoder(codec: .zlib).encode(Batch(chainID: 1, blocks: [])) }
        #expect(error.kind == .emptyBatch)
    }
}
