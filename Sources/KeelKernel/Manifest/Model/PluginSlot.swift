/// One plugin chosen in the manifest for one slot of the rollup, e.g. `da: { plugin: file, … }`.
///
/// Keeps the positions of what it was read from, so that the loader can point its own findings
/// (plugin not found, version outside the constraint, a config error the plugin reports) at the
/// right line.
public struct PluginSlot: Sendable, Hashable {
    /// The slot's kind: the key it stands under.
    public var kind: PluginKind
    /// The plugin's name (`file`, `sqlite`), lowercase letters, digits and `-`.
    public var plugin: String
    /// The versions accepted, or `nil` for any.
    public var version: VersionConstraint?
    /// The plugin's `config` as a JSON object (`{}` when the manifest gives none), passed to `create`.
    public var configJSON: String
    /// Where the slot is written (its mapping, or its item in a `da` list).
    public var location: SourceLocation
    /// Where the plugin's name is written.
    public var pluginLocation: SourceLocation
    /// Where the version constraint is written, if there is one.
    public var versionLocation: SourceLocation?
    /// Where the slot is in the manifest's structure, for messages: `plugins.da[1]`, `upgrades[0].proof`.
    public var path: String
    /// The `config:` key's position and the config tree, kept to map config paths to lines.
    var configKeyLocation: SourceLocation?
    var config: YAMLValue?

    init(kind: PluginKind, plugin: String, version: VersionConstraint?, configJSON: String,
         location: SourceLocation, pluginLocation: SourceLocation, versionLocation: SourceLocation?,
         path: String, configKeyLocation: SourceLocation?, config: YAMLValue?) {
        self.kind = kind
        self.plugin = plugin
        self.version = version
        self.configJSON = configJSON
        self.location = location
        self.pluginLocation = pluginLocation
        self.versionLocation = versionLocation
        self.path = path
        self.configKeyLocation = configKeyLocation
        self.config = config
    }

    /// The manifest position of the config value at `configPath` (`members[1].url`, as a plugin
    /// reports it in `keel_error.config_path`).
    ///
    /// Falls back to the nearest ancestor that exists (for a missing key, the key whose mapping
    /// lacks it), then to the `config:` key, then to the slot itself. An empty path means the
    /// config as a whole: the `config:` key.
    public func location(ofConfigPath configPath: String) -> SourceLocation {
        if let config, let found = config.location(following: ConfigPathStep.parse(configPath)) {
            return found
        }
        return configKeyLocation ?? location
    }

    /// The error for a config the plugin refused: points at `configPath` in the manifest and says
    /// which plugin refused it.
    public func configError(path configPath: String, message: String) -> ManifestDiagnostic {
        let subject = configPath.isEmpty ? "its config" : "`config.\(configPath)`"
        return .error(at: location(ofConfigPath: configPath),
                      "\(kind) plugin `\(plugin)` (\(path)) refused \(subject): \(message)")
    }

    /// The error for a plugin that no folder holds: points at its name, lists where the kernel
    /// looked and suggests the closest name among those it found.
    public func pluginNotFound(searchedFolders: [String], available: [String] = []) -> ManifestDiagnostic {
        var message = "no \(kind) plugin named `\(plugin)`: \(PluginSlot.libraryName(kind: kind, plugin: plugin)) "
        message += searchedFolders.isEmpty
            ? "is in no plugin folder"
            : "is in none of " + searchedFolders.map { "`\($0)`" }.joined(separator: ", ")
        if let suggestion = DidYouMean.suggestion(for: plugin, among: available) {
            message += "; did you mean `\(suggestion)`?"
        } else if !available.isEmpty {
            message += "; \(kind) plugins found: " + available.sorted().joined(separator: ", ")
        } else {
            message += "; build the plugin or add its folder to `plugin_paths`"
        }
        return .error(at: pluginLocation, message)
    }

    /// The error for a plugin whose version the constraint does not accept: points at the constraint.
    public func versionRefused(found: SemanticVersion, libraryPath: String) -> ManifestDiagnostic {
        let constraint = version?.text ?? "*"
        return .error(at: versionLocation ?? pluginLocation,
                      "\(kind) plugin `\(plugin)` at `\(libraryPath)` is version \(found), "
                      + "which `\(constraint)` does not accept; install a matching build or change the constraint")
    }

    /// The library file the kernel looks for: `libkeel-<kind>-<name>.so` (`.dylib` on macOS).
    public static func libraryName(kind: PluginKind, plugin: String) -> String {
        #if os(macOS)
        "libkeel-\(kind)-\(plugin).dylib"
        #else
        "libkeel-\(kind)-\(plugin).so"
        #endif
    }
}
