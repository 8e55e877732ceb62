/// Where a stored node sits: the first `count` nibbles (4-bit groups) of the key hashes below it.
struct NibblePath: Hashable, Sendable {
    /// How many nibbles the path has, 0 (the root) to 64.
    private(set) var count: Int
    /// The path's bits, every bit from `count * 4` on cleared.
    private(set) var prefix: Hash32

    /// The root's path.
    static let root = NibblePath(count: 0, prefix: .zero)

    /// The first `count` nibbles of `keyHash`.
    init(keyHash: Hash32, count: Int) {
        self.count = count
        self.prefix = keyHash.keepingBits(count * 4)
    }

    private init(count: Int, prefix: Hash32) {
        self.count = count
        self.prefix = prefix
    }

    /// This path followed by `nibble`.
    func appending(_ nibble: Int) -> NibblePath {
        var next = self
        Swift.withUnsafeMutableBytes(of: &next.prefix.storage) { raw in
            let shift: UInt8 = count % 2 == 0 ? 4 : 0
            raw[count / 2] |= UInt8(nibble & 0x0F) << shift
        }
        next.count = count + 1
        return next
    }

    /// One nibble count byte, then the nibbles packed two to a byte (high half first).
    var encoded: [UInt8] {
        var bytes = [UInt8(count)]
        let byteCount = (count + 1) / 2
        prefix.withUnsafeBytes { bytes.append(contentsOf: $0[0..<byteCount]) }
        return bytes
    }

    /// Decodes `encoded`; `nil` when it is not a path this store writes.
    init?(encoded bytes: UnsafeRawBufferPointer) {
        guard let count = bytes.first.map(Int.init), count <= 64, bytes.count == 1 + (count + 1) / 2 else { return nil }
        var raw = [UInt8](repeating: 0, count: 32)
        for index in 1..<bytes.count { raw[index - 1] = bytes[index] }
        guard let hash = Hash32(bytes: raw), hash.keepingBits(count * 4) == hash else { return nil }
        self.init(count: count, prefix: hash)
    }
}

/// A stored node: where it is, and the version that wrote it.
struct NodeKey: Hashable, Sendable {
    var version: UInt64
    var path: NibblePath
}

/// A key's leaf as the tree stores it: where the key is, what its value hashes to, and the version
/// whose row of `state_value` holds the value itself.
struct TreeLeaf: Equatable, Sendable {
    var keyHash: Hash32
    var valueHash: Hash32
    var valueVersion: UInt64
}

/// Sixteen slots of the binary tree, four levels deep: the unit the store reads and writes.
///
/// Slot `s` is the subtree under nibble `s` after this node's path. It is empty, a leaf (the only
/// key in that subtree, kept here rather than as a node of its own), or an internal node stored
/// under the child path with the version that wrote it. The four binary levels inside are hashed
/// with compaction: a range of slots holding one leaf and nothing else hashes to that leaf.
struct TreeNode: Sendable {
    enum Slot: Equatable {
        case empty
        case leaf(TreeLeaf)
        case node(version: UInt64, hash: Hash32)
    }

    /// Bit `s` set: slot `s` is not empty.
    private(set) var present: UInt16 = 0
    /// Bit `s` set: slot `s` holds a leaf.
    private(set) var leaves: UInt16 = 0
    /// Heap-ordered hashes: [1] the node, [2k] and [2k+1] the halves of [k], [16 + s] slot `s`.
    private(set) var hashes = ContiguousArray<Hash32>(repeating: .zero, count: 32)
    /// [s] the key hash and [16 + s] the value hash of the leaf in slot `s`.
    private var leafData = ContiguousArray<Hash32>(repeating: .zero, count: 32)
    /// The version of the internal node in slot `s`, or of the value row of the leaf in slot `s`.
    private var versions = ContiguousArray<UInt64>(repeating: 0, count: 16)

    init() {}

    /// The hash of the subtree this node stands for.
    var hash: Hash32 { hashes[1] }

    var isEmpty: Bool { present == 0 }

    /// The leaf this node reduces to when it holds a single leaf and nothing else.
    var soleLeaf: TreeLeaf? {
        guard present.nonzeroBitCount == 1, leaves == present else { return nil }
        return leaf(present.trailingZeroBitCount)
    }

    private func leaf(_ index: Int) -> TreeLeaf {
        TreeLeaf(keyHash: leafData[index], valueHash: leafData[16 + index], valueVersion: versions[index])
    }

    func slot(_ index: Int) -> Slot {
        let bit = UInt16(1) << index
        if present & bit == 0 { return .empty }
        if leaves & bit != 0 { return .leaf(leaf(index)) }
        return .node(version: versions[index], hash: hashes[16 + index])
    }

    /// Sets slot `index`; call `rehash(changed:)` once the slots are set.
    mutating func set(_ index: Int, _ slot: Slot) {
        let bit = UInt16(1) << index
        switch slot {
        case .empty:
            present &= ~bit
            leaves &= ~bit
            hashes[16 + index] = .zero
        case .leaf(let leaf):
            present |= bit
            leaves |= bit
            leafData[index] = leaf.keyHash
            leafData[16 + index] = leaf.valueHash
            versions[index] = leaf.valueVersion
            hashes[16 + index] = StateTree.leafHash(keyHash: leaf.keyHash, valueHash: leaf.valueHash)
        case .node(let version, let hash):
            present |= bit
            leaves &= ~bit
            versions[index] = version
            hashes[16 + index] = hash
        }
    }

    /// Recomputes the hashes of the binary ranges that contain a slot in `changed`.
    mutating func rehash(changed: UInt16) {
        for heapIndex in stride(from: 15, through: 1, by: -1) {
            let mask = Self.rangeMask(heapIndex)
            guard changed & mask != 0 else { continue }
            let occupied = present & mask
            if occupied == 0 {
                hashes[heapIndex] = .zero
            } else if occupied.nonzeroBitCount == 1, leaves & occupied != 0 {
                hashes[heapIndex] = hashes[16 + occupied.trailingZeroBitCount]
            } else {
                hashes[heapIndex] = StateTree.innerHash(hashes[2 * heapIndex], hashes[2 * heapIndex + 1])
            }
        }
    }

    /// The slots under heap index `heapIndex` (1…31), as a bit set.
    static func rangeMask(_ heapIndex: Int) -> UInt16 {
        let level = Int.bitWidth - 1 - heapIndex.leadingZeroBitCount // 0 for 1, 1 for 2…3, …, 4 for 16…31
        let width = 16 >> level
        let first = (heapIndex - (1 << level)) * width
        return UInt16(truncatingIfNeeded: ((1 << width) - 1) << first)
    }

    /// Follows `keyHash` through this node (at nibble depth `nodeDepth`), appending the sibling of
    /// each binary level it passes when `siblings` is given; returns where the path leaves the node
    /// (empty, a leaf, or a child node).
    func descend(keyHash: Hash32, nodeDepth: Int, siblings: inout [Hash32]?) -> Slot {
        var heapIndex = 1
        for level in 0..<4 {
            let occupied = present & Self.rangeMask(heapIndex)
            if occupied == 0 { return .empty }
            if occupied.nonzeroBitCount == 1, leaves & occupied != 0 { return slot(occupied.trailingZeroBitCount) }
            let bit = Int(keyHash.bit(nodeDepth * 4 + level))
            siblings?.append(hashes[2 * heapIndex + 1 - bit])
            heapIndex = 2 * heapIndex + bit
        }
        return slot(heapIndex - 16)
    }
}

extension TreeNode {
    /// `present` and `leaves` (big-endian), then per occupied slot in order: a leaf's key hash,
    /// value hash and value version (8 bytes, big-endian), or an internal node's version and hash.
    func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 + 72 * present.nonzeroBitCount)
        for word in [present, leaves] {
            bytes.append(UInt8(truncatingIfNeeded: word >> 8))
            bytes.append(UInt8(truncatingIfNeeded: word))
        }
        for index in 0..<16 where present & (1 << index) != 0 {
            if leaves & (1 << index) != 0 {
                leafData[index].withUnsafeBytes { bytes.append(contentsOf: $0) }
                leafData[16 + index].withUnsafeBytes { bytes.append(contentsOf: $0) }
                withUnsafeBytes(of: versions[index].bigEndian) { bytes.append(contentsOf: $0) }
            } else {
                withUnsafeBytes(of: versions[index].bigEndian) { bytes.append(contentsOf: $0) }
                hashes[16 + index].withUnsafeBytes { bytes.append(contentsOf: $0) }
            }
        }
        return bytes
    }

    /// Decodes a node written by `encoded()`; `nil` when the bytes are not one.
    init?(encoded bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 4 else { return nil }
        let present = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        let leaves = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        let internalCount = (present & ~leaves).nonzeroBitCount
        guard leaves & ~present == 0,
              bytes.count == 4 + 72 * leaves.nonzeroBitCount + 40 * internalCount else { return nil }
        var node = TreeNode()
        var offset = 4
        func hash(at offset: Int) -> Hash32 {
            var value = Hash32.zero
            Swift.withUnsafeMutableBytes(of: &value.storage) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 32])) }
            return value
        }
        func version(at offset: Int) -> UInt64 {
            var version: UInt64 = 0
            for byte in bytes[offset..<offset + 8] { version = version << 8 | UInt64(byte) }
            return version
        }
        for index in 0..<16 where present & (1 << index) != 0 {
            if leaves & (1 << index) != 0 {
                node.set(index, .leaf(TreeLeaf(keyHash: hash(at: offset), valueHash: hash(at: offset + 32),
                                               valueVersion: version(at: offset + 64))))
                offset += 72
            } else {
                node.set(index, .node(version: version(at: offset), hash: hash(at: offset + 8)))
                offset += 40
            }
        }
        node.rehash(changed: 0xFFFF)
        self = node
    }
}
