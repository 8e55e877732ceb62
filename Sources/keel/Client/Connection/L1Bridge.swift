import Foundation
import KeelCore
import KeelKernel

/// The settlement layer a manifest names, opened on its own: only the `bridge` slot's plugin is
/// found and created, with the manifest's data directory and chain id, as the node creates it.
/// So `keel l1 …` and `keel claim` read and write the same L1 the node uses (for the `local` bridge,
/// the shared SQLite file) without loading the other plugins or touching the node's databases.
final class L1Bridge {
    let manifest: Manifest
    let client: BridgeClient
    /// `bridge local 1.0.0 (/path/libkeel-bridge-local.so)`, for messages.
    let label: String

    private init(manifest: Manifest, client: BridgeClient, label: String) {
        self.manifest = manifest
        self.client = client
        self.label = label
    }

    deinit {
        client.instance.destroy()
    }

    /// Loads the manifest at `path` and creates its bridge plugin. Plugin log lines of warning level
    /// and above go to standard error; the rest are dropped, so the command's output stays its own.
    static func open(manifestPath path: String, command: String) throws(UserError) -> L1Bridge {
        let loaded: LoadedManifest
        do {
            loaded = try ManifestLoader.load(path: path)
        } catch {
            throw UserError("\(error.description)\n\(command): the manifest \(path) has errors; `keel validate \(path)` checks it")
        }
        let manifest = loaded.manifest
        let slot = manifest.plugins.bridge
        let searchPath = PluginSearchPath.standard(manifestPluginPaths: manifest.pluginPaths.map(\.resolved))
        let library: PluginLibrary
        switch PluginCatalog(searchPath: searchPath).resolve(kind: .bridge, name: slot.plugin, constraint: slot.version) {
        case .success(let found): library = found
        case .failure(let error):
            throw UserError("\(slot.pluginLocation): error: \(error.message)\n\(command): cannot open the manifest's settlement layer")
        }
        let services = HostServices(dataDirectory: manifest.node.dataDirectory.resolved, chainID: manifest.rollup.chainID) { level, plugin, message in
            if level.rawValue >= PluginLogLevel.warning.rawValue { printError("\(level) [\(plugin)] \(message)") }
        }
        do {
            let instance = try PluginInstance(library: library, configJSON: slot.configJSON, services: services)
            return L1Bridge(manifest: manifest, client: BridgeClient(instance),
                            label: "bridge \(library.name) \(library.version) (\(library.path))")
        } catch {
            if let configPath = error.configPath {
                throw UserError(slot.configError(path: configPath, message: error.message).description)
            }
            throw UserError("\(command): the bridge plugin `\(slot.plugin)` refused to start: \(error.message)")
        }
    }

    /// Runs `body` on the bridge; a refusal becomes `COMMAND: the settlement layer refused FUNCTION: MESSAGE`.
    func perform<Result>(_ command: String, _ body: (BridgeClient) throws(PluginCallError) -> Result) throws(UserError) -> Result {
        do {
            return try body(client)
        } catch {
            throw UserError("\(command): the settlement layer (\(error.plugin)) refused \(error.function): \(error.message)")
        }
    }
}
