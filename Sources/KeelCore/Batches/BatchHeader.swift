/// The fixed 26-byte header in front of every batch (docs/FORMATS.md, "Batch").
///
/// ```
/// offset size  field
///      0    1  format byte 0xB1 (high nibble 0xB: a Keel batch; low nibble: format version 1)
///      1    1  codec byte: 0 none, 1 zlib, 2 brotli
///      2    8  chain id, big-endian
///     10    8  number of the first block, big-endian
///     18    4  block count, big-endian, at least 1
///     22    4  length of the uncompressed payload, big-endian
///     26    …  the payload, compressed with the codec
/// ```
public struct BatchHeader: Hashable, Sendable {
    /// The format byte of this version: `0xB1`.
    public static let formatByte: UInt8 = 0xB1
    /// The header's size in bytes.
    public static let size = 26

    /// How the payload is compressed.
    public var codec: CompressionCodec
    /// The chain the blocks belong to.
    public var chainID: UInt64
    /// The number of the first block; the others follow one by one.
    public var firstBlockNumber: UInt64
    /// How many blocks the payload holds.
    public var blockCount: UInt32
    /// The payload's length before compression.
    public var uncompressedLength: UInt32

    /// A header with every field given.
    public init(codec: CompressionCodec, chainID: UInt64, firstBlockNumber: UInt64, blockCount: UInt32, uncompressedLength: UInt32) {
        self.codec = codec
        self.chainID = chainID
        self.firstBlockNumber = firstBlockNumber
        self.blockCount = blockCount
        self.uncompressedLength = uncompressedLength
    }

    /// The number of the last block.
    public var lastBlockNumber: UInt64 {
        firstBlockNumber &+ UInt64(blockCount) &- 1
    }

    /// The 26 header bytes.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = [Self.formatByte, codec.rawValue]
        bytes.reserveCapacity(Self.size)
        bytes.appendBigEndian(chainID)
        bytes.appendBigEndian(firstBlockNumber)
        bytes.appendBigEndian(blockCount)
        bytes.appendBigEndian(uncompressedLength)
        return bytes
    }

    /// Reads and checks the header at the start of `bytes`: enough bytes, the format byte, a known
    /// codec, at least one block, and block numbers that fit in 64 bits.
    public init(decoding bytes: [UInt8]) throws(BatchError) {
        guard bytes.count >= Self.size else {
            throw BatchError(.truncatedHeader(found: bytes.count), offset: bytes.count)
        }
        guard bytes[0] == Self.formatByte else { throw BatchError(.unknownFormat(bytes[0]), offset: 0) }
        guard let codec = CompressionCodec(rawValue: bytes[1]) else { throw BatchError(.unknownCodec(bytes[1]), offset: 1) }
        self.codec = codec
        chainID = bytes.readBigEndian(at: 2)
        firstBlockNumber = bytes.readBigEndian(at: 10)
        blockCount = bytes.readBigEndian(at: 18)
        uncompressedLength = bytes.readBigEndian(at: 22)
        guard blockCount > 0 else { throw BatchError(.emptyBatch, offset: 18) }
        guard firstBlockNumber.addingReportingOverflow(UInt64(blockCount) - 1).overflow == false else {
            throw BatchError(.blockNumberOverflow(first: firstBlockNumber, count: Int(blockCount)), offset: 10)
        }
    }
}
