import Foundation
import KeelCore
import KeelJSONRPC
import KeelKernel

/// Upgrades scheduled at runtime (admin_scheduleUpgrade, admin_cancelUpgrade, keel_upgrades): each
/// is checked here, recorded in the settlement layer's change log, and applied by reading the log
/// back, the same path every follower takes (docs/NODE.md, "Plugins per height").
extension Node {
    public func scheduleUpgrade(height: UInt64, slot: String, plugin: String, version: String?, configJSON: String) throws(RPCError) -> JSONValue {
        guard let kind = PluginKind(name: slot) else {
            throw RPCError.invalidParams("invalid argument 0: \"slot\" is \(slot); use execution, sequencer or proof")
        }
        let constraint: VersionConstraint?
        do { constraint = try version.map { try VersionConstraint($0) } } catch {
            throw RPCError.invalidParams("invalid argument 0: \"version\" \(version ?? ""): \(error)")
        }
        try checkLead(height, doing: "scheduled")
        // Resolve and create it once here, so a bad name, version or config is refused before anything is recorded.
        let instance: PluginInstance
        do { instance = try upgrades.create(kind: kind, name: plugin, constraint: constraint, config: configJSON) } catch {
            throw RPCError.invalidParams("\(error)")
        }
        let named = ChangeRecord.Plugin(plugin: instance.library.name, version: instance.library.version.description,
                                        config: PublicConfig.strip(configJSON))
        instance.destroy()
        try record(.upgrade(height: height, slot: kind.description, plugin: named))
        return .object(upgradeJSON(height: height, slot: kind, plugin: named.plugin, version: named.version, source: "change log"))
    }

    public func cancelUpgrade(height: UInt64, slot: String) throws(RPCError) -> JSONValue {
        guard let kind = PluginKind(name: slot), RuntimeUpgrades.slots.contains(kind) else {
            throw RPCError.invalidParams("invalid argument 0: \"slot\" is \(slot); use execution, sequencer or proof")
        }
        guard let entry = upgrades.entries.first(where: { $0.slot == kind && $0.fromHeight == height && height > 0 }) else {
            throw RPCError.invalidParams("no \(kind) upgrade is scheduled at height \(height); keel upgrade list shows them")
        }
        guard entry.source == "change log" else {
            throw RPCError.invalidParams("the \(kind) upgrade at height \(height) is the manifest's `upgrades:`; edit the manifest of every node instead")
        }
        try checkLead(height, doing: "cancelled")
        try record(.cancelUpgrade(height: height, slot: kind.description))
        return .object(upgradeJSON(height: height, slot: kind, plugin: entry.plugin, version: entry.version, source: "cancelled"))
    }

    /// keel_upgrades: every plugin of the per-block slots by height, past and scheduled.
    public func upgradesStatus() throws(RPCError) -> JSONValue {
        let head = headNumber()
        return .object([
            "height": .quantity(head),
            "minimumLead": .quantity(manifest.node.upgradeMinimumLead),
            "upgrades": .array(upgrades.entries.map { entry in
                var fields = upgradeJSON(height: entry.fromHeight, slot: entry.slot, plugin: entry.plugin, version: entry.version, source: entry.source)
                fields["active"] = .bool(entry.fromHeight <= head + 1)
                return .object(fields)
            }),
        ])
    }

    private func checkLead(_ height: UInt64, doing action: String) throws(RPCError) {
        let head = headNumber()
        let lead = manifest.node.upgradeMinimumLead
        guard height > head else {
            throw RPCError.invalidParams("an upgrade cannot be \(action) at height \(height): the chain is at \(head), so that block exists already; "
                                         + "choose \(head + lead) or later")
        }
        guard height >= head + lead else {
            throw RPCError.invalidParams("an upgrade cannot be \(action) at height \(height): the minimum lead is \(lead) blocks "
                                         + "(node.upgrade_min_lead) and the chain is at \(head); choose \(head + lead) or later")
        }
    }

    /// Records `change` on the settlement layer and applies it by reading the log back.
    private func record(_ change: ChangeRecord) throws(RPCError) {
        guard bridge.keepsChangeLog else {
            throw RPCError.unavailable("the settlement layer (bridge \(bridge.instance.library.name)) keeps no change log, so followers could "
                                       + "not learn a runtime upgrade; put it in the manifest's `upgrades:` of every node instead")
        }
        do {
            try changeLog.publish(change)
            try changeLog.catchUp()
        } catch {
            throw RPCError.unavailable("the upgrade could not be recorded on the settlement layer: \(error)")
        }
    }

    private func upgradeJSON(height: UInt64, slot: PluginKind, plugin: String, version: String, source: String) -> [String: JSONValue] {
        ["height": .quantity(height), "slot": .string(slot.description), "plugin": .string(plugin), "version": .string(version),
         "source": .string(source)]
    }

    /// Applies a `consensus-flag` record of the change log to `flags` (nothing when they already hold it).
    static func applyFlagRecord(_ name: String, height: UInt64?, flags: FeatureFlags, chain: ChainStore) throws {
        let current = flags.setting(of: name)
        let head = chain.head?.number ?? 0
        if let height {
            if current == .consensus(activateAtHeight: height) { return }
            _ = try flags.scheduleConsensus(name, atHeight: height, currentHeight: head, actor: "change log")
        } else {
            if current == .consensus(activateAtHeight: nil) { return }
            _ = try flags.kill(name, currentHeight: head, actor: "change log")
        }
    }

    /// Records a consensus flag scheduled (or cancelled) here on the settlement layer, so every
    /// follower schedules it too (docs/FLAGS.md, "Consensus flags").
    public func publishConsensusFlag(_ name: String, height: UInt64?) throws(RPCError) {
        do {
            try changeLog.publish(.consensusFlag(name: name, height: height))
        } catch {
            throw RPCError.unavailable("flag `\(name)` changed on this node, but the settlement layer could not record it: \(error); "
                                       + "followers will not learn it until it is recorded, so set it again")
        }
    }
}
