import KeelABI
import KeelCore

/// What the kernel offers a plugin instance: logging, metrics, clocks, the data directory and the
/// node's feature flags.
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

    /// Whether the consensus flag `flag` (manifest `features:`, `activate_at_height`) is active for
    /// the block at `height`. Every node gives the same answer, so execution may depend on it: ship a
    /// rule behind a flag and it takes effect at the same block everywhere. Unknown flags are off.
    public func isActive(_ flag: String, atHeight height: UInt64) -> Bool {
        guard abiCovers(table.pointee.struct_size, \keel_host.flag_active), let active = table.pointee.flag_active else { return false }
        return active(table.pointee.context, flag, height) != 0
    }

    /// Whether the rollout flag `flag` (`rollout_percent`) is on for `subject`, an address's 20
    /// bytes or a text's UTF-8 bytes. Rollout flags differ between nodes and change at runtime:
    /// use them for policy (what to admit, how to answer), never for what a block means.
    public func isEnabled(_ flag: String, subject: [UInt8]) -> Bool {
        guard abiCovers(table.pointee.struct_size, \keel_host.flag_enabled), let enabled = table.pointee.flag_enabled else { return false }
        return subject.withUnsafeBufferPointer { enabled(table.pointee.context, flag, keel_bytes(ptr: $0.baseAddress, len: $0.count)) } != 0
    }

    /// Whether the rollout flag `flag` is on for a text subject (an API key, a client address).
    public func isEnabled(_ flag: String, subject: String) -> Bool {
        isEnabled(flag, subject: Array(subject.utf8))
    }

    /// Runs one fault-proof step with the rollup's own execution plugin and DA layer (ABI 1.2,
    /// docs/FAULT_PROOFS.md "The host's step"): for a bridge that judges disputes. Throws `.rejected`
    /// for a witness that proves nothing, `.unsupported` where the host runs no steps.
    public func executeStep(_ request: [UInt8]) throws(PluginError) -> [UInt8] {
        guard abiCovers(table.pointee.struct_size, \keel_host.execute_step), let execute = table.pointee.execute_step else {
            throw PluginError(.unsupported, "this host (before ABI 1.2) runs no fault-proof steps")
        }
        var response = keel_buffer()
        var error = keel_error()
        let status = request.withUnsafeBufferPointer { execute(table.pointee.context, keel_bytes(ptr: $0.baseAddress, len: $0.count), &response, &error) }
        guard status == keel_status(KEEL_OK) else {
            let message = withUnsafeBytes(of: error.message) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
            throw PluginError(PluginError.Code(rawValue: status) ?? .internalError, message)
        }
        return response.take()
    }
}

