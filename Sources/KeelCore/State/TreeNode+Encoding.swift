/// A node's row in `state_node` (docs/STATE.md, "Storage"):
///
/// ```
/// depth      1 byte   the node's nibble depth
/// slots      8 bytes  sixteen 4-bit kinds, slot 0 in the high half of the first byte:
///                     0 empty, 1…4 that many inline leaves, 15 a child node
/// then slot by slot:  a child's hash (32 bytes) and row id (LEB128);
///                     each inline leaf's key hash (32), leaf hash (32) and value row id (LEB128)
/// ```
///
/// The binary hashes inside the node are not stored: they are recomputed when a node is read from
/// the file, which happens once per node while it stays in the cache.
extension TreeNode {
    static let childKind: UInt8 = 15

    /// The most bytes `encode(to:)` writes.
    var encodedBound: Int { 9 + 16 * (32 + LEB128.maximumCount) + leaves.count * (64 + LEB128.maximumCount) }

    /// Writes the row (at most `encodedBound` bytes) at `base` and returns its length.
    func encode(to base: UnsafeMutableRawPointer) -> Int {
        base.storeBytes(of: UInt8(truncatingIfNeeded: depth), as: UInt8.self)
        let children = self.children
        let hashes = self.hashes
        let childIDs = self.childIDs
        let leafEnd = self.leafEnd
        return leaves.withUnsafeBufferPointer { leaves in
            var offset = 9
            var kinds: UInt64 = 0
            var start = 0
            for slot in 0..<16 {
                let kind: UInt8
                if children & (1 << slot) != 0 {
                    kind = Self.childKind
                    (base + offset).storeBytes(of: hashes[16 + slot].storage, as: (UInt64, UInt64, UInt64, UInt64).self)
                    offset += 32
                    offset += LEB128.write(childIDs[slot], to: base + offset)
                } else {
                    let end = Int(leafEnd[slot])
                    kind = UInt8(truncatingIfNeeded: end - start)
                    for index in start..<end {
                        (base + offset).storeBytes(of: leaves[index].keyHash.storage, as: (UInt64, UInt64, UInt64, UInt64).self)
                        (base + offset + 32).storeBytes(of: leaves[index].leafHash.storage, as: (UInt64, UInt64, UInt64, UInt64).self)
                        offset += 64
                        offset += LEB128.write(leaves[index].valueID, to: base + offset)
                    }
                    start = end
                }
                kinds |= UInt64(kind) << (60 - 4 * slot)
            }
            (base + 1).storeBytes(of: kinds.bigEndian, as: UInt64.self)
            return offset
        }
    }

    /// Decodes a row written by `encode(to:)` for a node at `depth` with row id `id`; `nil` when the
    /// bytes are not one. With `hashing` off, the inner hashes (binary levels and inline subtrees)
    /// are left for the caller to compute with `NodeHashing.hash` before the node is used.
    convenience init?(encoded bytes: UnsafeRawBufferPointer, id: UInt64, depth: Int, hashing: Bool = true) {
        guard bytes.count >= 9, let base = bytes.baseAddress, Int(bytes[0]) == depth, depth < 64 else { return nil }
        var kinds: UInt64 = 0
        for index in 1...8 { kinds = kinds << 8 | UInt64(bytes[index]) }
        var leafCount = 0
        for slot in 0..<16 {
            let kind = Int(truncatingIfNeeded: kinds >> (60 - 4 * slot)) & 0x0F
            if kind != Self.childKind { leafCount += kind }
        }
        self.init(depth: depth, leafCapacity: leafCount)
        self.id = id
        var offset = 9
        func hash(at offset: Int) -> Hash32 {
            var value = Hash32.zero
            Swift.withUnsafeMutableBytes(of: &value.storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: base + offset, count: 32)) }
            return value
        }
        var slotLeaves: [TreeLeaf] = []
        slotLeaves.reserveCapacity(Self.inlineLimit)
        for slot in 0..<16 {
            let kind = UInt8(truncatingIfNeeded: kinds >> (60 - 4 * slot)) & 0x0F
            if kind == Self.childKind {
                guard offset + 32 < bytes.count else { return nil }
                let childHash = hash(at: offset)
                offset += 32
                guard let (childID, length) = LEB128.read(bytes, at: offset), childID != 0 else { return nil }
                offset += length
                append(slot, .child(id: childID, hash: childHash, node: nil))
            } else if kind == 0 {
                append(slot, .empty)
            } else {
                guard Int(kind) <= Self.inlineLimit else { return nil }
                slotLeaves.removeAll(keepingCapacity: true)
                for _ in 0..<kind {
                    guard offset + 64 < bytes.count else { return nil }
                    let keyHash = hash(at: offset)
                    guard keyHash.nibble(depth) == slot, slotLeaves.last.map({ $0.keyHash < keyHash }) ?? true else { return nil }
                    let leafHash = hash(at: offset + 32)
                    offset += 64
                    guard let (valueID, length) = LEB128.read(bytes, at: offset) else { return nil }
                    offset += length
                    slotLeaves.append(TreeLeaf(keyHash: keyHash, leafHash: leafHash, valueID: valueID))
                }
                let slotHash = kind == 1 ? slotLeaves[0].leafHash
                    : hashing ? InlineSubtree.hash(slotLeaves[...], fromBit: (depth + 1) * 4) : .zero
                append(slot, .inline(slotLeaves[...], hash: slotHash))
            }
        }
        guard offset == bytes.count else { return nil }
        if hashing { rehash(changed: 0xFFFF) }
    }
}

/// Unsigned LEB128: seven bits a byte, low bits first, the high bit set on every byte but the last.
enum LEB128 {
    /// The bytes a 64-bit value can take.
    static let maximumCount = 10

    /// Writes `value` at `base` and returns the number of bytes written.
    static func write(_ value: UInt64, to base: UnsafeMutableRawPointer) -> Int {
        var rest = value
        var offset = 0
        while rest >= 0x80 {
            base.storeBytes(of: UInt8(truncatingIfNeeded: rest) | 0x80, toByteOffset: offset, as: UInt8.self)
            rest >>= 7
            offset += 1
        }
        base.storeBytes(of: UInt8(truncatingIfNeeded: rest), toByteOffset: offset, as: UInt8.self)
        return offset + 1
    }

    /// Reads a value written by `write` at `offset`; `nil` when it runs past the end or past 64 bits.
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> (UInt64, Int)? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var index = offset
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            value |= UInt64(byte & 0x7F) << shift
            index += 1
            if byte & 0x80 == 0 { return (value, index - offset) }
            shift += 7
        }
        return nil
    }
}
