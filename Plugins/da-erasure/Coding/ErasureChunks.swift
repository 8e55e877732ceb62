/// The `n` chunks of an encoded blob, all `chunkSize` bytes, stored back to back: data chunks
/// `0..<k` (the blob, zero-padded), then parity chunks `k..<n`.
public struct ErasureChunks: Sendable {
    /// `count × chunkSize` bytes.
    public let storage: [UInt8]
    /// The size of each chunk.
    public let chunkSize: Int
    /// `n`, the number of chunks.
    public let count: Int

    /// Chunk `index` (`0..<count`).
    public subscript(index: Int) -> ArraySlice<UInt8> {
        storage[index * chunkSize ..< (index + 1) * chunkSize]
    }
}

/// Why Reed-Solomon coding could not run.
public enum ReedSolomonError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `k` or `m` is out of range.
    case badShape(dataChunks: Int, parityChunks: Int)
    /// `decode` was given another number of chunk slots than `n`.
    case wrongChunkCount(expected: Int, got: Int)
    /// A chunk is not the size the blob length implies.
    case wrongChunkSize(index: Int, expected: Int, got: Int)
    /// Fewer than `k` chunks are present.
    case tooFewChunks(needed: Int, present: [Int])
    /// The sub-matrix of the given rows has no inverse (never for a Cauchy generator).
    case singular(sources: [Int])

    public var description: String {
        switch self {
        case let .badShape(k, m):
            "a Reed-Solomon code needs at least 1 data and 1 parity chunk and at most "
                + "\(ReedSolomonCode.largestTotalChunks) in all, not \(k) data and \(m) parity"
        case let .wrongChunkCount(expected, got):
            "decoding needs a slot for each of the \(expected) chunks, got \(got)"
        case let .wrongChunkSize(index, expected, got):
            "chunk \(index) is \(got) bytes; this blob's chunks are \(expected) bytes"
        case let .tooFewChunks(needed, present):
            "\(present.count) chunks are present (\(present.map(String.init).joined(separator: ", "))); rebuilding needs \(needed)"
        case let .singular(sources):
            "the generator rows \(sources) cannot be inverted"
        }
    }
}
