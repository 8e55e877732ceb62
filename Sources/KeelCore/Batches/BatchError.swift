/// A batch could not be encoded or decoded: what was wrong, and where.
///
/// `offset` counts bytes from the start of the batch for problems in the header or the compressed
/// stream, and from the start of the *uncompressed* payload for problems in a block
/// (`inPayload` says which); `blockIndex` is the block's position in the batch, when one is at fault.
public struct BatchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong.
    public enum Kind: Hashable, Sendable {
        /// Fewer bytes than the 26-byte header.
        case truncatedHeader(found: Int)
        /// The first byte is not the format byte `0xB1`.
        case unknownFormat(UInt8)
        /// The codec byte names no codec this node knows.
        case unknownCodec(UInt8)
        /// A batch must hold at least one block.
        case emptyBatch
        /// The last block's number would not fit in 64 bits.
        case blockNumberOverflow(first: UInt64, count: Int)
        /// The chain id is not the one this node follows.
        case chainIDMismatch(expected: UInt64, found: UInt64)
        /// The header declares a payload larger than the decoder's bound; nothing was decompressed.
        case declaredLengthOverBound(declared: Int, bound: Int)
        /// The payload to encode is larger than the bound (or than the format's 4 GiB).
        case payloadOverBound(size: Int, bound: Int)
        /// More blocks than the format's 32-bit count.
        case tooManyBlocks(Int)
        /// The compressed stream was refused (corrupt, truncated, longer than declared, …).
        case decompression(CompressionError)
        /// The payload decompressed to fewer bytes than the declared length.
        case lengthMismatch(declared: Int, actual: Int)
        /// The payload decompresses past the declared length; decoding stopped there.
        case longerThanDeclared(declared: Int)
        /// A block's bytes are not a valid block encoding.
        case malformedBlock(RLPError)
        /// The payload holds another number of blocks than the header declares.
        case blockCountMismatch(declared: Int, found: Int)
        /// A block's number does not follow the previous one (or the header's first number).
        case numberOutOfSequence(expected: UInt64, found: UInt64)
        /// A block's `parentHash` is not the hash of the block before it.
        case parentHashMismatch(expected: Hash32, found: Hash32)
        /// A block's `transactionsRoot` does not match its transactions.
        case transactionsRootMismatch(header: Hash32, computed: Hash32)
    }

    /// What was wrong.
    public let kind: Kind
    /// Where: a batch offset, or a payload offset when `inPayload`.
    public let offset: Int
    /// Whether `offset` counts in the uncompressed payload.
    public let inPayload: Bool
    /// The position of the faulty block in the batch (0 is the first), if a block is at fault.
    public let blockIndex: Int?

    /// Makes an error; the codec builds these.
    public init(_ kind: Kind, offset: Int, inPayload: Bool = false, blockIndex: Int? = nil) {
        self.kind = kind
        self.offset = offset
        self.inPayload = inPayload
        self.blockIndex = blockIndex
    }

    public var description: String {
        let place = inPayload ? "payload byte \(offset)" : "batch byte \(offset)"
        let block = blockIndex.map { ", block \($0) of the batch" } ?? ""
        return "invalid batch at \(place)\(block): \(explanation)"
    }

    private var explanation: String {
        switch kind {
        case .truncatedHeader(let found):
            "only \(found) bytes, fewer than the \(BatchHeader.size)-byte header; the batch was cut short"
        case .unknownFormat(let byte):
            "format byte is \(Self.hex(byte)), not \(Self.hex(BatchHeader.formatByte)); this is not a Keel batch, "
                + "or a newer format this node does not know (upgrade the node)"
        case .unknownCodec(let byte):
            "codec byte \(byte) names no known codec (0 none, 1 zlib, 2 brotli); upgrade the node or check the producer"
        case .emptyBatch:
            "the block count is 0; a batch holds at least one block"
        case .blockNumberOverflow(let first, let count):
            "\(count) blocks from number \(first) run past the largest block number"
        case .chainIDMismatch(let expected, let found):
            "chain id \(found), but this node follows chain \(expected); the batch belongs to another chain"
        case .declaredLengthOverBound(let declared, let bound):
            "the header declares a \(declared)-byte payload, over the bound of \(bound) bytes; refused before "
                + "decompressing (raise the bound only if such batches are legitimate)"
        case .payloadOverBound(let size, let bound):
            "the blocks encode to \(size) bytes, over the bound of \(bound) bytes; split them over more batches"
        case .tooManyBlocks(let count):
            "\(count) blocks do not fit the format's 32-bit block count; split them over more batches"
        case .decompression(let error):
            "\(error)"
        case .lengthMismatch(let declared, let actual):
            "the payload decompressed to \(actual) bytes, but the header declares \(declared); the batch is damaged"
        case .longerThanDeclared(let declared):
            "the payload decompresses to more than the \(declared) bytes the header declares; decoding stopped there"
        case .malformedBlock(let error):
            "\(error)"
        case .blockCountMismatch(let declared, let found):
            "the header declares \(declared) blocks, the payload holds \(found)"
        case .numberOutOfSequence(let expected, let found):
            "block number \(found) where \(expected) was expected; blocks in a batch are consecutive"
        case .parentHashMismatch(let expected, let found):
            "parent hash \(found) is not the previous block's hash \(expected); the blocks do not form a chain"
        case .transactionsRootMismatch(let header, let computed):
            "the header's transactions root \(header) does not match its transactions (\(computed))"
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        "0x" + Hex.encode([byte], prefix: false).uppercased()
    }
}
