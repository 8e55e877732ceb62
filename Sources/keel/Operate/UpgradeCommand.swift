import ArgumentParser
import Foundation
import KeelJSONRPC

/// `keel upgrade schedule|cancel|list`: upgrades scheduled at runtime through the admin API, and
/// every plugin of the per-block slots by height (docs/CLI.md).
struct UpgradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Schedule, cancel and list plugin upgrades at a height.",
        subcommands: [UpgradeScheduleCommand.self, UpgradeCancelCommand.self, UpgradeListCommand.self])
}

/// `keel upgrade schedule SLOT PLUGIN --height N [--version C] [--config JSON]`: `admin_scheduleUpgrade`.
struct UpgradeScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "From block N on, serve SLOT with PLUGIN (recorded on the settlement layer for every follower).")

    @Argument(help: "The slot: execution, sequencer or proof.")
    var slot: String

    @Argument(help: "The plugin's name, e.g. transfer.")
    var plugin: String

    @Option(name: .long, help: "The first block the new plugin serves; at least the head plus node.upgrade_min_lead.")
    var height: UInt64

    @Option(name: .long, help: #"A version constraint, e.g. ">=1.1 <2"."#)
    var version: String?

    @Option(name: .long, help: #"The plugin's config as a JSON object, e.g. '{"key_file": "keys/next.key"}'."#)
    var config: String = "{}"

    @OptionGroup var admin: AdminOptions

    func run() async throws {
        try await reportingUserErrors {
            let configValue = try JSONText.configObject(config, command: "keel upgrade schedule")
            var params: [String: JSONValue] = ["height": .quantity(height), "slot": .string(slot), "plugin": .string(plugin), "config": configValue]
            if let version { params["version"] = .string(version) }
            let reply = try await admin.call("admin_scheduleUpgrade", [.object(params)], command: "keel upgrade schedule")
            print("scheduled: from block \(height) the \(slot) slot is \(reply.value["plugin"]?.stringValue ?? plugin) "
                  + "\(reply.value["version"]?.stringValue ?? "?"); recorded on the settlement layer")
        }
    }
}

/// `keel upgrade cancel SLOT --height N`: `admin_cancelUpgrade`.
struct UpgradeCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a runtime upgrade that has not started.")

    @Argument(help: "The slot: execution, sequencer or proof.")
    var slot: String

    @Option(name: .long, help: "The height the upgrade was scheduled at.")
    var height: UInt64

    @OptionGroup var admin: AdminOptions

    func run() async throws {
        try await reportingUserErrors {
            _ = try await admin.call("admin_cancelUpgrade", [.object(["height": .quantity(height), "slot": .string(slot)])],
                                     command: "keel upgrade cancel")
            print("cancelled: the \(slot) upgrade at block \(height); recorded on the settlement layer")
        }
    }
}

/// `keel upgrade list [--json]`: `keel_upgrades`.
struct UpgradeListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the plugins of each slot by height, past and scheduled.")

    @OptionGroup var endpoint: RPCEndpointOptions

    @Flag(name: .long, help: "Print the node's answer as JSON.")
    var json = false

    func run() async throws {
        try await reportingUserErrors {
            let node = NodeConnection(command: "keel upgrade list", url: endpoint.url)
            defer { node.shutdown() }
            let reply = try await node.call("keel_upgrades")
            print(json ? JSONText.pretty(reply.value) : Self.text(reply.value))
        }
    }

    static func text(_ status: JSONValue) -> String {
        let head = (try? status["height"]?.decodeQuantity()) ?? 0
        let rows = (status["upgrades"]?.arrayValue ?? []).map { entry -> [String] in
            let height = (try? entry["height"]?.decodeQuantity()) ?? 0
            return [String(height), entry["slot"]?.stringValue ?? "?", entry["plugin"]?.stringValue ?? "?", entry["version"]?.stringValue ?? "?",
                    entry["source"]?.stringValue ?? "?", entry["active"]?.boolValue == true ? "past" : "scheduled"]
        }
        return (["head: \(head)"] + textTable(["FROM", "SLOT", "PLUGIN", "VERSION", "SOURCE", "STATE"], rows)).joined(separator: "\n")
    }
}
