import Foundation
import KeelCore

// The `erasure` provider's commitment and chunk record, as docs/plugins/erasure.md specifies them.
// The plugin (Plugins/da-erasure) writes them; a sampler needs only this reading side, so it does
// not load the plugin: anyone with the commitment and read access to a location can check a chunk.
// The end-to-end tests run this command on stores the plugin wrote, so the two cannot drift apart.

/// `0x05 ‖ k ‖ m ‖ blob length (8 bytes, big-endian) ‖ Merkle root over keccak(chunk_i)`.
struct SampledCommitment {
    let bytes: [UInt8]
    let dataChunks: Int
    let parityChunks: Int
    let blobLength: UInt64
    let root: Hash32

    var totalChunks: Int { dataChunks + parityChunks }
    /// `⌈length / k⌉`, at least 1.
    var chunkSize: UInt64 { max(1, (blobLength + UInt64(dataChunks) - 1) / UInt64(dataChunks)) }
    /// `<hex without 0x>.chunk` in every location.
    var chunkFileName: String { Hex.encode(bytes, prefix: false) + ".chunk" }

    init(hex: String) throws(UserError) {
        guard let bytes = Hex.decode(hex) else {
            throw UserError("keel da sample: \(hex) is not hex; give the commitment as 0x and 86 hex digits")
        }
        guard bytes.count == 43, bytes[0] == 0x05 else {
            throw UserError("keel da sample: \(hex) is not an erasure commitment (43 bytes starting 0x05: 0x05 ‖ k ‖ m ‖ length ‖ root); "
                            + "only the erasure provider's batches can be sampled")
        }
        let k = Int(bytes[1]), m = Int(bytes[2])
        guard k >= 1, m >= 1, k + m <= 255, let root = Hash32(bytes: bytes[11...]) else {
            throw UserError("keel da sample: the commitment names \(k) data and \(m) parity chunks, which no erasure code has")
        }
        self.bytes = bytes
        dataChunks = k
        parityChunks = m
        blobLength = bytes[3..<11].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        self.root = root
    }
}

/// What sampling one chunk found.
enum ChunkVerdict: Equatable {
    case verified
    case missing(String)
    case corrupt(String)

    var isVerified: Bool { self == .verified }

    var text: String {
        switch self {
        case .verified: "verified"
        case .missing(let why): "missing (\(why))"
        case .corrupt(let why): "corrupt (\(why))"
        }
    }
}

enum ErasureChunkCheck {
    /// Reads chunk `index` of `commitment` from the directory `location` and checks its record:
    /// `"KRS1" ‖ index ‖ p ‖ p × 32-byte siblings ‖ chunk`, the proof leading to the root.
    static func verdict(_ commitment: SampledCommitment, index: Int, location: String) -> ChunkVerdict {
        let path = (location as NSString).appendingPathComponent(commitment.chunkFileName)
        guard FileManager.default.fileExists(atPath: path) else { return .missing("no file \(path)") }
        guard let data = FileManager.default.contents(atPath: path) else { return .missing("cannot read \(path)") }
        let record = [UInt8](data)
        guard record.count >= 6, Array(record[0..<4]) == Array("KRS1".utf8) else {
            return .corrupt("it does not start with the chunk record header \"KRS1\"")
        }
        guard Int(record[4]) == index else {
            return .corrupt("it holds chunk \(record[4]), not chunk \(index): is the locations list in another order than when it was written?")
        }
        let depth = Int(record[5])
        guard record.count >= 6 + 32 * depth else { return .corrupt("it is shorter than its \(depth)-step proof") }
        let proof = (0..<depth).compactMap { Hash32(bytes: record[(6 + 32 * $0)..<(38 + 32 * $0)]) }
        let chunk = record[(6 + 32 * depth)...]
        guard UInt64(chunk.count) == commitment.chunkSize else {
            return .corrupt("its chunk is \(chunk.count) bytes; this blob's chunks are \(commitment.chunkSize) bytes")
        }
        guard MerkleTree.verify(root: commitment.root, leaf: Keccak256.hash(chunk), index: index, proof: proof) else {
            return .corrupt("its Merkle proof does not lead to the commitment's root")
        }
        return .verified
    }
}
