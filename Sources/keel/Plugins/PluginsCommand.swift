import ArgumentParser
import Foundation
import KeelKernel

/// `keel plugins [--path DIR]... [--json]`: every plugin library on the search path, every refused
/// one with its reason, and the shared libraries in the `--path` folders skipped for their names.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the plugin libraries the kernel finds, and those it refuses with the reason.",
        discussion: "Searches beside the keel executable, then each --path, then KEEL_PLUGIN_PATH.")

    @Option(name: .long, help: "Also search this folder (repeatable).")
    var path: [String] = []

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let folders = path.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        for folder in folders {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw failForUser(UserError("keel plugins: --path \(folder): no such folder"))
            }
        }
        let catalog = PluginCatalog(searchPath: .standard(manifestPluginPaths: folders))
        let listed = catalog.libraries.map(ListedPlugin.init)
        let refused = catalog.refusals.map { RefusedPlugin(file: $0.path, reason: $0.reason) }
        let skipped = folders.flatMap(PluginSearchPath.skippedLibraries(in:)).map {
            RefusedPlugin(file: $0, reason: "a shared library not named libkeel-<kind>-<name>.so, so the kernel does not open it; rename it to load it")
        }
        if json {
            try printJSON(PluginListing(searched: catalog.searchPath.directories, plugins: listed, refused: refused, skipped: skipped))
            return
        }
        print("searched: \(catalog.searchPath.directories.joined(separator: ", "))")
        if listed.isEmpty { print("no plugins found") }
        if !listed.isEmpty {
            let rows = listed.map { [$0.kind, $0.name, $0.version, $0.abi, $0.file] }
            textTable(["KIND", "NAME", "VERSION", "ABI", "FILE"], rows).forEach { print($0) }
        }
        for refusal in refused {
            print("refused: \(refusal.file): \(refusal.reason)")
        }
        for file in skipped {
            print("skipped: \(file.file): \(file.reason)")
        }
    }
}

struct PluginListing: Encodable {
    let searched: [String]
    let plugins: [ListedPlugin]
    let refused: [RefusedPlugin]
    /// Shared libraries in the `--path` folders that the loader passed over because of their names.
    let skipped: [RefusedPlugin]
}

struct ListedPlugin: Encodable {
    let kind: String
    let name: String
    let version: String
    let abi: String
    let toolchain: String
    let capabilities: [String]
    let file: String

    init(_ library: PluginLibrary) {
        kind = library.kind.description
        name = library.name
        version = library.version.description
        abi = "\(library.abiMajor).\(library.abiMinor)"
        toolchain = library.toolchain
        capabilities = library.capabilities
        file = library.path
    }
}

struct RefusedPlugin: Encodable {
    let file: String
    let reason: String
}
