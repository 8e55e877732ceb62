/// The byte form of a state proof, for RPC and the bridge (docs/STATE.md, "Proof encoding"):
///
/// ```
/// format     1 byte   0x01
/// terminal   1 byte   0x00 empty, 0x01 the key's own leaf, 0x02 another key's leaf
/// depth      2 bytes  big-endian, 0…256
/// bitmap     ⌈depth/8⌉ bytes; bit i (most significant first) set when the sibling at depth i is not empty
/// siblings   32 bytes for each set bit, from the root down
/// other leaf 64 bytes (terminal 0x02 only): its key hash, then its value hash
/// ```
///
/// Decoding is strict: one proof has exactly one encoding, so trailing bytes, padding bits, a zero
/// hash written as a sibling or an unknown format or terminal byte are refused.
extension StateProof {
    /// The format byte this encoding starts with.
    public static let encodingFormat: UInt8 = 0x01

    /// The proof as bytes.
    public func encoded() -> [UInt8] {
        let depth = siblings.count
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 + (depth + 7) / 8 + 32 * depth + 64)
        bytes.append(Self.encodingFormat)
        switch terminal {
        case .empty: bytes.append(0x00)
        case .queriedLeaf: bytes.append(0x01)
        case .otherLeaf: bytes.append(0x02)
        }
        bytes.append(UInt8(truncatingIfNeeded: depth >> 8))
        bytes.append(UInt8(truncatingIfNeeded: depth))
        var bitmap = [UInt8](repeating: 0, count: (depth + 7) / 8)
        for (level, sibling) in siblings.enumerated() where sibling != .zero {
            bitmap[level >> 3] |= 0x80 >> UInt8(level & 7)
        }
        bytes += bitmap
        for sibling in siblings where sibling != .zero {
            sibling.withUnsafeBytes { bytes.append(contentsOf: $0) }
        }
        if case .otherLeaf(let keyHash, let valueHash) = terminal {
            keyHash.withUnsafeBytes { bytes.append(contentsOf: $0) }
            valueHash.withUnsafeBytes { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    /// Decodes `bytes` made by `encoded()`, refusing anything else.
    public init(encoded bytes: [UInt8]) throws(StateProofError) {
        var reader = ProofReader(bytes: bytes)
        guard let format = reader.byte() else { throw .malformed("empty input: a proof has at least 4 bytes") }
        guard format == Self.encodingFormat else {
            throw .malformed("format byte \(format), expected \(Self.encodingFormat)")
        }
        guard let terminalByte = reader.byte(), let high = reader.byte(), let low = reader.byte() else {
            throw .malformed("\(bytes.count) bytes, shorter than the 4-byte header")
        }
        guard terminalByte <= 0x02 else { throw .malformed("terminal byte \(terminalByte), expected 0, 1 or 2") }
        let depth = Int(high) << 8 | Int(low)
        guard depth <= Self.maximumDepth else { throw .malformed("depth \(depth) exceeds \(Self.maximumDepth)") }
        guard let bitmapBytes = reader.take((depth + 7) / 8) else { throw .malformed("bitmap truncated") }
        let bitmap = Array(bitmapBytes)
        if depth % 8 != 0, let last = bitmap.last, last & (0xFF >> UInt8(depth % 8)) != 0 {
            throw .malformed("bitmap has bits set past depth \(depth)")
        }
        var siblings = [Hash32](repeating: .zero, count: depth)
        for level in 0..<depth where bitmap[level >> 3] & (0x80 >> UInt8(level & 7)) != 0 {
            guard let sibling = reader.hash() else { throw .malformed("sibling at depth \(level) truncated") }
            guard sibling != .zero else { throw .malformed("sibling at depth \(level) is zero but marked present") }
            siblings[level] = sibling
        }
        let terminal: Terminal
        switch terminalByte {
        case 0x00: terminal = .empty
        case 0x01: terminal = .queriedLeaf
        default:
            guard let keyHash = reader.hash(), let valueHash = reader.hash() else {
                throw .malformed("other leaf truncated: expected 64 bytes")
            }
            terminal = .otherLeaf(keyHash: keyHash, valueHash: valueHash)
        }
        guard reader.remaining == 0 else { throw .malformed("\(reader.remaining) trailing bytes") }
        self.init(siblings: siblings, terminal: terminal)
    }
}

/// A cursor over the bytes of an encoded proof.
private struct ProofReader {
    let bytes: [UInt8]
    var offset = 0

    var remaining: Int { bytes.count - offset }

    mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard remaining >= count else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func hash() -> Hash32? {
        take(32).flatMap { Hash32(bytes: $0) }
    }
}
