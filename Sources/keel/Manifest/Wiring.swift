import KeelKernel

/// What `keel assemble --dry-run` prints: the rollup, each slot's plugin, the flags and upgrades.
struct Wiring: Encodable {
    struct Slot: Encodable {
        let slot: String
        let plugin: String
        let version: String
        let library: String
        let capabilities: [String]
        let fromHeight: UInt64?
    }

    struct ScheduledFlag: Encodable {
        let name: String
        let height: UInt64
    }

    struct RolloutFlag: Encodable {
        let name: String
        let percent: Double
        let subject: String
    }

    let rollup: String
    let chainID: UInt64
    let mode: String
    let slots: [Slot]
    let consensusFlagsActiveAtGenesis: [String]
    let consensusFlagsScheduled: [ScheduledFlag]
    let rolloutFlags: [RolloutFlag]

    init(_ assembly: Assembly) {
        let manifest = assembly.manifest
        rollup = manifest.rollup.name
        chainID = manifest.rollup.chainID
        mode = manifest.rollup.mode.description
        var daIndex = 0
        slots = assembly.plugins.map { part in
            var name = part.slot.kind.description
            if part.slot.kind == .da && part.fromHeight == nil {
                name = "da[\(daIndex)]"
                daIndex += 1
            }
            return Slot(slot: name, plugin: part.library.name, version: part.library.version.description,
                        library: part.library.path, capabilities: part.library.capabilities, fromHeight: part.fromHeight)
        }
        consensusFlagsActiveAtGenesis = assembly.consensusFlags(activeAt: 0)
        consensusFlagsScheduled = assembly.consensusFlags(scheduledAfter: 0).map { ScheduledFlag(name: $0.name, height: $0.height) }
        rolloutFlags = manifest.features.compactMap { flag in
            guard case .rollout(let basisPoints, let subject) = flag.rule else { return nil }
            return RolloutFlag(name: flag.name, percent: Double(basisPoints) / 100, subject: subject.rawValue)
        }.sorted { $0.name < $1.name }
    }

    var text: String {
        var lines = ["rollup \(rollup): chain id \(chainID), mode \(mode)", ""]
        let genesis = slots.filter { $0.fromHeight == nil }
        lines += textTable(["SLOT", "PLUGIN", "VERSION", "CAPABILITIES", "LIBRARY"],
                       genesis.map { [$0.slot, $0.plugin, $0.version, $0.capabilities.joined(separator: " "), $0.library] })
        lines.append("")
        lines.append("consensus flags active at height 0: " + (consensusFlagsActiveAtGenesis.isEmpty ? "none" : consensusFlagsActiveAtGenesis.joined(separator: ", ")))
        lines.append("consensus flags scheduled: " + (consensusFlagsScheduled.isEmpty ? "none" : consensusFlagsScheduled.map { "\($0.name) at height \($0.height)" }.joined(separator: ", ")))
        lines.append("rollout flags: " + (rolloutFlags.isEmpty ? "none" : rolloutFlags.map { "\($0.name) \(formatPercent($0.percent))% by \($0.subject)" }.joined(separator: ", ")))
        let upgrades = slots.filter { $0.fromHeight != nil }
        if upgrades.isEmpty {
            lines.append("upgrades: none")
        } else {
            lines.append("upgrades:")
            for upgrade in upgrades {
                lines.append("  at height \(upgrade.fromHeight ?? 0): \(upgrade.slot) → \(upgrade.plugin) \(upgrade.version) (\(upgrade.library))")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func formatPercent(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
