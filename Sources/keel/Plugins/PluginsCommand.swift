import ArgumentParser
import Foundation
import KeelKernel

/// `keel plugins [--path DIR]... [--json]`: every plugin library on the search path, and every
/// refused one with its reason.
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
        if json {
            try printJSON(PluginListing(searched: catalog.searchPath.directories, plugins: listed, refused: refused))
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
    }
}

struct PluginListing: Encodable {
    let searched: [String]
    let plugins: [ListedPlugin]
    let refused: [RefusedPlugin]
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
