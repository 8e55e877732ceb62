import Foundation

/// Reads rollup manifests (docs/MANIFEST.md) and reports every problem as `FILE:LINE:COL: error: …`.
///
/// Checks everything the file alone can show: YAML syntax, unknown keys (with "did you mean"),
/// types, required keys, ranges, addresses and balances, version constraints, flag rules and
/// upgrade order. Checks that need the plugins themselves (found? right version? config accepted?
/// mode possible?) belong to the plugin loader, which reports them with `PluginSlot` and
/// `RollupMode.diagnostics(proof:da:at:)` at the positions kept here.
public enum ManifestLoader {
    /// The top-level keys a manifest may have.
    public static let topLevelKeys = ["rollup", "node", "genesis", "plugins", "plugin_paths", "features", "upgrades"]

    /// Reads and checks the manifest at `path`. Diagnostics name the file as `path` is written;
    /// relative paths inside resolve against the file's folder.
    public static func load(path: String) throws(ManifestError) -> LoadedManifest {
        let start = SourceLocation(file: path, line: 1, column: 1)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "there is no such file"
            throw ManifestError(at: start, "cannot open the manifest: \(reason)")
        }
        guard let yaml = String(data: data, encoding: .utf8) else {
            throw ManifestError(at: start, "the manifest is not UTF-8 text")
        }
        return try parse(yaml: yaml, file: path)
    }

    /// Checks manifest text. `file` names it in diagnostics; `directory` is the folder relative
    /// paths resolve against (by default the folder of `file`, from the current directory).
    public static func parse(yaml: String, file: String, directory: String? = nil) throws(ManifestError) -> LoadedManifest {
        let folder = directory ?? URL(fileURLWithPath: file).deletingLastPathComponent().path
        let absoluteFolder = ManifestPath(written: folder, relativeTo: FileManager.default.currentDirectoryPath,
                                          location: SourceLocation(file: file, line: 1, column: 1)).resolved
        let root: YAMLValue?
        switch YAMLDocument.parse(yaml, file: file) {
        case .success(let value): root = value
        case .failure(let error): throw error
        }
        var reader = ManifestReader(file: file, directory: absoluteFolder)
        let manifest = root.flatMap { reader.readManifest($0) }
        if root == nil {
            reader.error(at: SourceLocation(file: file, line: 1, column: 1),
                         "the manifest is empty; it needs at least `rollup` and `plugins` (see docs/MANIFEST.md)")
        }
        guard let manifest, !reader.hasErrors else {
            throw ManifestError(diagnostics: reader.diagnostics)
        }
        return LoadedManifest(manifest: manifest, warnings: ManifestError(diagnostics: reader.diagnostics).diagnostics)
    }
}

extension ManifestReader {
    /// The whole manifest, or `nil` when something was reported.
    mutating func readManifest(_ root: YAMLValue) -> Manifest? {
        guard let fields = fields(of: root, path: "", known: ManifestLoader.topLevelKeys,
                                  expected: "a mapping of sections (`rollup:`, `plugins:`, …)") else { return nil }
        let rollupValue = required("rollup", in: fields)
        let rollup = rollupValue.flatMap { readRollup($0) }
        let rollupName = rollupValue?.entry("name")?.value.scalar?.text
        let start = SourceLocation(file: file, line: 1, column: 1)
        let node = readNode(fields["node"], rollupName: rollup?.name ?? rollupName, fileStart: start)
        let genesis = readGenesis(fields["genesis"])
        let plugins = required("plugins", in: fields).flatMap { readPlugins($0) }
        let pluginPaths = readPluginPaths(fields["plugin_paths"])
        let features = readFeatures(fields["features"])
        let upgrades = readUpgrades(fields["upgrades"])
        guard let rollup, let node, let genesis, let plugins, let pluginPaths, let features, let upgrades else {
            return nil
        }
        return Manifest(file: file, directory: directory, rollup: rollup, node: node, genesis: genesis,
                        plugins: plugins, pluginPaths: pluginPaths, features: features.flags,
                        featureLocations: features.locations, upgrades: upgrades)
    }
}
