import KeelCore
/// Why the kernel would not use a plugin library. `description` names the file and the reason.
public struct PluginRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The library's path.
    public let path: String
    /// What is wrong, as a sentence fragment that follows "refused: ".
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): refused: \(reason)" }
}

/// A plugin named in a manifest could not be resolved to a library.
public struct PluginResolutionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// A call into a plugin failed: the plugin's error code and message, and which call it was.
public struct PluginCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The plugin's kind and name, e.g. `da sqlite`.
    public let plugin: String
    /// The ABI function, e.g. `submit`.
    public let function: String
    /// A `KEEL_ERR_*` code.
    public let code: Int32
    public let message: String
    /// For configuration errors: the dotted path into the plugin's config that is wrong.
    public let configPath: String?
    /// For a transaction that `validate_tx` or `execute_tx` refused: the rule (ABI 1.1), or
    /// `.unspecified` when the plugin gave none.
    public var refusal: TransactionRefusal

    public init(plugin: String, function: String, code: Int32, message: String, configPath: String? = nil,
                refusal: TransactionRefusal = .unspecified) {
        self.plugin = plugin
        self.function = function
        self.code = code
        self.message = message
        self.configPath = configPath
        self.refusal = refusal
    }

    /// The code's meaning, e.g. `not found`.
    public var codeName: String { PluginErrorCode(rawValue: code)?.description ?? "error \(code)" }

    public var description: String { "\(plugin): \(function) failed (\(codeName)): \(message)" }
}

/// The ABI's error codes (`KEEL_ERR_*`).
public enum PluginErrorCode: Int32, Sendable, CustomStringConvertible {
    case invalidArgument = 1, notFound, unavailable, timeout, corrupt, tooLarge, unsupported, config, rejected,
         bufferTooSmall, internalError

    public var description: String {
        switch self {
        case .invalidArgument: "invalid argument"
        case .notFound: "not found"
        case .unavailable: "unavailable"
        case .timeout: "timeout"
        case .corrupt: "corrupt"
        case .tooLarge: "too large"
        case .unsupported: "unsupported"
        case .config: "configuration error"
        case .rejected: "rejected"
        case .bufferTooSmall: "buffer too small"
        case .internalError: "internal error"
        }
    }
}
