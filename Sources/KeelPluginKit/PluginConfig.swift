import Foundation

/// A plugin's `config` object from the manifest, with typed accessors that throw configuration
/// errors carrying the path of the offending value (the kernel maps it to a manifest line).
///
/// ```swift
/// let dir = try config.string("dir")
/// let limit = try config.uint64("max_blob_bytes", default: 1 << 20)
/// try config.allowKeys(["dir", "max_blob_bytes"])
/// ```
public struct PluginConfig: Sendable {
    /// A JSON value.
    public enum Value: Sendable, Equatable {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case array([Value])
        case object([String: Value])
    }

    /// The object's members.
    public let values: [String: Value]
    /// Where this object sits in the plugin's config (empty at the top).
    public let path: String

    public init(values: [String: Value] = [:], path: String = "") {
        self.values = values
        self.path = path
    }

    /// Parses the JSON text the kernel passes to `create`.
    public init(json: String) throws(PluginError) {
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(json.utf8)) else {
            throw PluginError.config("", "the config is not valid JSON")
        }
        guard case .object(let members) = value else {
            throw PluginError.config("", "the config must be an object of keys and values")
        }
        self.init(values: members)
    }

    /// The full path of `key` in this object.
    public func path(of key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Refuses keys other than `allowed`, naming the first unknown one.
    public func allowKeys(_ allowed: Set<String>) throws(PluginError) {
        if let unknown = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw PluginError.config(path(of: unknown), "unknown key `\(unknown)`; known keys: \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// A required string.
    public func string(_ key: String) throws(PluginError) -> String {
        guard let value = try optionalString(key) else {
            throw PluginError.config(path(of: key), "missing required key `\(key)` (a string)")
        }
        return value
    }

    /// A string, or `fallback` when absent.
    public func string(_ key: String, default fallback: String) throws(PluginError) -> String {
        try optionalString(key) ?? fallback
    }

    /// A string, or nil when absent.
    public func optionalString(_ key: String) throws(PluginError) -> String? {
        switch values[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .number(let text)?: return text
        default: throw PluginError.config(path(of: key), "`\(key)` must be a string")
        }
    }

    /// An unsigned integer (a JSON number or a decimal string), or `fallback` when absent.
    public func uint64(_ key: String, default fallback: UInt64? = nil) throws(PluginError) -> UInt64 {
        switch values[key] {
        case nil, .null?:
            guard let fallback else { throw PluginError.config(path(of: key), "missing required key `\(key)` (a whole number)") }
            return fallback
        case .number(let text)?, .string(let text)?:
            guard let value = UInt64(text) else {
                throw PluginError.config(path(of: key), "`\(key)` must be a whole number from 0 to \(UInt64.max), not \(text)")
            }
            return value
        default:
            throw PluginError.config(path(of: key), "`\(key)` must be a whole number")
        }
    }

    /// A boolean, or `fallback` when absent.
    public func bool(_ key: String, default fallback: Bool) throws(PluginError) -> Bool {
        switch values[key] {
        case nil, .null?: return fallback
        case .bool(let flag)?: return flag
        default: throw PluginError.config(path(of: key), "`\(key)` must be true or false")
        }
    }

    /// A nested object, or an empty one when absent.
    public func object(_ key: String) throws(PluginError) -> PluginConfig {
        switch values[key] {
        case nil, .null?: return PluginConfig(path: path(of: key))
        case .object(let members)?: return PluginConfig(values: members, path: path(of: key))
        default: throw PluginError.config(path(of: key), "`\(key)` must be an object")
        }
    }

    /// A list, as values with their paths (`key[n]`); empty when absent.
    public func list(_ key: String) throws(PluginError) -> [(path: String, value: Value)] {
        switch values[key] {
        case nil, .null?: return []
        case .array(let items)?: return items.enumerated().map { ("\(path(of: key))[\($0.offset)]", $0.element) }
        default: throw PluginError.config(path(of: key), "`\(key)` must be a list")
        }
    }
}

extension PluginConfig.Value: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let whole = try? container.decode(UInt64.self) {
            self = .number(String(whole))
        } else if let signed = try? container.decode(Int64.self) {
            self = .number(String(signed))
        } else if let real = try? container.decode(Double.self) {
            self = .number(String(real))
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let items = try? container.decode([PluginConfig.Value].self) {
            self = .array(items)
        } else {
            self = .object(try container.decode([String: PluginConfig.Value].self))
        }
    }
}
