import KeelCore
import KeelState
import KeelKernel

/// The state a plugin call sees: the store at `baseVersion` with the writes of the block being
/// built on top (a `StateOverlay`). A read that fails in SQLite is remembered and reported by
/// `check()`, since the plugin callback cannot throw; the caller then abandons the block.
final class StateView: StateAccess {
    private(set) var overlay: StateOverlay
    private(set) var readFailure: (any Error)?
    /// The block whose state this is (nil before genesis): the plugin of that height reads it.
    let baseVersion: UInt64?

    init(store: StateStore, baseVersion: UInt64?) {
        overlay = StateOverlay(store: store, baseVersion: baseVersion)
        self.baseVersion = baseVersion
    }

    func value(for key: [UInt8]) -> [UInt8]? {
        do {
            return try overlay.value(for: key)
        } catch {
            readFailure = readFailure ?? error
            return nil
        }
    }

    func setValue(_ value: [UInt8], for key: [UInt8]) {
        overlay.set(key, value.isEmpty ? nil : value)
    }

    /// Throws the first read failure, if any.
    func check() throws {
        if let readFailure { throw readFailure }
    }

    var updates: [(key: [UInt8], value: [UInt8]?)] { overlay.updates }
}
