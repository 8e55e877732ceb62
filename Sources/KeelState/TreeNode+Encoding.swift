import KeelCore

/// A node's row in `state_node` (docs/STATE.md, "Nodes"):
///
/// ```
/// depth      1 byte   the node's nibble depth
/// base       LEB128   0 for a full row; for a delta row, the id of the full row it changes
/// slots      8 bytes  sixteen 4-bit kinds, slot 0 in the high half of the first byte:
///                     0 empty, 1…4 that many inline leaves, 15 a child node,
///                     14 (delta rows only) as in the base
/// then slot by slot:  a child's hash (32 bytes) and row id (LEB128);
///                     each inline leaf's key hash (32), leaf hash (32) and value row id (LEB128)
/// ```
///
/// The binary hashes inside the node are not stored: they are recomputed when a node is read from
/// the file, which happens once per node while it stays in the cache.
extension TreeNode {
    static let childKind: UInt8 = 15
    static let asInBaseKind: UInt8 = 14

    /// The most bytes `encode(to:)` writes.
    var encodedBound: Int {
        10 + LEB128.maximumCount + 16 * (32 + LEB128.maximumCount) + leaves.count * (64 + LEB128.maximumCount)
    }

    // MARK: Full or delta

    /// Decides how this node, built from `old` by changing the slots of `changed`, is stored: as a
    /// delta row on `old`'s full row (its slots changed since that row, `old`'s delta slots
    /// included) when that takes less than half the bytes of a full row, else as a full row.
    func chooseRow(replacing old: TreeNode, changed: UInt16) {
        let base = old.baseID != 0 ? old.baseID : old.id
        let slots = (old.baseID != 0 ? old.deltaSlots : 0) | changed
        if base != 0, 2 * rowWeight(slots) < rowWeight(0xFFFF) {
            baseID = base
            deltaSlots = slots
        } else {
            baseID = 0
            deltaSlots = 0
        }
    }

    /// About the bytes the slots of `slots` take in a row (row ids counted as 4 bytes): enough to
    /// choose between a delta and a full row without encoding either.
    func rowWeight(_ slots: UInt16) -> Int {
        let leafCount: Int
        if slots == 0xFFFF {
            leafCount = leaves.count
        } else {
            var count = 0
            var rest = slots & ~children
            while rest != 0 {
                let slot = rest.trailingZeroBitCount
                rest &= rest - 1
                count += Int(leafEnd[slot]) - leafStart(slot)
            }
            leafCount = count
        }
        return 36 * (slots & children).nonzeroBitCount + 68 * leafCount
    }

    // MARK: Encoding

    /// Writes the row (at most `encodedBound` bytes) at `base` and returns its length: a delta row
    /// when `baseID` is set, else a full row.
    func encode(to base: UnsafeMutableRawPointer) -> Int {
        base.storeBytes(of: UInt8(truncatingIfNeeded: depth), as: UInt8.self)
        let stored: UInt16 = baseID != 0 ? deltaSlots : 0xFFFF
        let kindsOffset = 1 + LEB128.write(baseID, to: base + 1)
        let children = self.children
        let hashes = self.hashes
        let childIDs = self.childIDs
        let leafEnd = self.leafEnd
        return leaves.withUnsafeBufferPointer { leaves in
            var offset = kindsOffset + 8
            var kinds: UInt64 = 0
            var start = 0
            for slot in 0..<16 {
                let end = Int(leafEnd[slot])
                defer { start = end }
                let kind: UInt8
                if stored & (1 << slot) == 0 {
                    kind = Self.asInBaseKind
                } else if children & (1 << slot) != 0 {
                    kind = Self.childKind
                    (base + offset).storeBytes(of: hashes[16 + slot].storage, as: (UInt64, UInt64, UInt64, UInt64).self)
                    offset += 32
                    offset += LEB128.write(childIDs[slot], to: base + offset)
                } else {
                    kind = UInt8(truncatingIfNeeded: end - start)
                    for index in start..<end {
                        (base + offset).storeBytes(of: leaves[index].keyHash.storage, as: (UInt64, UInt64, UInt64, UInt64).self)
                        (base + offset + 32).storeBytes(of: leaves[index].leafHash.storage, as: (UInt64, UInt64, UInt64, UInt64).self)
                        offset += 64
                        offset += LEB128.write(leaves[index].valueID, to: base + offset)
                    }
                }
                kinds |= UInt64(kind) << (60 - 4 * slot)
            }
            (base + kindsOffset).storeBytes(of: kinds.bigEndian, as: UInt64.self)
            return offset
        }
    }

    // MARK: Decoding

    /// The full row a row changes (0: the row is full itself); `nil` when the row has no header.
    static func baseID(ofRow bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard bytes.count >= 2 else { return nil }
        return LEB128.read(bytes, at: 1)?.0
    }

    /// Decodes a row written by `encode(to:)` for a node at `depth` with row id `id`; `nil` when the
    /// bytes are not one. A delta row needs `base`, its full row decoded (with the same `hashing`).
    /// With `hashing` off, the inner hashes (binary levels and inline subtrees) are left for the
    /// caller to compute with `NodeHashing.hash` before the node is used.
    convenience init?(encoded bytes: UnsafeRawBufferPointer, id: UInt64, depth: Int, hashing: Bool = true,
                      base: TreeNode? = nil) {
        guard bytes.count >= 10, let start = bytes.baseAddress, Int(bytes[0]) == depth, depth < 64,
              let (baseID, baseLength) = LEB128.read(bytes, at: 1), bytes.count >= 1 + baseLength + 8 else { return nil }
        var kinds: UInt64 = 0
        for index in 1 + baseLength..<9 + baseLength { kinds = kinds << 8 | UInt64(bytes[index]) }
        var leafCount = 0
        var deltaSlots: UInt16 = 0
        for slot in 0..<16 {
            let kind = UInt8(truncatingIfNeeded: kinds >> (60 - 4 * slot)) & 0x0F
            if kind == Self.asInBaseKind { continue }
            deltaSlots |= 1 << slot
            if kind != Self.childKind { leafCount += Int(kind) }
        }
        self.init(depth: depth, leafCapacity: leafCount)
        if baseID != 0 {
            guard let base, base.id == baseID, base.depth == depth, base.baseID == 0 else { return nil }
            reset(copying: base, extraLeafCapacity: leafCount)
        } else if deltaSlots != 0xFFFF {
            return nil
        }
        var offset = 9 + baseLength
        func hash(at offset: Int) -> Hash32 {
            var value = Hash32.zero
            Swift.withUnsafeMutableBytes(of: &value.storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: start + offset, count: 32)) }
            return value
        }
        var slotLeaves: [TreeLeaf] = []
        slotLeaves.reserveCapacity(Self.inlineLimit)
        for slot in 0..<16 where deltaSlots & (1 << slot) != 0 {
            let kind = UInt8(truncatingIfNeeded: kinds >> (60 - 4 * slot)) & 0x0F
            let content: Content
            if kind == Self.childKind {
                guard offset + 32 < bytes.count else { return nil }
                let childHash = hash(at: offset)
                offset += 32
                guard let (childID, length) = LEB128.read(bytes, at: offset), childID != 0 else { return nil }
                offset += length
                content = .child(id: childID, hash: childHash, node: nil)
            } else if kind == 0 {
                content = .empty
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
                content = .inline(slotLeaves[...], hash: slotHash)
            }
            if baseID != 0 { replace(slot, content) } else { append(slot, content) }
        }
        guard offset == bytes.count else { return nil }
        self.id = id
        self.baseID = baseID
        self.deltaSlots = baseID != 0 ? deltaSlots : 0
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
