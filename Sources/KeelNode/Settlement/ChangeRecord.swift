import Foundation
import KeelCore

/// A record in the settlement layer's change log (ABI 1.1, docs/FORMATS.md "Change records"): how
/// the chain is to be read from some point on, so a follower started with the chain's original
/// manifest learns every DA swap and upgrade. JSON, one object with a `type`, keys sorted.
enum ChangeRecord: Sendable, Equatable {
    /// From batch `batch` on, new batches go to `providers` (the first is primary).
    case daSwap(batch: UInt64, height: UInt64, providers: [Plugin])
    /// From block `height` on, `slot` is served by `plugin` (docs/MANIFEST.md, "upgrades").
    case upgrade(height: UInt64, slot: String, plugin: Plugin)
    /// The upgrade of `slot` scheduled at `height` is cancelled (before that height).
    case cancelUpgrade(height: UInt64, slot: String)
    /// The consensus flag `name` is scheduled at `height` at runtime, or cancelled (`nil`).
    case consensusFlag(name: String, height: UInt64?)

    /// A plugin as a record names it: enough for a follower to load the same one.
    struct Plugin: Sendable, Equatable, Codable {
        var plugin: String
        var version: String
        /// The plugin's config JSON with its secrets taken out (`PublicConfig`).
        var config: String
    }

    private struct Wire: Codable {
        var type: String
        var batch: UInt64?
        var height: UInt64?
        var name: String?
        var slot: String?
        var providers: [Plugin]?
        var plugin: Plugin?
    }

    var bytes: [UInt8] {
        let wire: Wire
        switch self {
        case .daSwap(let batch, let height, let providers):
            wire = Wire(type: "da-swap", batch: batch, height: height, providers: providers)
        case .upgrade(let height, let slot, let plugin):
            wire = Wire(type: "upgrade", height: height, slot: slot, plugin: plugin)
        case .cancelUpgrade(let height, let slot):
            wire = Wire(type: "cancel-upgrade", height: height, slot: slot)
        case .consensusFlag(let name, let height):
            wire = Wire(type: "consensus-flag", height: height, name: name)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(wire)) ?? Data())
    }

    /// Reads a record; `nil` for a type this node does not know (a newer kernel's), which it skips.
    init?(bytes: [UInt8]) throws {
        let wire = try JSONDecoder().decode(Wire.self, from: Data(bytes))
        switch wire.type {
        case "da-swap":
            guard let batch = wire.batch, let height = wire.height, let providers = wire.providers, !providers.isEmpty else {
                throw ChangeRecordError("a da-swap record without its batch, height or providers")
            }
            self = .daSwap(batch: batch, height: height, providers: providers)
        case "upgrade":
            guard let height = wire.height, let slot = wire.slot, let plugin = wire.plugin else {
                throw ChangeRecordError("an upgrade record without its height, slot or plugin")
            }
            self = .upgrade(height: height, slot: slot, plugin: plugin)
        case "cancel-upgrade":
            guard let height = wire.height, let slot = wire.slot else { throw ChangeRecordError("a cancel-upgrade record without its height or slot") }
            self = .cancelUpgrade(height: height, slot: slot)
        case "consensus-flag":
            guard let name = wire.name else { throw ChangeRecordError("a consensus-flag record without its name") }
            self = .consensusFlag(name: name, height: wire.height)
        default:
            return nil
        }
    }
}

struct ChangeRecordError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A plugin config with its secrets taken out, as the change log publishes it: members whose key is
/// `key`, `secret`, `token`, `password`, `mnemonic` or ends in `_key`, `_secret`, `_token`,
/// `_password`, at any depth. Paths (`key_file`) stay: they name a file, not its contents.
enum PublicConfig {
    static func isSecretKey(_ key: String) -> Bool {
        let exact = ["key", "secret", "token", "password", "mnemonic", "private_key"]
        return exact.contains(key) || ["_key", "_secret", "_token", "_password"].contains { key.hasSuffix($0) }
    }

    /// `json` without its secret members, keys sorted; `{}` for text that is not a JSON object.
    static func strip(_ json: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) else { return "{}" }
        let cleaned = clean(object)
        guard let data = try? JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private static func clean(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            return object.filter { !isSecretKey($0.key) }.mapValues(clean)
        }
        if let array = value as? [Any] { return array.map(clean) }
        return value
    }
}
