/// The `plugins:` section: one slot per kind, the DA slot an ordered failover list.
public struct ManifestPlugins: Sendable, Hashable {
    public var execution: PluginSlot
    public var sequencer: PluginSlot
    public var proof: PluginSlot
    public var bridge: PluginSlot
    /// The accelerator for proving arithmetic, if any.
    public var gpu: PluginSlot?
    /// DA providers: the first is primary, the rest are failovers in order. Never empty.
    public var da: [PluginSlot]

    /// Every slot: execution, sequencer, proof, bridge, gpu if set, then the DA list.
    public var all: [PluginSlot] {
        [execution, sequencer, proof, bridge] + (gpu.map { [$0] } ?? []) + da
    }

    /// The primary DA provider.
    public var primaryDA: PluginSlot? { da.first }

    /// Replaces the slots `upgrade` names.
    mutating func apply(_ upgrade: ManifestUpgrade) {
        for slot in upgrade.slots {
            switch slot.kind {
            case .execution: execution = slot
            case .sequencer: sequencer = slot
            case .proof: proof = slot
            case .bridge: bridge = slot
            case .gpu: gpu = slot
            case .da: break
            }
        }
        let newDA = upgrade.slots.filter { $0.kind == .da }
        if !newDA.isEmpty { da = newDA }
    }
}

/// One `upgrades:` entry: slots that change at a height.
public struct ManifestUpgrade: Sendable, Hashable {
    /// The first block served by the new plugins.
    public var atHeight: UInt64
    /// The replacement slots, by kind (execution, sequencer, da, proof, bridge, gpu); several `da`
    /// slots, in their written order, form the new failover list.
    public var slots: [PluginSlot]
    /// Where the entry is written.
    public var location: SourceLocation
    /// Where `at_height` is written.
    public var heightLocation: SourceLocation

    /// The kinds this upgrade replaces.
    public var kinds: [PluginKind] {
        var kinds: [PluginKind] = []
        for slot in slots where !kinds.contains(slot.kind) { kinds.append(slot.kind) }
        return kinds
    }
}
