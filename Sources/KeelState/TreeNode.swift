import KeelCore

/// A key's leaf as the tree stores it: where the key is, the leaf's hash
/// (`keccak256(0x00 ‖ keyHash ‖ keccak256(value))`, so a node read from the file needs no rehashing),
/// and the row of `state_value` that holds the value itself.
struct TreeLeaf: Equatable, Sendable {
    var keyHash: Hash32
    var leafHash: Hash32
    var valueID: UInt64
}

/// Sixteen slots of the binary tree, four levels deep: the unit the store reads, writes and caches.
///
/// Slot `s` is the subtree under nibble `s` after this node's path. It is empty, holds up to
/// `inlineLimit` leaves inline (one leaf, or a small subtree of a few keys kept in its parent rather
/// than as a node of its own), or is a child node stored under its own row id. A subtree holds more
/// than `inlineLimit` keys exactly when it is a child node, so the layout follows from the keys.
/// The four binary levels inside are hashed with compaction: a range of slots holding one leaf and
/// nothing else hashes to that leaf.
///
/// A node is built once (by a block, or decoded from its row) and not changed after it is stored or
/// cached; a block that changes it builds a new node.
final class TreeNode {
    /// The most leaves a slot keeps inline; a subtree with more is a child node.
    static let inlineLimit = 4

    /// The node's nibble depth: 0 for the root, its slots are at depth `depth + 1`.
    private(set) var depth: Int
    /// The node's row id once stored (0 before).
    var id: UInt64 = 0
    /// For a node stored as a delta row: the full row it changes (0 for a full row; docs/STATE.md,
    /// "Nodes"). Set with `deltaSlots` by `chooseRow` or by decoding.
    var baseID: UInt64 = 0
    /// For a delta row: the slots it stores, those that differ from (or may differ from) the base's.
    var deltaSlots: UInt16 = 0
    /// Slots holding exactly one inline leaf.
    private(set) var single: UInt16 = 0
    /// Slots holding a child node or two or more inline leaves (hashed as inner nodes).
    private(set) var multi: UInt16 = 0
    /// Slots holding a child node.
    private(set) var children: UInt16 = 0
    /// Heap-ordered hashes: [1] the node, [2k] and [2k+1] the halves of [k], [16 + s] slot `s`.
    private(set) var hashes = InlineArray<32, Hash32>(repeating: .zero)
    /// The row id of the child node in slot `s`.
    private(set) var childIDs = InlineArray<16, UInt64>(repeating: 0)
    /// The inline leaves of slot `s` are `leaves[leafStart(s) ..< leafEnd[s]]`.
    private(set) var leafEnd = InlineArray<16, UInt8>(repeating: 0)
    /// Every inline leaf, in key-hash order (slot by slot).
    private(set) var leaves: [TreeLeaf] = []
    /// The decoded child nodes of slots, where the store keeps them in memory (a cache: `nil` means
    /// "read it by its id", not "no child").
    var childNodes = InlineArray<16, TreeNode?>(repeating: nil)
    /// Whether the node is part of the latest tree's resident top levels (docs/STATE.md, "Memory").
    var isResident = false
    /// The next slot `append` expects.
    private var filled = 0

    /// An empty node at `depth`, whose slots are appended next.
    init(depth: Int, leafCapacity: Int = 0) {
        self.depth = depth
        leaves.reserveCapacity(leafCapacity)
    }

    /// Takes over `previous`'s links to the children both still have (the block that made this
    /// node from `previous` committed).
    func relink(from previous: TreeNode) {
        let shared = children & previous.children
        guard shared != 0 else { return }
        for slot in 0..<16 where shared & (1 << slot) != 0 && childIDs[slot] == previous.childIDs[slot] {
            swap(&childNodes[slot], &previous.childNodes[slot])
        }
    }

    /// Drops the links to decoded children (a node leaving the resident tree).
    func unlinkChildren() {
        isResident = false
        if children != 0 {
            for slot in 0..<16 where childNodes[slot] != nil { childNodes[slot] = nil }
        }
    }

    /// Makes this node (one no longer used, its memory reused) an empty node at `depth`, as `init`.
    func reset(depth: Int, leafCapacity: Int) {
        self.depth = depth
        id = 0
        baseID = 0
        deltaSlots = 0
        single = 0
        multi = 0
        children = 0
        filled = 0
        unlinkChildren()
        hashes = InlineArray(repeating: .zero)
        leaves.removeAll(keepingCapacity: true)
        leaves.reserveCapacity(leafCapacity)
    }

    /// Makes this node a copy of `other` (slots and hashes; not its id or links), to `replace` slots of.
    func reset(copying other: TreeNode, extraLeafCapacity: Int) {
        depth = other.depth
        id = 0
        baseID = 0
        deltaSlots = 0
        single = other.single
        multi = other.multi
        children = other.children
        filled = 16
        unlinkChildren()
        hashes = other.hashes
        childIDs = other.childIDs
        leafEnd = other.leafEnd
        leaves.removeAll(keepingCapacity: true)
        leaves.reserveCapacity(other.leaves.count + extraLeafCapacity)
        leaves.append(contentsOf: other.leaves)
    }

    /// What a slot holds, as the tree walk hands it around.
    enum Content {
        case empty
        /// One to `inlineLimit` leaves (sorted) and the hash of the subtree they form.
        case inline(ArraySlice<TreeLeaf>, hash: Hash32)
        /// A child node, and its decoded form when it is to stay linked from this node.
        case child(id: UInt64, hash: Hash32, node: TreeNode?)
    }

    /// The hash of the subtree this node stands for.
    var hash: Hash32 { hashes[1] }

    var isChildless: Bool { children == 0 }

    func leafStart(_ slot: Int) -> Int { slot == 0 ? 0 : Int(leafEnd[slot - 1]) }

    func isChild(_ slot: Int) -> Bool { children & (1 << slot) != 0 }

    func childID(_ slot: Int) -> UInt64 { childIDs[slot] }

    func slotHash(_ slot: Int) -> Hash32 { hashes[16 + slot] }

    func inlineLeaves(_ slot: Int) -> ArraySlice<TreeLeaf> { leaves[leafStart(slot)..<Int(leafEnd[slot])] }

    // MARK: Building (slots in order 0…15, then `rehash`)

    /// Sets the next slot, `slot` (every slot before it must be set already).
    func append(_ slot: Int, _ content: Content) {
        precondition(slot == filled, "slots are appended in order")
        let bit = UInt16(1) << slot
        switch content {
        case .empty:
            hashes[16 + slot] = .zero
        case .inline(let slotLeaves, let hash):
            leaves.append(contentsOf: slotLeaves)
            if slotLeaves.count == 1 { single |= bit } else { multi |= bit }
            hashes[16 + slot] = hash
        case .child(let id, let hash, let node):
            children |= bit
            multi |= bit
            childIDs[slot] = id
            childNodes[slot] = node
            hashes[16 + slot] = hash
        }
        leafEnd[slot] = UInt8(truncatingIfNeeded: leaves.count)
        filled = slot + 1
    }

    /// Changes slot `slot` of a complete node (made by `reset(copying:)`) to `content`.
    func replace(_ slot: Int, _ content: Content) {
        let bit = UInt16(1) << slot
        let start = leafStart(slot), end = Int(leafEnd[slot])
        single &= ~bit
        multi &= ~bit
        children &= ~bit
        childNodes[slot] = nil
        var count = 0
        switch content {
        case .empty:
            hashes[16 + slot] = .zero
            if end > start { leaves.removeSubrange(start..<end) }
        case .inline(let slotLeaves, let hash):
            leaves.replaceSubrange(start..<end, with: slotLeaves)
            count = slotLeaves.count
            if count == 1 { single |= bit } else { multi |= bit }
            hashes[16 + slot] = hash
        case .child(let id, let hash, let node):
            if end > start { leaves.removeSubrange(start..<end) }
            children |= bit
            multi |= bit
            childIDs[slot] = id
            childNodes[slot] = node
            hashes[16 + slot] = hash
        }
        let delta = count - (end - start)
        if delta != 0 {
            for later in slot..<16 { leafEnd[later] = UInt8(truncatingIfNeeded: Int(leafEnd[later]) + delta) }
        }
    }

    /// Recomputes the hashes of the binary ranges that contain a slot in `changed`.
    func rehash(changed: UInt16) {
        for level in stride(from: 3, through: 0, by: -1) {
            rehashLevel(level, changed: changed) { heapIndex, pair in
                setHash(heapIndex, StateTree.innerHash(pair.left, pair.right))
            }
        }
    }

    /// Recomputes the hashes at binary `level` of the node (3: the pairs of slots … 0: the node's
    /// own hash) whose ranges contain a slot in `changed`. A range that is empty or holds one leaf
    /// takes its hash at once; for each other range, `needsHash` gets its heap index and the two
    /// hashes below it, and the caller hands the inner hash to `setHash` before the next level up.
    /// (A block hashes a level across many nodes together: `TreeUpdate.hashPending`.)
    @inline(__always)
    func rehashLevel(_ level: Int, changed: UInt16, needsHash: (_ heapIndex: Int, _ pair: HashPair) -> Void) {
        let width = 16 >> level
        var slots = changed
        while slots != 0 {
            // The range at this level holding the lowest changed slot left, then past that range.
            let range = slots.trailingZeroBitCount / width
            let heapIndex = (1 << level) + range
            let mask = UInt16(truncatingIfNeeded: ((1 << width) - 1) << (range * width))
            slots &= ~mask
            if multi & mask == 0 {
                let occupied = single & mask
                if occupied == 0 {
                    hashes[heapIndex] = .zero
                    continue
                }
                if occupied.nonzeroBitCount == 1 {
                    hashes[heapIndex] = hashes[16 + occupied.trailingZeroBitCount]
                    continue
                }
            }
            let pair = HashPair(left: hashes[2 * heapIndex], right: hashes[2 * heapIndex + 1])
            needsHash(heapIndex, pair)
        }
    }

    /// Sets the hash at heap index `heapIndex` (1…15) to an inner hash computed by the caller.
    @inline(__always)
    func setHash(_ heapIndex: Int, _ hash: Hash32) { hashes[heapIndex] = hash }

    /// Takes the hashes of the child nodes in the slots of `changed` from the nodes linked there
    /// (during a block every new child is linked until its parent is hashed).
    func takeChildHashes(_ changed: UInt16) {
        var slots = changed & children
        while slots != 0 {
            let slot = slots.trailingZeroBitCount
            slots &= slots - 1
            guard let child = childNodes[slot] else { preconditionFailure("a changed child slot holds its new node") }
            hashes[16 + slot] = child.hash
        }
    }

    /// The slots of `changed` holding two or more inline leaves (an inline subtree to hash).
    func inlineSubtreeSlots(_ changed: UInt16) -> UInt16 { changed & multi & ~children }

    /// Sets the hash of slot `slot` (an inline subtree's, computed by the caller).
    func setSlotHash(_ slot: Int, _ hash: Hash32) { hashes[16 + slot] = hash }

    /// Drops the links to the children in the slots of `changed` (new nodes below the resident levels).
    func dropChildLinks(_ changed: UInt16) {
        var slots = changed & children
        while slots != 0 {
            childNodes[slots.trailingZeroBitCount] = nil
            slots &= slots - 1
        }
    }

    /// The slots under heap index `heapIndex` (1…31), as a bit set.
    @inline(__always)
    static func rangeMask(_ heapIndex: Int) -> UInt16 {
        let level = Int.bitWidth - 1 - heapIndex.leadingZeroBitCount // 0 for 1, 1 for 2…3, …, 4 for 16…31
        let width = 16 >> level
        let first = (heapIndex - (1 << level)) * width
        return UInt16(truncatingIfNeeded: ((1 << width) - 1) << first)
    }

    // MARK: Reading

    /// Where a key's path leaves a node.
    enum Exit {
        case empty
        case leaf(TreeLeaf)
        case child(slot: Int, id: UInt64)
    }

    /// Follows `keyHash` through this node, appending the sibling of each binary level it passes
    /// (inside inline subtrees too) when `siblings` is given.
    func descend(keyHash: Hash32, siblings: inout [Hash32]?) -> Exit {
        var heapIndex = 1
        for level in 0..<4 {
            let mask = Self.rangeMask(heapIndex)
            if multi & mask == 0 {
                let occupied = single & mask
                if occupied == 0 { return .empty }
                if occupied.nonzeroBitCount == 1 { return .leaf(leaves[leafStart(occupied.trailingZeroBitCount)]) }
            }
            let bit = Int(keyHash.bit(depth * 4 + level))
            siblings?.append(hashes[2 * heapIndex + 1 - bit])
            heapIndex = 2 * heapIndex + bit
        }
        let slot = heapIndex - 16
        if isChild(slot) { return .child(slot: slot, id: childIDs[slot]) }
        return InlineSubtree.descend(inlineLeaves(slot), keyHash: keyHash, fromBit: (depth + 1) * 4, siblings: &siblings)
    }
}
