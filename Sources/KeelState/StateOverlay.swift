import KeelCore
import Foundation
import GRDB

/// The pending writes of a block being built, over a committed version of a `StateStore`.
///
/// Reads see the pending writes first, then the store as of `baseVersion`. `root()` gives the root
/// the block would commit without writing anything (per-transaction roots for fault proofs);
/// `commit(version:)` applies the writes to the store in one atomic commit. Not thread-safe: one
/// block builder owns an overlay.
public struct StateOverlay: Sendable {
    /// The store the overlay reads through to.
    public let store: StateStore
    /// The committed version reads fall through to (`nil`: the empty tree).
    public let baseVersion: UInt64?
    private var pending: [[UInt8]: [UInt8]?] = [:]
    private var order: [[UInt8]] = []

    /// An overlay over `store` as of `baseVersion` (the latest committed version when omitted).
    public init(store: StateStore, baseVersion: UInt64? = nil) {
        self.store = store
        self.baseVersion = baseVersion ?? store.latestVersion
    }

    /// The value of `key`: the pending write if any, else the store's value at `baseVersion`.
    public func value(for key: [UInt8]) throws -> [UInt8]? {
        if let write = pending[key] { return write }
        guard let baseVersion else { return nil }
        return try store.value(for: key, at: baseVersion)
    }

    /// Records a write (`nil` deletes the key).
    public mutating func set(_ key: [UInt8], _ value: [UInt8]?) {
        if pending.updateValue(value, forKey: key) == nil { order.append(key) }
    }

    /// The pending writes, in the order their keys were first written.
    public var updates: [(key: [UInt8], value: [UInt8]?)] {
        order.map { key in (key, pending[key] ?? nil) }
    }

    /// How many keys have pending writes.
    public var count: Int { pending.count }

    /// The root the store would have with these writes applied to `baseVersion`; writes nothing.
    public func root() throws -> Hash32 {
        try store.root(applying: updates, to: baseVersion)
    }

    /// Commits the pending writes as `version` and clears them; returns the new root.
    ///
    /// Throws if the store has moved past `baseVersion` since the overlay was made.
    @discardableResult
    public mutating func commit(version: UInt64) throws -> Hash32 {
        if store.latestVersion != baseVersion {
            throw StateStoreError.overlayBaseMoved(base: baseVersion, latest: store.latestVersion)
        }
        let root = try store.apply(version: version, updates: updates)
        pending = [:]
        order = []
        return root
    }
}

extension StateStore {
    /// The root that applying `updates` to `version` (the latest when `nil`, the empty tree before
    /// the first commit) would give, computed without writing anything.
    public func root(applying updates: [(key: [UInt8], value: [UInt8]?)], to version: UInt64? = nil) throws -> Hash32 {
        let changes = Self.sortedChanges(updates)
        return try lock.withLock {
            let base: UInt64?
            if let version {
                try checkRetained(version)
                base = version
            } else {
                base = latest?.version
            }
            return try database.inDatabase { db in
                let rootID = try base.map { try versionRoot(db, $0).rootNode }
                var update = TreeUpdate(nextNodeID: .max / 2)
                try update.applyToRoot(changes[...], rootID: rootID,
                                       load: loader(db, latestTree: base != nil && base == latest?.version, keep: true))
                return update.root
            }
        }
    }
}
