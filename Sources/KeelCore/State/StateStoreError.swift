/// What went wrong in the state store, with what to do about it.
public enum StateStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `apply` was given a version that does not follow the latest one.
    case versionNotIncreasing(given: UInt64, latest: UInt64)
    /// A read asked for a version that was pruned or not yet written.
    case versionNotRetained(asked: UInt64, oldest: UInt64?, latest: UInt64?)
    /// A stored node or value does not decode: the file was damaged or written by something else.
    case corrupt(String)
    /// SQLite refused an operation.
    case database(String)
    /// The options cannot work.
    case invalidOptions(String)
    /// An overlay was committed after the store moved past the version it was built on.
    case overlayBaseMoved(base: UInt64?, latest: UInt64?)
    /// A value is larger than `StateStore.maximumValueBytes`.
    case valueTooLarge(keyHash: Hash32, bytes: Int)

    public var description: String {
        switch self {
        case .versionNotIncreasing(let given, let latest):
            "state store: version \(given) does not follow the latest committed version \(latest); apply versions in increasing order"
        case .versionNotRetained(let asked, let oldest, let latest):
            if let oldest, let latest {
                "state store: version \(asked) is not retained (versions \(oldest)…\(latest) are); raise retainedVersions to keep more history"
            } else {
                "state store: version \(asked) is not retained: nothing has been committed yet"
            }
        case .corrupt(let detail):
            "state store is corrupt: \(detail); restore the data directory from a backup or resync the node"
        case .database(let detail):
            "state store database error: \(detail)"
        case .invalidOptions(let detail):
            "state store options: \(detail)"
        case .valueTooLarge(let keyHash, let bytes):
            "state store: the value of key hash \(keyHash) is \(bytes) bytes, over the \(StateStore.maximumValueBytes)-byte limit; store large data by its hash instead"
        case .overlayBaseMoved(let base, let latest):
            "state overlay built on version \(base.map(String.init) ?? "none") cannot commit: the store is at \(latest.map(String.init) ?? "none"); rebuild the block on the latest version"
        }
    }
}

/// How a state store keeps its history and uses memory.
public struct StateStoreOptions: Sendable, Hashable {
    /// The most decoded tree nodes held in memory (each about 2.3 KiB). The latest tree's nodes in
    /// the top five nibble levels (at most 1 + 16 + 256 + 4,096 + 65,536 = 69,905 nodes, whatever
    /// the tree's size) stay until replaced; deeper nodes share the rest. The default holds all of
    /// them and 30,000 more: about 230 MiB.
    public var cacheNodeLimit: Int
    /// How many of the latest versions stay readable (roots, values, proofs); older ones are pruned.
    public var retainedVersions: UInt64
    /// Prune after each `apply` (otherwise only when `prune()` is called).
    public var pruneOnApply: Bool
    /// SQLite's page cache for the file, in MiB (`PRAGMA cache_size`).
    public var sqliteCacheMiB: Int
    /// `PRAGMA synchronous = FULL`: a commit also survives power loss, at the cost of an fsync per
    /// block. The default (`NORMAL` in WAL mode) survives any crash of the process.
    public var synchronousFull: Bool

    public init(cacheNodeLimit: Int = 100_000, retainedVersions: UInt64 = 256, pruneOnApply: Bool = true,
                sqliteCacheMiB: Int = 64, synchronousFull: Bool = false) {
        self.cacheNodeLimit = cacheNodeLimit
        self.retainedVersions = retainedVersions
        self.pruneOnApply = pruneOnApply
        self.sqliteCacheMiB = sqliteCacheMiB
        self.synchronousFull = synchronousFull
    }
}
