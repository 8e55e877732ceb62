import KeelPluginKit

/// `0x05 ‖ k ‖ m ‖ blob length (8 bytes, big-endian) ‖ Merkle root over keccak(chunk_i)`: 43 bytes.
///
/// The root is KeelCore's `MerkleTree` over the `n = k + m` leaves `keccak(chunk_0) … keccak(chunk_{n−1})`,
/// so one chunk with its proof can be checked against the commitment alone.
public struct ErasureCommitment: Sendable, Hashable, CustomStringConvertible {
    /// The erasure provider's id, the first byte (docs/ABI.md).
    public static let providerID: UInt8 = 0x05
    /// The length of an encoded commitment.
    public static let byteCount = 1 + 1 + 1 + 8 + 32

    public let dataChunks: Int
    public let parityChunks: Int
    public let blobLength: UInt64
    public let root: Hash32

    public var totalChunks: Int { dataChunks + parityChunks }

    public init(dataChunks: Int, parityChunks: Int, blobLength: UInt64, root: Hash32) {
        self.dataChunks = dataChunks
        self.parityChunks = parityChunks
        self.blobLength = blobLength
        self.root = root
    }

    /// Parses an encoded commitment; `.invalidArgument` for anything else.
    public init(bytes: [UInt8]) throws(PluginError) {
        guard bytes.count == Self.byteCount, bytes[0] == Self.providerID else {
            let start = bytes.first.map { Hex.encode([$0]) } ?? "nothing"
            throw PluginError(.invalidArgument, "not an erasure commitment: expected \(Self.byteCount) bytes starting 0x05 "
                + "(0x05 ‖ k ‖ m ‖ length ‖ root), got \(bytes.count) bytes starting \(start)")
        }
        let k = Int(bytes[1]), m = Int(bytes[2])
        guard k >= 1, m >= 1, k + m <= ReedSolomonCode.largestTotalChunks else {
            throw PluginError(.invalidArgument, "the erasure commitment \(Hex.encode(bytes)) names \(k) data and \(m) parity chunks, which no code has")
        }
        let length = bytes[3..<11].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard let root = Hash32(bytes: bytes[11...]) else {
            throw PluginError(.invalidArgument, "the erasure commitment \(Hex.encode(bytes)) has no 32-byte root")
        }
        self.init(dataChunks: k, parityChunks: m, blobLength: length, root: root)
    }

    /// The 43 bytes.
    public var bytes: [UInt8] {
        var bytes: [UInt8] = [Self.providerID, UInt8(dataChunks), UInt8(parityChunks)]
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: blobLength >> UInt64(shift))) }
        return bytes + root.bytes
    }

    /// `0x` and the hex of `bytes`.
    public var description: String { Hex.encode(bytes) }

    /// The name of chunk files for this commitment: the hex of the bytes without `0x`, then `.chunk`.
    public var chunkFileName: String { Hex.encode(bytes, prefix: false) + ".chunk" }
}
