import KeelCore

/// An Alt-DA commitment as `keel da-server` reads it from `/put/0x…` and `/get/0x…`: a keccak256
/// commitment `0x00 ‖ keccak(data)`, or its own generic commitment `0x01 ‖ 0x4b ‖ keccak(data)`.
/// Either way the data is stored under its keccak256, so the two name the same file.
struct ServedCommitment: Equatable {
    /// The DA layer byte of this server's generic commitments: `K` (0x4b), in the range the spec
    /// leaves to DA layers ([0, 127)); unregistered, and documented in docs/plugins/altda.md.
    static let layerByte: UInt8 = 0x4b
    static let keccakType: UInt8 = 0x00
    static let genericType: UInt8 = 0x01

    /// keccak256 of the data.
    let hash: [UInt8]
    let isGeneric: Bool

    /// The encoded commitment.
    var bytes: [UInt8] { isGeneric ? [Self.genericType, Self.layerByte] + hash : [Self.keccakType] + hash }

    init(hash: [UInt8], isGeneric: Bool) {
        self.hash = hash
        self.isGeneric = isGeneric
    }

    /// Parses the path segment (`0x` and hex; the prefix may be left out).
    init(pathSegment text: String) throws(CommitmentRefusal) {
        guard let bytes = Hex.decode(text) else {
            throw CommitmentRefusal(status: 400, "the commitment \(text.prefix(80)) is not hex (write it as 0x and an even number of hex digits)")
        }
        guard let type = bytes.first else { throw CommitmentRefusal(status: 400, "the commitment is empty") }
        switch type {
        case Self.keccakType:
            guard bytes.count == 33 else {
                throw CommitmentRefusal(status: 400, "a keccak256 commitment (type 0x00) is 33 bytes, not \(bytes.count)")
            }
            self.init(hash: Array(bytes[1...]), isGeneric: false)
        case Self.genericType:
            guard bytes.count >= 2 else { throw CommitmentRefusal(status: 400, "a generic commitment (type 0x01) needs a DA layer byte and a payload") }
            guard bytes[1] == Self.layerByte else {
                throw CommitmentRefusal(status: 404, "this server holds only its own generic commitments (DA layer byte 0x4b), not layer \(Hex.encode([bytes[1]]))")
            }
            guard bytes.count == 34 else {
                throw CommitmentRefusal(status: 400, "a generic commitment of this server (0x01 0x4b) carries a 32-byte keccak256, not \(bytes.count - 2) bytes")
            }
            self.init(hash: Array(bytes[2...]), isGeneric: true)
        default:
            throw CommitmentRefusal(status: 400, "commitment type \(Hex.encode([type])) is not an Alt-DA commitment type (0x00 keccak256, 0x01 generic)")
        }
    }
}

/// A request refused with an HTTP status and a sentence for the caller.
struct CommitmentRefusal: Error, CustomStringConvertible {
    let status: Int
    let description: String

    init(status: Int, _ description: String) {
        self.status = status
        self.description = description
    }
}
