import KeelABI

/// What the kernel offers a plugin instance: logging, metrics, clocks, the data directory.
///
/// Valid from `init(config:host:)` until the instance is destroyed; every method is thread-safe.
public struct PluginHostServices: @unchecked Sendable {
    // @unchecked: the kernel's table is immutable and its functions are thread-safe (docs/ABI.md).
    let table: UnsafePointer<keel_host>

    init(_ table: UnsafePointer<keel_host>) {
        self.table = table
    }

    /// Log levels, as the node's log shows them.
    public enum LogLevel: UInt32, Sendable {
        case trace, debug, info, notice, warning, error, critical
    }

    /// Writes one line to the node's log, tagged with this plugin's name. Never log secrets.
    public func log(_ level: LogLevel, _ message: String) {
        table.pointee.log?(table.pointee.context, keel_log_level(rawValue: level.rawValue), message)
    }

    /// Adds `delta` to the counter `name` (lowercase, underscores; the kernel prefixes the plugin).
    public func increment(_ name: String, by delta: UInt64 = 1) {
        table.pointee.counter_add?(table.pointee.context, name, delta)
    }

    /// Sets the gauge `name`.
    public func gauge(_ name: String, _ value: Double) {
        table.pointee.gauge_set?(table.pointee.context, name, value)
    }

    /// Records one duration in the timer `name`.
    public func record(_ name: String, seconds: Double) {
        table.pointee.timer_record?(table.pointee.context, name, seconds)
    }

    /// Wall-clock milliseconds since the Unix epoch.
    public var nowUnixMilliseconds: UInt64 { table.pointee.now_unix_ms?(table.pointee.context) ?? 0 }

    /// A monotonic clock in nanoseconds, for durations.
    public var monotonicNanoseconds: UInt64 { table.pointee.monotonic_ns?(table.pointee.context) ?? 0 }

    /// The node's data directory; keep files under it unless configured otherwise.
    public var dataDirectory: String { table.pointee.data_dir.map { String(cString: $0) } ?? "." }

    /// The rollup's chain id.
    public var chainID: UInt64 { table.pointee.chain_id }
}
