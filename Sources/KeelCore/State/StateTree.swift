/// The hashing rules of Keel's authenticated state tree, and a reference computation of its root.
///
/// The tree is a binary sparse Merkle tree of depth 256 over `keccak256(key)`. A subtree that holds
/// no key hashes to zero; a subtree that holds exactly one key is replaced by that key's leaf (the
/// compaction of the Jellyfish Merkle tree), so a path is as deep as it takes to tell its key from
/// every other key, about log2(n) levels. docs/STATE.md gives the rules in full, for verifiers
/// written elsewhere (a Solidity contract, a fault-proof step):
///
/// - `keyHash   = keccak256(key)`; bit `i` of the path is bit `7 - i % 8` of byte `i / 8` (most
///   significant bit first); 0 goes left, 1 goes right.
/// - `leaf      = keccak256(0x00 ‖ keyHash ‖ keccak256(value))`
/// - `inner     = keccak256(0x01 ‖ left ‖ right)`
/// - `empty     = 0x00…00` (32 zero bytes); an empty tree has the zero root.
public enum StateTree {
    /// The first byte hashed into a leaf.
    public static let leafDomain: UInt8 = 0x00
    /// The first byte hashed into an inner node.
    public static let innerDomain: UInt8 = 0x01

    /// Where `key` lives in the tree: `keccak256(key)`.
    public static func keyHash(_ key: [UInt8]) -> Hash32 { Keccak256.hash(key) }

    /// The commitment to a value inside its leaf: `keccak256(value)`.
    public static func valueHash(_ value: [UInt8]) -> Hash32 { Keccak256.hash(value) }

    /// `keccak256(0x00 ‖ keyHash ‖ valueHash)`.
    public static func leafHash(keyHash: Hash32, valueHash: Hash32) -> Hash32 {
        hash65(leafDomain, keyHash, valueHash)
    }

    /// `keccak256(0x01 ‖ left ‖ right)`.
    public static func innerHash(_ left: Hash32, _ right: Hash32) -> Hash32 {
        hash65(innerDomain, left, right)
    }

    /// The root of the tree that holds exactly `entries` (later duplicates of a key win).
    ///
    /// Built directly from the definition, independently of the stored tree: the tests and the crash
    /// check compare the store's roots with it.
    public static func root(ofEntries entries: [(key: [UInt8], value: [UInt8])]) -> Hash32 {
        root(ofHashedEntries: entries.map { (keyHash: Keccak256.hash($0.key), valueHash: Keccak256.hash($0.value)) })
    }

    /// The root of the tree whose leaves are `entries` (key hashes and value hashes; later duplicates win).
    public static func root(ofHashedEntries entries: [(keyHash: Hash32, valueHash: Hash32)]) -> Hash32 {
        var latest: [Hash32: Hash32] = [:]
        for entry in entries { latest[entry.keyHash] = entry.valueHash }
        let sorted = latest.sorted { $0.key < $1.key }
        return subtreeRoot(sorted[...], depth: 0)
    }

    private static func subtreeRoot(_ leaves: ArraySlice<(key: Hash32, value: Hash32)>, depth: Int) -> Hash32 {
        guard let first = leaves.first else { return .zero }
        if leaves.count == 1 { return leafHash(keyHash: first.key, valueHash: first.value) }
        // Sorted keys: those with a 0 at `depth` come first.
        let split = leaves.firstIndex { $0.key.bit(depth) == 1 } ?? leaves.endIndex
        return innerHash(subtreeRoot(leaves[..<split], depth: depth + 1),
                         subtreeRoot(leaves[split...], depth: depth + 1))
    }

    /// Keccak-256 of one domain byte and two digests (65 bytes: one permutation, no buffering).
    static func hash65(_ domain: UInt8, _ first: Hash32, _ second: Hash32) -> Hash32 {
        var state = KeccakState()
        withUnsafeMutableBytes(of: &state.lanes) { raw in
            guard let base = raw.baseAddress else { return }
            raw[0] = domain
            first.withUnsafeBytes { (base + 1).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            second.withUnsafeBytes { (base + 33).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            raw[65] = 0x01
            raw[Keccak256.rateBytes - 1] ^= 0x80
            KeccakF1600.permute(base.assumingMemoryBound(to: UInt64.self))
        }
        let lanes = state.lanes
        return Hash32(storage: (lanes.0.littleEndian, lanes.1.littleEndian, lanes.2.littleEndian, lanes.3.littleEndian))
    }
}

extension Hash32 {
    /// Bit `index` of the path (0 is the most significant bit of the first byte).
    @inlinable @inline(__always)
    package func bit(_ index: Int) -> UInt8 {
        (self[index >> 3] >> (7 - UInt8(index & 7))) & 1
    }

    /// Nibble `index` of the path (0 is the high half of the first byte).
    @inlinable @inline(__always)
    package func nibble(_ index: Int) -> Int {
        let byte = self[index >> 1]
        return Int(index & 1 == 0 ? byte >> 4 : byte & 0x0F)
    }

    /// The number of leading bits `self` and `other` share (256 when equal).
    @inlinable
    package func commonPrefixBits(with other: Hash32) -> Int {
        for byteIndex in 0..<32 {
            let difference = self[byteIndex] ^ other[byteIndex]
            if difference != 0 { return byteIndex * 8 + difference.leadingZeroBitCount }
        }
        return 256
    }

    /// `self` with every bit from `bitCount` on cleared.
    @inlinable
    package func keepingBits(_ bitCount: Int) -> Hash32 {
        var copy = self
        Swift.withUnsafeMutableBytes(of: &copy.storage) { raw in
            for index in 0..<32 {
                let start = index * 8
                if start >= bitCount {
                    raw[index] = 0
                } else if start + 8 > bitCount {
                    raw[index] &= UInt8(truncatingIfNeeded: 0xFF00 >> (bitCount - start))
                }
            }
        }
        return copy
    }
}
