import KeelPluginKit

/// One stored chunk with its Merkle proof, as a location holds it (docs/plugins/erasure.md):
///
/// ```
/// "KRS1" ‖ index (1 byte) ‖ p (1 byte) ‖ p siblings (32 bytes each, leaf level first) ‖ chunk
/// ```
///
/// The record checks itself against a commitment: the index is the one expected, the chunk has
/// the size the blob length implies, and `MerkleTree.verify(root, keccak(chunk), index, proof)` holds.
public struct ChunkRecord: Sendable, Equatable {
    /// The first four bytes of every record: "KRS1".
    public static let magic: [UInt8] = Array("KRS1".utf8)

    public let index: Int
    public let proof: [Hash32]
    public let chunk: [UInt8]

    public init(index: Int, proof: [Hash32], chunk: [UInt8]) {
        self.index = index
        self.proof = proof
        self.chunk = chunk
    }

    /// The bytes before the chunk.
    var headerBytes: [UInt8] {
        var bytes = Self.magic + [UInt8(index), UInt8(proof.count)]
        for sibling in proof { bytes += sibling.bytes }
        return bytes
    }

    /// The whole record.
    public var bytes: [UInt8] { headerBytes + chunk }

    /// Parses a record; the reason it cannot be read otherwise.
    public init(parsing bytes: [UInt8]) throws(ChunkRecordProblem) {
        guard bytes.count >= 6, Array(bytes[0..<4]) == Self.magic else {
            throw .unreadable("no \"KRS1\" header")
        }
        let depth = Int(bytes[5])
        let chunkStart = 6 + 32 * depth
        guard bytes.count >= chunkStart else {
            throw .unreadable("\(bytes.count) bytes, shorter than its \(depth)-step proof")
        }
        var proof: [Hash32] = []
        for step in 0..<depth {
            guard let sibling = Hash32(bytes: bytes[(6 + 32 * step)..<(38 + 32 * step)]) else {
                throw .unreadable("proof step \(step) is not 32 bytes")
            }
            proof.append(sibling)
        }
        self.init(index: Int(bytes[4]), proof: proof, chunk: Array(bytes[chunkStart...]))
    }

    /// Checks the record as chunk `expectedIndex` of `commitment`.
    public func verify(against commitment: ErasureCommitment, expectedIndex: Int) throws(ChunkRecordProblem) {
        guard index == expectedIndex else {
            throw .misplaced(holds: index)
        }
        let size = max(1, (commitment.blobLength + UInt64(commitment.dataChunks) - 1) / UInt64(commitment.dataChunks))
        guard UInt64(chunk.count) == size else {
            throw .corrupt("\(chunk.count) bytes where the commitment implies \(size)")
        }
        guard MerkleTree.verify(root: commitment.root, leaf: Keccak256.hash(chunk), index: index, proof: proof) else {
            throw .corrupt("its Merkle proof fails")
        }
    }
}

/// Why a stored chunk cannot be used. Messages group chunks by `summary` and add each one's `detail`.
public enum ChunkRecordProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The location has no file for the chunk.
    case missing
    /// The file is not a chunk record.
    case unreadable(String)
    /// The record is chunk `holds`, not the one this location should have.
    case misplaced(holds: Int)
    /// The chunk fails its size or its proof.
    case corrupt(String)
    /// The location could not be read (permissions, I/O): the system's reason.
    case unavailable(String)

    /// The kind of problem, shared by the chunks a message lists under it.
    public var summary: String {
        switch self {
        case .missing: "missing"
        case .unreadable(let why): "corrupt (not a chunk record: \(why))"
        case .misplaced: "misplaced (is the locations list in another order than when the chunks were written?)"
        case .corrupt(let why): "corrupt (\(why))"
        case .unavailable(let why): "unreadable (\(why))"
        }
    }

    /// What is particular to one chunk, if anything.
    public var detail: String? {
        if case .misplaced(let holds) = self { return "holds chunk \(holds)" }
        return nil
    }

    public var description: String { summary + (detail.map { ": \($0)" } ?? "") }

    /// Whether the chunk is simply absent, as opposed to present but bad.
    public var isMissing: Bool {
        switch self {
        case .missing, .unavailable: true
        default: false
        }
    }
}
