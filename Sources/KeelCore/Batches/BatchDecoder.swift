/// Restores a `Batch` from its bytes, exactly as it was encoded, or says what is wrong and where.
///
/// Decoding never trusts the input: the declared payload length is checked against
/// `maxUncompressedBytes` before anything is decompressed, decompression stops the moment output
/// would pass the declared length, and every block is checked for its number, its parent link and
/// its transactions root. Malformed input of any kind throws `BatchError`; it never crashes.
public struct BatchDecoder: Sendable {
    /// The default bound on a batch's uncompressed payload: 32 MiB, far above a real batch
    /// (10,000 transfers are about 1.2 MB) and small enough that a bomb costs little.
    public static let defaultMaxUncompressedBytes = 32 << 20

    /// The largest uncompressed payload accepted.
    public var maxUncompressedBytes: Int
    /// The chain whose batches are accepted; `nil` accepts any.
    public var expectedChainID: UInt64?

    /// A decoder with the given bound, accepting batches of `expectedChainID` (any chain when `nil`).
    public init(maxUncompressedBytes: Int = defaultMaxUncompressedBytes, expectedChainID: UInt64? = nil) {
        self.maxUncompressedBytes = maxUncompressedBytes
        self.expectedChainID = expectedChainID
    }

    /// Reads and checks only the header: format, codec, block range, chain id and the declared
    /// length against the bound. Cheap; lets a node decide before decompressing.
    public func header(of bytes: [UInt8]) throws(BatchError) -> BatchHeader {
        let header = try BatchHeader(decoding: bytes)
        if let expectedChainID, header.chainID != expectedChainID {
            throw BatchError(.chainIDMismatch(expected: expectedChainID, found: header.chainID), offset: 2)
        }
        guard Int(header.uncompressedLength) <= maxUncompressedBytes else {
            throw BatchError(.declaredLengthOverBound(declared: Int(header.uncompressedLength), bound: maxUncompressedBytes), offset: 22)
        }
        return header
    }

    /// The batch in `bytes`. Throws `BatchError`.
    public func decode(_ bytes: [UInt8]) throws(BatchError) -> Batch {
        let header = try header(of: bytes)
        let payload = try decompress(bytes, header: header)

        let declared = Int(header.blockCount)
        var reader: RLPReader
        do {
            reader = try RLPReader(payload, limits: RLPLimits(maxDepth: 8, maxInputBytes: payload.count))
        } catch {
            throw BatchError(.malformedBlock(error), offset: error.offset, inPayload: true)
        }
        var blocks: [Block] = []
        // The count is not trusted yet: a block takes far more than 64 bytes, so this bounds the reservation.
        blocks.reserveCapacity(min(declared, payload.count / 64))
        var previousHash: Hash32?
        for index in 0..<declared {
            let start = reader.position
            guard !reader.isAtEnd else {
                throw BatchError(.blockCountMismatch(declared: declared, found: index), offset: start, inPayload: true)
            }
            let block: Block
            do {
                block = try Block(reading: &reader)
            } catch {
                throw BatchError(.malformedBlock(error), offset: error.offset, inPayload: true, blockIndex: index)
            }
            previousHash = try BlockSequence.check(block, index: index, firstNumber: header.firstBlockNumber,
                                                   previousHash: previousHash, offset: start)
            blocks.append(block)
        }
        if !reader.isAtEnd {
            let extra = (try? reader.remainingItemCount()) ?? 1
            throw BatchError(.blockCountMismatch(declared: declared, found: declared + extra), offset: reader.position, inPayload: true)
        }
        return Batch(chainID: header.chainID, blocks: blocks)
    }

    private func decompress(_ bytes: [UInt8], header: BatchHeader) throws(BatchError) -> [UInt8] {
        let declared = Int(header.uncompressedLength)
        let payload: [UInt8]
        do {
            payload = try bytes.withUnsafeBytes { raw in
                try header.codec.decompress(UnsafeRawBufferPointer(rebasing: raw[BatchHeader.size...]), limit: declared)
            }
        } catch let error as CompressionError {
            if error.kind == .exceedsBound {
                throw BatchError(.longerThanDeclared(declared: declared), offset: BatchHeader.size + error.offset)
            }
            throw BatchError(.decompression(error), offset: BatchHeader.size + error.offset)
        } catch {
            throw BatchError(.decompression(CompressionError(.libraryFailure, codec: header.codec, offset: 0, produced: 0, detail: "\(error)")),
                             offset: BatchHeader.size)
        }
        guard payload.count == declared else {
            throw BatchError(.lengthMismatch(declared: declared, actual: payload.count), offset: bytes.count)
        }
        return payload
    }
}
