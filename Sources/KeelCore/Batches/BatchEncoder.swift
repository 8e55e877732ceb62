/// Turns a `Batch` into the bytes posted to data availability: a `BatchHeader`, then the blocks'
/// encodings one after another, compressed with `codec`.
///
/// The encoder refuses what a decoder would refuse, so a batch it makes always decodes: no blocks,
/// numbers that are not consecutive, broken parent links, wrong transactions roots, or a payload
/// over `maxUncompressedBytes`.
public struct BatchEncoder: Sendable {
    /// The codec for new batches: `zlib` before the `batch-codec-brotli` flag activates, `brotli` after.
    public var codec: CompressionCodec
    /// The compression level; `nil` for `codec.defaultLevel`.
    public var level: Int?
    /// The largest payload to produce; keep it at or below the decoders' bound.
    public var maxUncompressedBytes: Int

    /// An encoder for `codec`.
    public init(codec: CompressionCodec, level: Int? = nil, maxUncompressedBytes: Int = BatchDecoder.defaultMaxUncompressedBytes) {
        self.codec = codec
        self.level = level
        self.maxUncompressedBytes = maxUncompressedBytes
    }

    /// The batch's bytes. Throws `BatchError`.
    public func encode(_ batch: Batch) throws(BatchError) -> [UInt8] {
        guard let first = batch.blocks.first else { throw BatchError(.emptyBatch, offset: 0) }
        guard batch.blocks.count <= UInt32.max else { throw BatchError(.tooManyBlocks(batch.blocks.count), offset: 0) }
        try BlockSequence.check(batch.blocks, firstNumber: first.header.number)

        var encoder = RLPEncoder(reservingCapacity: batch.blocks.reduce(0) { $0 + 512 + $1.transactions.reduce(0) { $0 + $1.count + 3 } })
        for block in batch.blocks { block.append(to: &encoder) }
        let payload = encoder.bytes
        let bound = min(maxUncompressedBytes, Int(UInt32.max))
        guard payload.count <= bound else { throw BatchError(.payloadOverBound(size: payload.count, bound: bound), offset: 0) }

        let header = BatchHeader(codec: codec, chainID: batch.chainID, firstBlockNumber: first.header.number,
                                 blockCount: UInt32(batch.blocks.count), uncompressedLength: UInt32(payload.count))
        let compressed: [UInt8]
        do {
            compressed = try codec.compress(payload, level: level)
        } catch let error as CompressionError {
            throw BatchError(.decompression(error), offset: BatchHeader.size)
        } catch {
            throw BatchError(.decompression(CompressionError(.libraryFailure, codec: codec, offset: 0, produced: 0, detail: "\(error)")),
                             offset: BatchHeader.size)
        }
        return header.encoded + compressed
    }
}

/// The rules that make a list of blocks a chain segment, shared by the encoder and the decoder.
enum BlockSequence {
    /// Checks numbers, parent links and transactions roots of all `blocks`.
    static func check(_ blocks: [Block], firstNumber: UInt64) throws(BatchError) {
        var previousHash: Hash32?
        for (index, block) in blocks.enumerated() {
            previousHash = try check(block, index: index, firstNumber: firstNumber, previousHash: previousHash, offset: 0)
        }
    }

    /// Checks one block against its place; returns its hash for the next block's check.
    static func check(_ block: Block, index: Int, firstNumber: UInt64, previousHash: Hash32?, offset: Int) throws(BatchError) -> Hash32 {
        let expected = firstNumber &+ UInt64(index)
        guard block.header.number == expected else {
            throw BatchError(.numberOutOfSequence(expected: expected, found: block.header.number), offset: offset, inPayload: true, blockIndex: index)
        }
        if let previousHash, block.header.parentHash != previousHash {
            throw BatchError(.parentHashMismatch(expected: previousHash, found: block.header.parentHash),
                             offset: offset, inPayload: true, blockIndex: index)
        }
        let root = BlockRoots.transactionsRoot(block.transactions)
        guard root == block.header.transactionsRoot else {
            throw BatchError(.transactionsRootMismatch(header: block.header.transactionsRoot, computed: root),
                             offset: offset, inPayload: true, blockIndex: index)
        }
        return block.header.hash
    }
}
