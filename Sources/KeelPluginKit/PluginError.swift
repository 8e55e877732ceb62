import KeelABI
import KeelCore

/// An error a plugin reports to the kernel: a code from the ABI, a message for an operator, and for
/// configuration errors the path of the config value that is wrong (the kernel turns it into a
/// manifest line and column).
public struct PluginError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure it is; the kernel decides on retries and failover from it.
    public enum Code: Int32, Sendable {
        /// The input is malformed: retrying will not help.
        case invalidArgument = 1
        /// No such commitment, key, batch…
        case notFound = 2
        /// A dependency is down: retrying later may succeed.
        case unavailable = 3
        /// A deadline passed: retrying later may succeed.
        case timeout = 4
        /// Data failed its own check (hash, proof, signature).
        case corrupt = 5
        /// The input exceeds a limit the plugin declares.
        case tooLarge = 6
        /// The operation or parameter is not implemented.
        case unsupported = 7
        /// The configuration is wrong; `configPath` says where.
        case config = 8
        /// Valid input refused by a rule (nonce, balance, signature, window).
        case rejected = 9
        /// A bug or an unexpected failure inside the plugin.
        case internalError = 11
    }

    public let code: Code
    /// A sentence for an operator: what happened and what to do.
    public let message: String
    /// For `.config`: a dotted path into the config, `[n]` for list items (e.g. `members[1].url`).
    public let configPath: String?
    /// For a transaction refused by `validateTransaction` or `execute`: the rule it broke, which
    /// the kernel acts on (a `.nonceTooHigh` transaction waits in the mempool, most others are dropped).
    public let refusal: TransactionRefusal?

    public init(_ code: Code, _ message: String, configPath: String? = nil) {
        self.code = code
        self.message = message
        self.configPath = configPath
        self.refusal = nil
    }

    /// A transaction refused by `refusal`, with code `.rejected` and a message a wallet user reads.
    public static func refused(_ refusal: TransactionRefusal, _ message: String) -> PluginError {
        PluginError(.rejected, message, refusal: refusal)
    }

    /// A transaction refused by `refusal` with another code (`.invalidArgument` for bytes that do not decode).
    public init(_ code: Code, _ message: String, refusal: TransactionRefusal) {
        self.code = code
        self.message = message
        self.configPath = nil
        self.refusal = refusal
    }

    /// A configuration error at `path`.
    public static func config(_ path: String, _ message: String) -> PluginError {
        PluginError(.config, message, configPath: path)
    }

    public var description: String {
        configPath.map { "\($0): \(message)" } ?? message
    }

    /// Fills the kernel's `keel_error` and returns the status to hand back.
    func report(into error: UnsafeMutablePointer<keel_error>?) -> keel_status {
        if let configPath {
            return keel_error_set_config(error, configPath, message)
        }
        return keel_error_set(error, code.rawValue, message)
    }
}
