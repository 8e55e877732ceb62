import Foundation
import KeelABI
import Synchronization

/// What the kernel offers plugins through `keel_host`: logging, metrics, clocks, the node's feature
/// flags (ABI 1.1) and Keccak-256.
///
/// One `HostServices` serves every instance of a node; each instance gets its own `keel_host`
/// (see `PluginHost`) so that log lines and metrics carry the plugin's name.
public final class HostServices: Sendable {
    /// Receives every log line a plugin writes: level, plugin (e.g. `da sqlite`), message.
    public typealias LogSink = @Sendable (_ level: PluginLogLevel, _ plugin: String, _ message: String) -> Void

    public let dataDirectory: String
    public let chainID: UInt64
    /// The node's flags, which plugins read through `flag_active` and `flag_enabled`; without
    /// them (tools, dry runs) every flag is off.
    public let flags: FeatureFlags?
    let sink: LogSink
    let metrics = Mutex<PluginMetrics>(PluginMetrics())
    let stepRunner = Mutex<StepRunner?>(nil)

    /// Runs one fault-proof step for a bridge (`keel_host.execute_step`, ABI 1.2): the request's
    /// bytes in, the response's bytes out; a `PluginCallError`-free `StepRunnerError` refuses it.
    public typealias StepRunner = @Sendable (_ request: [UInt8]) throws(StepRunnerError) -> [UInt8]

    /// Installs what answers `execute_step` (the node does, once its execution and DA plugins are
    /// loaded); until then, and in tools, the call answers KEEL_ERR_UNSUPPORTED.
    public func setStepRunner(_ runner: StepRunner?) {
        stepRunner.withLock { $0 = runner }
    }

    public init(dataDirectory: String, chainID: UInt64, flags: FeatureFlags? = nil,
                log sink: @escaping LogSink = HostServices.standardErrorSink) {
        self.dataDirectory = dataDirectory
        self.chainID = chainID
        self.flags = flags
        self.sink = sink
    }

    /// Writes `LEVEL [plugin] message` to standard error.
    public static let standardErrorSink: LogSink = { level, plugin, message in
        FileHandle.standardError.write(Data("\(level) [\(plugin)] \(message)\n".utf8))
    }

    /// A copy of the counters, gauges and timers plugins reported, keyed `plugin/metric`.
    public var metricsSnapshot: PluginMetrics { metrics.withLock { $0 } }
}

/// Metrics reported by plugins through the host table, keyed by `kind_name_metric`.
public struct PluginMetrics: Sendable, Equatable {
    public var counters: [String: UInt64] = [:]
    public var gauges: [String: Double] = [:]
    /// Count and sum of seconds per timer.
    public var timers: [String: (count: UInt64, sum: Double)] = [:]

    public static func == (lhs: PluginMetrics, rhs: PluginMetrics) -> Bool {
        lhs.counters == rhs.counters && lhs.gauges == rhs.gauges
            && lhs.timers.mapValues { [Double($0.count), $0.sum] } == rhs.timers.mapValues { [Double($0.count), $0.sum] }
    }
}

/// The ABI's log levels.
public enum PluginLogLevel: UInt32, Sendable, CustomStringConvertible {
    case trace, debug, info, notice, warning, error, critical

    public var description: String {
        switch self {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info: "INFO"
        case .notice: "NOTICE"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .critical: "CRITICAL"
        }
    }
}

/// Why the host refused to run a step: `rejected` for a witness that proves nothing (an invalid
/// proof), `unsupported` where this host runs no steps.
public struct StepRunnerError: Error, Sendable {
    public enum Kind: Sendable { case rejected, unsupported, invalidArgument }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
