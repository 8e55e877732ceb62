/// Keccak-256 as Ethereum uses it (the original Keccak padding `0x01 … 0x80`, not SHA3-256's `0x06`).
///
/// Hashing allocates nothing: the sponge state lives on the stack and the digest is a `Hash32` value.
public enum Keccak256 {
    static let rateBytes = 136

    /// The digest of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> Hash32 {
        var hasher = Hasher()
        hasher.absorb(bytes)
        return hasher.finish()
    }

    /// The digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> Hash32 {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// The digest of any contiguous bytes (`ArraySlice<UInt8>`, `Data`, …).
    public static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> Hash32 {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return hash(Array(bytes))
    }

    /// The digest of two digests concatenated: the inner node of every Merkle tree in Keel.
    public static func hash(_ left: Hash32, _ right: Hash32) -> Hash32 {
        var hasher = Hasher()
        withUnsafeBytes(of: left.storage) { hasher.absorb($0) }
        withUnsafeBytes(of: right.storage) { hasher.absorb($0) }
        return hasher.finish()
    }

    /// An incremental Keccak-256 hasher, for input that arrives in pieces.
    public struct Hasher: Sendable {
        private var state = KeccakState()
        private var buffered = 0

        public init() {}

        /// Adds `bytes` to the input.
        public mutating func absorb(_ bytes: UnsafeRawBufferPointer) {
            guard var source = bytes.baseAddress else { return }
            var remaining = bytes.count
            var buffered = self.buffered
            defer { self.buffered = buffered }
            withUnsafeMutableBytes(of: &state.lanes) { raw in
                let lanes = raw.baseAddress!.assumingMemoryBound(to: UInt64.self)
                let stateBytes = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                while remaining > 0 {
                    if buffered == 0 && remaining >= Keccak256.rateBytes {
                        // Whole blocks are XORed a lane at a time.
                        for lane in 0..<(Keccak256.rateBytes / 8) {
                            lanes[lane] ^= UInt64(littleEndian: source.loadUnaligned(fromByteOffset: lane * 8, as: UInt64.self))
                        }
                        KeccakF1600.permute(lanes)
                        source += Keccak256.rateBytes
                        remaining -= Keccak256.rateBytes
                        continue
                    }
                    let take = min(remaining, Keccak256.rateBytes - buffered)
                    for index in 0..<take {
                        stateBytes[buffered + index] ^= source.load(fromByteOffset: index, as: UInt8.self)
                    }
                    buffered += take
                    source += take
                    remaining -= take
                    if buffered == Keccak256.rateBytes {
                        KeccakF1600.permute(lanes)
                        buffered = 0
                    }
                }
            }
        }

        /// Adds `bytes` to the input.
        public mutating func absorb(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { absorb($0) }
        }

        /// Pads, permutes and returns the digest.
        public consuming func finish() -> Hash32 {
            let buffered = self.buffered
            withUnsafeMutableBytes(of: &state.lanes) { raw in
                let stateBytes = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                stateBytes[buffered] ^= 0x01
                stateBytes[Keccak256.rateBytes - 1] ^= 0x80
                KeccakF1600.permute(raw.baseAddress!.assumingMemoryBound(to: UInt64.self))
            }
            // Lanes are little-endian; on the little-endian machines Swift runs on, their bytes are the digest.
            let lanes = state.lanes
            return Hash32(storage: (lanes.0.littleEndian, lanes.1.littleEndian, lanes.2.littleEndian, lanes.3.littleEndian))
        }
    }
}

/// The 200-byte sponge state as a tuple, so it lives on the stack.
struct KeccakState: Sendable {
    var lanes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
}
