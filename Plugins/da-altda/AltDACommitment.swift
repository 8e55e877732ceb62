import Foundation
import KeelPluginKit

/// An OP Stack Alt-DA commitment (specs/experimental/alt-da.md): `type ‖ bytes`, where type
/// `0x00` is keccak256 (`0x00 ‖ keccak256(data)`, 33 bytes) and `0x01` is generic
/// (`0x01 ‖ da layer byte ‖ payload`, opaque to the client). Keel's commitment is
/// `0x03 ‖ altda commitment`.
struct AltDACommitment: Sendable, Equatable {
    static let keccakType: UInt8 = 0x00
    static let genericType: UInt8 = 0x01
    /// Keel's DA commitments are 1 to 1024 bytes (the bridge's limit), one of them the provider id.
    static let maxBytes = 1023

    /// The encoded commitment, type byte first, as it goes into `/put/0x…` and `/get/0x…`.
    let bytes: [UInt8]

    var isKeccak: Bool { bytes.first == Self.keccakType }

    /// `0x00 ‖ keccak256(blob)`.
    static func keccak(of blob: [UInt8]) -> AltDACommitment {
        AltDACommitment(checked: [keccakType] + Keccak256.hash(blob).bytes)
    }

    private init(checked bytes: [UInt8]) { self.bytes = bytes }

    /// Checks the encoding: a known type, 33 bytes for keccak, a layer byte and a payload for generic.
    init(decoding bytes: [UInt8]) throws(CommitmentProblem) {
        guard let type = bytes.first else { throw CommitmentProblem("it is empty") }
        switch type {
        case Self.keccakType:
            guard bytes.count == 33 else { throw CommitmentProblem("a keccak256 commitment (type 0x00) is 33 bytes, not \(bytes.count)") }
        case Self.genericType:
            guard bytes.count >= 2 else { throw CommitmentProblem("a generic commitment (type 0x01) needs a DA layer byte and a payload") }
            guard bytes.count <= Self.maxBytes else { throw CommitmentProblem("it is \(bytes.count) bytes; Keel keeps commitments of at most \(Self.maxBytes)") }
        default:
            throw CommitmentProblem("type \(Hex.encode([type])) is not an Alt-DA commitment type (0x00 keccak256, 0x01 generic)")
        }
        self.bytes = bytes
    }

    /// Whether `blob` is the data this commitment names; always true for a generic commitment,
    /// whose payload only the DA server can check (as OP's client does).
    func matches(_ blob: [UInt8]) -> Bool {
        !isKeccak || Array(bytes.dropFirst()) == Keccak256.hash(blob).bytes
    }

    /// `0x` and lowercase hex, as the URL path carries it.
    var hex: String { Hex.encode(bytes) }

    /// The commitment in a `/put` answer: raw bytes (what OP's da-server sends and op-node's client
    /// reads), or `0x`-prefixed hex text (what the spec's wording suggests); both are accepted.
    /// A raw commitment starts with 0x00 or 0x01, never with the character `0`, so the two never clash.
    init(putAnswer body: [UInt8]) throws(CommitmentProblem) {
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            guard let decoded = Hex.decode(text) else { throw CommitmentProblem("the answer starts with 0x but is not hex") }
            try self.init(decoding: decoded)
        } else {
            try self.init(decoding: body)
        }
    }
}

/// Why bytes are not an Alt-DA commitment.
struct CommitmentProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
