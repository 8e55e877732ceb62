import KeelCore

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
