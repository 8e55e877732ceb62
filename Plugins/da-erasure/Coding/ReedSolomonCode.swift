import CIsal

/// Reed-Solomon erasure coding over GF(2^8) with ISA-L: `k` data chunks and `m` parity chunks.
///
/// The generator is ISA-L's systematic Cauchy matrix (`gf_gen_cauchy1_matrix`): its first `k` rows
/// are the identity (chunk `i < k` is the blob's `i`-th slice), and every `k × k` sub-matrix of
/// its `n = k + m` rows is invertible, so any `k` chunks rebuild the data.
///
/// Immutable after `init`; `encode` and `decode` may run on many threads at once.
public final class ReedSolomonCode: @unchecked Sendable {
    // @unchecked: `parityTables` is written once in init and only read afterwards.

    /// `k`: the chunks the blob is split into.
    public let dataChunks: Int
    /// `m`: the extra chunks; any `m` chunks may be lost.
    public let parityChunks: Int
    /// `n = k + m`.
    public var totalChunks: Int { dataChunks + parityChunks }

    /// The `n × k` generator matrix, row-major; rows `0..<k` are the identity.
    let matrix: [UInt8]
    /// ISA-L's expanded tables for the parity rows (`32 × k × m` bytes).
    private let parityTables: UnsafeMutablePointer<UInt8>

    /// The largest `k + m`: GF(2^8) has 256 elements, and chunk indices are one byte.
    public static let largestTotalChunks = 255

    /// Builds the code; `k ≥ 1`, `m ≥ 1`, `k + m ≤ 255`.
    public init(dataChunks k: Int, parityChunks m: Int) throws(ReedSolomonError) {
        guard k >= 1, m >= 1, k + m <= Self.largestTotalChunks else {
            throw .badShape(dataChunks: k, parityChunks: m)
        }
        dataChunks = k
        parityChunks = m
        var matrix = [UInt8](repeating: 0, count: (k + m) * k)
        gf_gen_cauchy1_matrix(&matrix, Int32(k + m), Int32(k))
        self.matrix = matrix
        parityTables = .allocate(capacity: 32 * k * m)
        matrix.withUnsafeBufferPointer { rows in
            // `ec_init_tables` takes a mutable pointer but only reads the coefficients.
            let parityRows = UnsafeMutablePointer(mutating: rows.baseAddress! + k * k)
            ec_init_tables(Int32(k), Int32(m), parityRows, parityTables)
        }
    }

    deinit {
        parityTables.deallocate()
    }

    /// The size of every chunk of a blob of `length` bytes: `⌈length / k⌉`, at least 1.
    public func chunkSize(forBlobLength length: Int) -> Int {
        max(1, (length + dataChunks - 1) / dataChunks)
    }

    /// Splits `blob` into `k` chunks (the last zero-padded) and computes the `m` parity chunks.
    ///
    /// The data chunks that lie wholly inside the blob are read where they are (no copy); only the
    /// padded tail is copied, so the cost is the parity and ISA-L's pass over the data.
    public func encode(_ blob: [UInt8]) -> ErasureChunks {
        let size = chunkSize(forBlobLength: blob.count)
        let k = dataChunks, m = parityChunks
        let whole = min(k, blob.count / size)
        let padded = [UInt8](unsafeUninitializedCapacity: (k - whole) * size) { buffer, count in
            guard let base = buffer.baseAddress else { return }
            let rest = blob.count - whole * size
            blob.withUnsafeBufferPointer { source in
                if rest > 0, let from = source.baseAddress { base.initialize(from: from + whole * size, count: rest) }
            }
            (base + rest).initialize(repeating: 0, count: (k - whole) * size - rest)
            count = (k - whole) * size
        }
        let parity = [UInt8](unsafeUninitializedCapacity: m * size) { buffer, count in
            guard let output = buffer.baseAddress else { return }
            blob.withUnsafeBufferPointer { source in
                padded.withUnsafeBufferPointer { tail in
                    // ISA-L takes `unsigned char **` for its sources but only reads them.
                    var sources: [UnsafeMutablePointer<UInt8>?] = (0..<k).map { index in
                        index < whole ? UnsafeMutablePointer(mutating: source.baseAddress! + index * size)
                                      : UnsafeMutablePointer(mutating: tail.baseAddress! + (index - whole) * size)
                    }
                    var outputs: [UnsafeMutablePointer<UInt8>?] = (0..<m).map { output + $0 * size }
                    ec_encode_data(Int32(size), Int32(k), Int32(m), parityTables, &sources, &outputs)
                }
            }
            count = m * size
        }
        return ErasureChunks(blob: blob, padded: padded, parity: parity, wholeChunks: whole, chunkSize: size, count: k + m)
    }

    /// Rebuilds a blob of `blobLength` bytes from at least `k` of its chunks.
    ///
    /// `chunks[i]` is chunk `i` (exactly `chunkSize(forBlobLength:)` bytes) or `nil` when it is
    /// missing or failed its check; there must be `n` entries. Data chunks that are present are
    /// copied; lost ones are solved from the first `k` present chunks.
    public func decode(_ chunks: [[UInt8]?], blobLength: Int) throws(ReedSolomonError) -> [UInt8] {
        let k = dataChunks
        let size = chunkSize(forBlobLength: blobLength)
        guard chunks.count == totalChunks else { throw .wrongChunkCount(expected: totalChunks, got: chunks.count) }
        for (index, chunk) in chunks.enumerated() where chunk != nil && chunk?.count != size {
            throw .wrongChunkSize(index: index, expected: size, got: chunk?.count ?? 0)
        }
        let present = chunks.indices.filter { chunks[$0] != nil }
        guard present.count >= k else { throw .tooFewChunks(needed: k, present: present) }
        let lost = (0..<k).filter { chunks[$0] == nil }
        let recovery = try lost.isEmpty ? [] : recoveryRows(sources: Array(present.prefix(k)), lost: lost)

        let blob = [UInt8](unsafeUninitializedCapacity: k * size) { buffer, count in
            guard let base = buffer.baseAddress else { return }
            for index in 0..<k {
                chunks[index]?.withUnsafeBufferPointer { chunk in
                    (base + index * size).initialize(from: chunk.baseAddress!, count: size)
                }
            }
            if !lost.isEmpty {
                let sources = present.prefix(k).compactMap { chunks[$0] }
                Self.solve(recovery, sources: sources, lost: lost, size: size, into: base)
            }
            count = blobLength
        }
        return blob
    }

    /// The rows of the inverse of the sources' sub-matrix that give the lost data chunks.
    private func recoveryRows(sources: [Int], lost: [Int]) throws(ReedSolomonError) -> [UInt8] {
        let k = dataChunks
        var subMatrix = [UInt8](repeating: 0, count: k * k)
        for (row, source) in sources.enumerated() {
            for column in 0..<k { subMatrix[row * k + column] = matrix[source * k + column] }
        }
        var inverse = [UInt8](repeating: 0, count: k * k)
        guard gf_invert_matrix(&subMatrix, &inverse, Int32(k)) == 0 else { throw .singular(sources: sources) }
        var rows = [UInt8](repeating: 0, count: lost.count * k)
        for (row, data) in lost.enumerated() {
            for column in 0..<k { rows[row * k + column] = inverse[data * k + column] }
        }
        return rows
    }

    /// Computes the lost data chunks from `sources` straight into the blob buffer at `base`.
    private static func solve(_ rows: [UInt8], sources: [[UInt8]], lost: [Int], size: Int,
                              into base: UnsafeMutablePointer<UInt8>) {
        let k = sources.count
        var tables = [UInt8](repeating: 0, count: 32 * k * lost.count)
        var coefficients = rows
        ec_init_tables(Int32(k), Int32(lost.count), &coefficients, &tables)
        var outputs: [UnsafeMutablePointer<UInt8>?] = lost.map { base + $0 * size }
        withPointers(to: sources[...]) { pointers in
            var inputs: [UnsafeMutablePointer<UInt8>?] = pointers.map { UnsafeMutablePointer(mutating: $0) }
            ec_encode_data(Int32(size), Int32(k), Int32(lost.count), &tables, &inputs, &outputs)
        }
    }
}

/// Calls `body` with stable pointers to every array's bytes (nested `withUnsafeBufferPointer`).
func withPointers<Result>(to arrays: ArraySlice<[UInt8]>, collected: [UnsafePointer<UInt8>] = [],
                          _ body: ([UnsafePointer<UInt8>]) -> Result) -> Result {
    guard let first = arrays.first else { return body(collected) }
    return first.withUnsafeBufferPointer { buffer in
        withPointers(to: arrays.dropFirst(), collected: collected + [buffer.baseAddress!], body)
    }
}
