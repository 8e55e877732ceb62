import Foundation

/// Turns a checked manifest into created plugins: resolves every slot (the current plugins and each
/// upgrade's) to a library on the search path, creates it with its config, and checks the mode
/// against what the plugins declare. Every problem becomes a manifest diagnostic at its line:
/// plugin not found, wrong kind, version outside the constraint, a refused library, a config the
/// plugin rejects (at the line of the offending value), a mode the plugins cannot make.
public enum Assembler {
    /// Assembles `loaded`; on any error, destroys what was created and throws all diagnostics.
    public static func assemble(_ loaded: LoadedManifest, services: HostServices,
                                environment: [String: String] = ProcessInfo.processInfo.environment) throws(ManifestError) -> Assembly {
        let manifest = loaded.manifest
        let searchPath = PluginSearchPath.standard(manifestPluginPaths: manifest.pluginPaths.map(\.resolved), environment: environment)
        let catalog = PluginCatalog(searchPath: searchPath)
        var diagnostics = loaded.warnings
        var parts: [AssembledPlugin] = []

        let upgradeSlots = manifest.upgrades.flatMap { upgrade in upgrade.slots.map { (upgrade.atHeight, $0) } }
        let allSlots = manifest.plugins.all.map { (nil as UInt64?, $0) } + upgradeSlots.map { (Optional($0.0), $0.1) }
        for (height, slot) in allSlots {
            switch resolve(slot, in: catalog) {
            case .missing(let diagnostic):
                diagnostics.append(diagnostic)
            case .found(let library):
                do throws(PluginCallError) {
                    let instance = try PluginInstance(library: library, configJSON: slot.configJSON, services: services)
                    parts.append(AssembledPlugin(slot: slot, fromHeight: height, library: library, instance: instance))
                } catch {
                    diagnostics.append(slot.configError(path: error.configPath ?? "", message: error.message))
                }
            }
        }

        let errorsBeforeModeCheck = diagnostics.contains { $0.severity == .error }
        if !errorsBeforeModeCheck {
            diagnostics += modeDiagnostics(manifest, parts: parts)
        }
        let assembly = Assembly(manifest: manifest, plugins: parts, catalog: catalog)
        if diagnostics.contains(where: { $0.severity == .error }) {
            assembly.destroy()
            throw ManifestError(diagnostics: diagnostics.sorted { $0.location < $1.location })
        }
        assembly.warnings = diagnostics
        return assembly
    }

    /// The library for `slot`, or the diagnostic saying why there is none.
    enum Resolution {
        case found(PluginLibrary)
        case missing(ManifestDiagnostic)
    }

    static func resolve(_ slot: PluginSlot, in catalog: PluginCatalog) -> Resolution {
        if let library = catalog.best(kind: slot.kind, name: slot.plugin, constraint: slot.version) { return .found(library) }
        if let newest = catalog.libraries.filter({ $0.kind == slot.kind && $0.name == slot.plugin }).max(by: { $0.version < $1.version }) {
            return .missing(slot.versionRefused(found: newest.version, libraryPath: newest.path))
        }
        switch catalog.resolve(kind: slot.kind, name: slot.plugin, constraint: slot.version) {
        case .success(let library):
            return .found(library)
        case .failure(let error):
            let sameName = catalog.libraries.contains { $0.name == slot.plugin }
            let refused = catalog.refusals.contains { $0.reason.hasPrefix("\(slot.kind) plugin \"\(slot.plugin)\"") }
                || catalog.refusals.contains { URL(fileURLWithPath: $0.path).lastPathComponent == PluginSlot.libraryName(kind: slot.kind, plugin: slot.plugin) }
            if sameName || refused {
                return .missing(.error(at: slot.pluginLocation, error.message))
            }
            let available = catalog.libraries.filter { $0.kind == slot.kind }.map(\.name)
            return .missing(slot.pluginNotFound(searchedFolders: catalog.searchPath.directories, available: available))
        }
    }

    /// The mode checked against the plugins serving at genesis and after each upgrade.
    static func modeDiagnostics(_ manifest: Manifest, parts: [AssembledPlugin]) -> [ManifestDiagnostic] {
        var heights: [UInt64?] = [nil]
        heights += manifest.upgrades.map { Optional($0.atHeight) }
        var found: [ManifestDiagnostic] = []
        for height in heights {
            let plugins = manifest.plugins(atHeight: height ?? 0)
            func declared(_ slot: PluginSlot) -> DeclaredCapabilities {
                let library = parts.first { $0.slot == slot }?.library
                return DeclaredCapabilities(plugin: slot.plugin, tokens: Set(library?.capabilities ?? []))
            }
            let diagnostics = manifest.rollup.mode.diagnostics(proof: declared(plugins.proof), da: plugins.da.map(declared),
                                                               at: manifest.rollup.modeLocation, upgradeHeight: height)
            for diagnostic in diagnostics where !found.contains(diagnostic) { found.append(diagnostic) }
        }
        return found
    }
}
