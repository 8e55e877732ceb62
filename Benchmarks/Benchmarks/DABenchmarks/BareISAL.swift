import CIsal

/// The reference side of the erasure benchmarks: ISA-L's own `ec_encode_data` on buffers and tables
/// prepared in advance, the least any Reed-Solomon code built on ISA-L can do for the same work.
///
/// Encode: the `k` data chunks of a blob already in place → the `m` parity chunks. Decode: the first
/// `m` data chunks lost, rebuilt from the next `k` chunks with tables of the inverted sub-matrix made
/// in advance. Buffers are allocated once; the benchmark closure only calls ISA-L.
final class BareISAL: @unchecked Sendable {
    // @unchecked: one benchmark at a time uses an instance.
    let k: Int
    let m: Int
    let chunkSize: Int
    private let chunks: UnsafeMutablePointer<UInt8>
    private let rebuilt: UnsafeMutablePointer<UInt8>
    private var encodeTables: [UInt8]
    private var decodeTables: [UInt8]
    private var dataPointers: [UnsafeMutablePointer<UInt8>?]
    private var parityPointers: [UnsafeMutablePointer<UInt8>?]
    private var sourcePointers: [UnsafeMutablePointer<UInt8>?]
    private var rebuiltPointers: [UnsafeMutablePointer<UInt8>?]

    init(k: Int, m: Int, blob: [UInt8]) {
        self.k = k
        self.m = m
        let n = k + m
        let size = max(1, (blob.count + k - 1) / k)
        chunkSize = size
        let base = UnsafeMutablePointer<UInt8>.allocate(capacity: n * size)
        base.initialize(repeating: 0, count: n * size)
        blob.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: blob.count) }
        chunks = base
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: m * size)
        out.initialize(repeating: 0, count: m * size)
        rebuilt = out

        var matrix = [UInt8](repeating: 0, count: n * k)
        gf_gen_cauchy1_matrix(&matrix, Int32(n), Int32(k))
        encodeTables = [UInt8](repeating: 0, count: 32 * k * m)
        var parityRows = Array(matrix[(k * k)...])
        ec_init_tables(Int32(k), Int32(m), &parityRows, &encodeTables)

        // Sources: chunks m..<m+k (the surviving data chunks, then parity); lost: data chunks 0..<m.
        var subMatrix = [UInt8](repeating: 0, count: k * k)
        for row in 0..<k {
            for column in 0..<k { subMatrix[row * k + column] = matrix[(m + row) * k + column] }
        }
        var inverse = [UInt8](repeating: 0, count: k * k)
        precondition(gf_invert_matrix(&subMatrix, &inverse, Int32(k)) == 0, "a Cauchy sub-matrix is always invertible")
        var lostRows = Array(inverse[0..<(m * k)])
        decodeTables = [UInt8](repeating: 0, count: 32 * k * m)
        ec_init_tables(Int32(k), Int32(m), &lostRows, &decodeTables)

        dataPointers = (0..<k).map { base + $0 * size }
        parityPointers = (k..<n).map { base + $0 * size }
        sourcePointers = (m..<(m + k)).map { base + $0 * size }
        rebuiltPointers = (0..<m).map { out + $0 * size }
        encode()
    }

    deinit {
        chunks.deallocate()
        rebuilt.deallocate()
    }

    /// Parity from the data chunks in place.
    func encode() {
        ec_encode_data(Int32(chunkSize), Int32(k), Int32(m), &encodeTables, &dataPointers, &parityPointers)
    }

    /// The first `m` data chunks from the next `k` chunks.
    func decode() {
        ec_encode_data(Int32(chunkSize), Int32(k), Int32(m), &decodeTables, &sourcePointers, &rebuiltPointers)
    }

    /// Whether `decode` rebuilt the lost chunks exactly (checked once, outside the measurement).
    func decodeIsExact() -> Bool {
        decode()
        for index in 0..<(m * chunkSize) where rebuilt[index] != chunks[index] { return false }
        return true
    }
}
