/// Created plugins wired to their slots, ready for a node (or for a dry run to print and destroy).
public final class Assembly: @unchecked Sendable {
    // @unchecked: `warnings` is set once by the assembler before the assembly is handed out.
    public let manifest: Manifest
    /// Every created plugin: the current slots first, then each upgrade's.
    public let plugins: [AssembledPlugin]
    public let catalog: PluginCatalog
    /// Warnings from the manifest and the mode check.
    public internal(set) var warnings: [ManifestDiagnostic] = []

    init(manifest: Manifest, plugins: [AssembledPlugin], catalog: PluginCatalog) {
        self.manifest = manifest
        self.plugins = plugins
        self.catalog = catalog
    }

    /// The plugin serving `kind` at `height` (for `da`, the primary), if any.
    public func plugin(_ kind: PluginKind, atHeight height: UInt64 = 0) -> AssembledPlugin? {
        let slots = manifest.plugins(atHeight: height)
        let slot = kind == .da ? slots.primaryDA : slots.all.first { $0.kind == kind }
        return plugins.first { $0.slot == slot }
    }

    /// Consensus flags active at `height`, by name.
    public func consensusFlags(activeAt height: UInt64) -> [String] {
        manifest.features.compactMap { flag in
            if case .consensus(let from) = flag.rule, from <= height { return flag.name }
            return nil
        }.sorted()
    }

    /// Consensus flags that switch on above `height`, in height order.
    public func consensusFlags(scheduledAfter height: UInt64) -> [(name: String, height: UInt64)] {
        manifest.features.compactMap { flag -> (name: String, height: UInt64)? in
            if case .consensus(let from) = flag.rule, from > height { return (flag.name, from) }
            return nil
        }.sorted { ($0.height, $0.name) < ($1.height, $1.name) }
    }

    /// Destroys every plugin instance.
    public func destroy() {
        for plugin in plugins.reversed() { plugin.instance.destroy() }
    }
}

/// One slot filled: the manifest's slot, the library chosen and the created instance.
public struct AssembledPlugin: Sendable {
    public let slot: PluginSlot
    /// Nil for the genesis plugins; the upgrade height for an upgrade's.
    public let fromHeight: UInt64?
    public let library: PluginLibrary
    public let instance: PluginInstance
}
