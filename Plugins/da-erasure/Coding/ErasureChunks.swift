/// The `n` chunks of an encoded blob, all `chunkSize` bytes: data chunks `0..<k` (the blob,
/// zero-padded), then parity chunks `k..<n`. The data chunks that lie wholly inside the blob are
/// slices of it; the rest of the data sits in `padded`, the parity in `parity`.
public struct ErasureChunks: Sendable {
    /// The blob as given.
    public let blob: [UInt8]
    /// The data chunks from `wholeChunks` on: the blob's remainder, then zeros.
    public let padded: [UInt8]
    /// The `m` parity chunks, back to back.
    public let parity: [UInt8]
    /// How many data chunks are slices of `blob`.
    public let wholeChunks: Int
    /// The size of each chunk.
    public let chunkSize: Int
    /// `n`, the number of chunks.
    public let count: Int

    /// `k`, the number of data chunks.
    public var dataChunks: Int { count - parity.count / chunkSize }

    /// Chunk `index` (`0..<count`).
    public subscript(index: Int) -> ArraySlice<UInt8> {
        if index < wholeChunks { return blob[index * chunkSize ..< (index + 1) * chunkSize] }
        let k = dataChunks
        if index < k { return padded[(index - wholeChunks) * chunkSize ..< (index - wholeChunks + 1) * chunkSize] }
        return parity[(index - k) * chunkSize ..< (index - k + 1) * chunkSize]
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
