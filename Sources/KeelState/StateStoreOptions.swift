import KeelCore

/// How a state store keeps its history and uses memory.
public struct StateStoreOptions: Sendable, Hashable {
    /// About the most decoded tree nodes held in memory (each up to about 2.5 KiB). The latest
    /// tree's nodes in the top five nibble levels (at most 1 + 16 + 256 + 4,096 + 65,536 = 69,905
    /// nodes, whatever the tree's size) stay resident until replaced, as many levels of them as fit
    /// in three quarters of the limit; other nodes share the rest. The default keeps all five
    /// levels and 30,000 more nodes: under 250 MiB for a million keys.
    public var cacheNodeLimit: Int
    /// How many of the latest versions stay readable (roots, values, proofs); older ones are pruned.
    public var retainedVersions: UInt64
    /// Prune after `apply` (otherwise only when `prune()` is called).
    public var pruneOnApply: Bool
    /// With `pruneOnApply`, prune once this many versions have left the retained window, all in
    /// one transaction: the rows of neighbouring versions share SQLite pages, so a batch of 32
    /// costs about a tenth per version of pruning after every block (docs/PERFORMANCE.md). Until
    /// then those versions stay readable: at most `retainedVersions + pruneBatch - 1` are kept.
    public var pruneBatch: UInt64
    /// SQLite's page cache for the file, in MiB (`PRAGMA cache_size`).
    public var sqliteCacheMiB: Int
    /// `PRAGMA synchronous = FULL`: a commit also survives power loss, at the cost of an fsync per
    /// block. The default (`NORMAL` in WAL mode) survives any crash of the process.
    public var synchronousFull: Bool

    public init(cacheNodeLimit: Int = 100_000, retainedVersions: UInt64 = 256, pruneOnApply: Bool = true,
                pruneBatch: UInt64 = 32, sqliteCacheMiB: Int = 64, synchronousFull: Bool = false) {
        self.cacheNodeLimit = cacheNodeLimit
        self.retainedVersions = retainedVersions
        self.pruneOnApply = pruneOnApply
        self.pruneBatch = pruneBatch
        self.sqliteCacheMiB = sqliteCacheMiB
        self.synchronousFull = synchronousFull
    }
}
