import KeelCore

/// The hashes of many inline subtrees at once, for a block's changed slots: each subtree's inner
/// nodes become jobs, and the jobs of one height (all their children known) are hashed together,
/// several a permutation (`Keccak256.hashPrefixedPairs`). The hashes are those of
/// `InlineSubtree.hash`.
struct InlineSubtreeBatch {
    /// Where a job's child hash comes from: a known hash (a leaf, or zero), or an earlier job.
    private enum Source {
        case hash(Hash32)
        case job(Int)
    }

    private var jobs: [(left: Source, right: Source)] = []
    private var jobsByHeight: [[Int]] = []
    private var roots: [Source] = []

    /// Adds the subtree of `leaves` (sorted by key hash, sharing the path down to `fromBit`); its
    /// hash comes out of `compute` in the order added.
    mutating func add(_ leaves: ArraySlice<TreeLeaf>, fromBit: Int) {
        roots.append(build(leaves, fromBit: fromBit).source)
    }

    private mutating func build(_ leaves: ArraySlice<TreeLeaf>, fromBit: Int) -> (source: Source, height: Int) {
        switch leaves.count {
        case 0: return (.hash(.zero), 0)
        case 1: return (.hash(leaves[leaves.startIndex].leafHash), 0)
        default:
            let split = InlineSubtree.splitIndex(leaves, bit: fromBit)
            let left = build(leaves[..<split], fromBit: fromBit + 1)
            let right = build(leaves[split...], fromBit: fromBit + 1)
            let height = max(left.height, right.height) + 1
            jobs.append((left.source, right.source))
            while jobsByHeight.count <= height { jobsByHeight.append([]) }
            jobsByHeight[height].append(jobs.count - 1)
            return (.job(jobs.count - 1), height)
        }
    }

    /// The hash of every subtree added, in the order added.
    func compute() -> [Hash32] {
        var results = [Hash32](repeating: .zero, count: jobs.count)
        func resolve(_ source: Source) -> Hash32 {
            switch source {
            case .hash(let hash): return hash
            case .job(let index): return results[index]
            }
        }
        var pairs: [HashPair] = []
        var digests: [Hash32] = []
        for layer in jobsByHeight where !layer.isEmpty {
            pairs.removeAll(keepingCapacity: true)
            for job in layer { pairs.append(HashPair(left: resolve(jobs[job].left), right: resolve(jobs[job].right))) }
            if digests.count < pairs.count { digests = [Hash32](repeating: .zero, count: pairs.count) }
            pairs.withUnsafeBufferPointer { pairs in
                digests.withUnsafeMutableBufferPointer { Keccak256.hashPrefixedPairs(StateTree.innerDomain, pairs, into: $0) }
            }
            for (position, job) in layer.enumerated() { results[job] = digests[position] }
        }
        return roots.map(resolve)
    }
}
