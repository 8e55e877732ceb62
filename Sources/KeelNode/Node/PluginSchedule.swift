import Foundation
import KeelKernel

/// The instances serving one plugin slot, each from a height on (docs/NODE.md, "Plugins per
/// height"): the manifest's plugin from genesis, each `upgrades:` entry's from its height, and the
/// upgrades the settlement layer's change log schedules at runtime. A block at height `h` is made
/// and replayed by the instance with the greatest start height at or below `h`; so a replay of old
/// blocks (attestor, follower, restart) uses the plugin of each range.
final class PluginSchedule<Client: Sendable>: @unchecked Sendable {
    struct Entry: Sendable {
        /// The first block this instance serves.
        var fromHeight: UInt64
        var client: Client
        var instance: PluginInstance
        /// Where it came from: `manifest`, `upgrades`, or `change log`.
        var source: String
    }

    private let lock = NSLock()
    // Guarded by `lock`; sorted by `fromHeight`, the first from 0.
    private var entries: [Entry]

    /// The assembly's instances of `kind` (genesis and the manifest's upgrades), wrapped by `client`.
    init(_ assembly: Assembly, kind: PluginKind, client: (PluginInstance) -> Client) throws {
        var entries: [Entry] = []
        for height in [0] + assembly.manifest.upgrades.map(\.atHeight) {
            guard let part = assembly.plugin(kind, atHeight: height) else {
                if height == 0 { throw NodeStartError("the manifest names no \(kind) plugin") }
                continue
            }
            if entries.last.map({ $0.instance === part.instance }) == true { continue }
            entries.append(Entry(fromHeight: height, client: client(part.instance), instance: part.instance,
                                 source: part.fromHeight == nil ? "manifest" : "upgrades"))
        }
        self.entries = entries
    }

    /// The instance serving the block at `height`.
    func at(_ height: UInt64) -> Client {
        lock.withLock { (entries.last { $0.fromHeight <= height } ?? entries[0]).client }
    }

    /// Every entry, by start height.
    var all: [Entry] { lock.withLock { entries } }

    /// Adds an instance serving from `height` on (an upgrade scheduled at runtime); one already
    /// starting there is replaced (its instance is returned, for the caller to destroy).
    @discardableResult
    func add(_ entry: Entry) -> PluginInstance? {
        lock.withLock {
            var replaced: PluginInstance?
            if let index = entries.firstIndex(where: { $0.fromHeight == entry.fromHeight }) {
                replaced = entries[index].instance
                entries[index] = entry
            } else {
                entries.append(entry)
                entries.sort { $0.fromHeight < $1.fromHeight }
            }
            return replaced
        }
    }

    /// Removes the instance that starts at `height` (a cancelled upgrade); returns it.
    func remove(from height: UInt64) -> PluginInstance? {
        lock.withLock {
            guard height > 0, let index = entries.firstIndex(where: { $0.fromHeight == height }) else { return nil }
            return entries.remove(at: index).instance
        }
    }
}
