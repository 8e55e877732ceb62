import CKeccak

/// Two digests side by side: the 64 bytes after the domain byte in a tree's inner node or leaf.
package struct HashPair {
    package var left: Hash32
    package var right: Hash32

    package init(left: Hash32, right: Hash32) {
        self.left = left
        self.right = right
    }
}

/// Keccak-256 of many independent messages at once, one per SIMD lane (CKeccak: eight lanes with
/// AVX-512, four with AVX2, chosen at run time; one message at a time where neither is there).
/// The digests are those of `Keccak256.hash`, whichever way they are computed.
extension Keccak256 {
    /// How many messages one permutation hashes on this machine: 8, 4, or 1.
    public static let lanes = Int(keel_keccak_lanes())

    /// `digests[i] = keccak256(prefix ‖ pairs[i].left ‖ pairs[i].right)` for every `i`, `lanes` at a
    /// time (8 or 4, at most `Keccak256.lanes`; 1 hashes one at a time).
    package static func hashPrefixedPairs(_ prefix: UInt8, _ pairs: UnsafeBufferPointer<HashPair>,
                                  into digests: UnsafeMutableBufferPointer<Hash32>, lanes: Int = Keccak256.lanes) {
        precondition(digests.count >= pairs.count, "a digest for every pair")
        guard let pairBase = pairs.baseAddress, let digestBase = digests.baseAddress else { return }
        let done = UnsafeRawPointer(pairBase).withMemoryRebound(to: UInt8.self, capacity: 64 * pairs.count) { pairBytes in
            UnsafeMutableRawPointer(digestBase).withMemoryRebound(to: UInt8.self, capacity: 32 * pairs.count) { digestBytes in
                keel_keccak256_prefixed_pairs(Int32(lanes), prefix, pairBytes, pairs.count, digestBytes) == 0
            }
        }
        if done { return }
        for index in pairs.indices {
            digests[index] = StateTree.hash65(prefix, pairs[index].left, pairs[index].right)
        }
    }

    /// The digest of each message `message(i)` for `i` in `0..<count`, `lanes` at a time (as in
    /// `hashPrefixedPairs`); messages longer than one block are hashed one at a time.
    public static func hashEach(count: Int, lanes: Int = Keccak256.lanes, _ message: (Int) -> [UInt8]) -> [Hash32] {
        var digests = [Hash32](repeating: .zero, count: count)
        var packed: [UInt8] = []
        var ends: [Int] = []
        var packedIndices: [Int] = []
        let group = 256
        packed.reserveCapacity(group * 64)
        ends.reserveCapacity(group)
        packedIndices.reserveCapacity(group)
        var digestBuffer = [Hash32](repeating: .zero, count: group)

        func flush() {
            guard !ends.isEmpty else { return }
            let done = packed.withUnsafeBufferPointer { bytes in
                digestBuffer.withUnsafeMutableBytes { out in
                    keel_keccak256_packed(Int32(lanes), bytes.baseAddress, ends, ends.count,
                                          out.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 0
                }
            }
            for (position, index) in packedIndices.enumerated() {
                digests[index] = done ? digestBuffer[position] : Keccak256.hash(message(index))
            }
            packed.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            packedIndices.removeAll(keepingCapacity: true)
        }

        let batched = lanes > 1
        for index in 0..<count {
            let bytes = message(index)
            guard batched, bytes.count <= Int(KEEL_KECCAK_BATCH_MAX) else {
                digests[index] = Keccak256.hash(bytes)
                continue
            }
            packed.append(contentsOf: bytes)
            ends.append(packed.count)
            packedIndices.append(index)
            if ends.count == group { flush() }
        }
        flush()
        return digests
    }
}
