import ArgumentParser
import Foundation
import KeelKernel

/// `keel validate FILE...`: checks each manifest as the node would before starting: the file
/// itself, then every plugin found, created with its config and destroyed, and the mode.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check manifests: YAML, schema, plugins (found, versions, configs) and mode.",
        discussion: "Every problem is printed as FILE:LINE:COL: error: MESSAGE on standard error.")

    @Argument(help: "The manifests to check.")
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            switch ManifestCheck.run(file) {
            case .success(let assembly):
                for warning in assembly.warnings { printError(warning.description) }
                print("\(file): ok (\(assembly.plugins.count) plugins, mode \(assembly.manifest.rollup.mode))")
                assembly.destroy()
            case .failure(let error):
                printError(error.description)
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// Loads and assembles a manifest with a throwaway data directory, so checking leaves no node state behind.
enum ManifestCheck {
    static func run(_ file: String) -> Result<Assembly, ManifestError> {
        do throws(ManifestError) {
            let loaded = try ManifestLoader.load(path: file)
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("keel-check-\(UUID().uuidString)").path
            try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let services = HostServices(dataDirectory: scratch, chainID: loaded.manifest.rollup.chainID, log: { _, _, _ in })
            return .success(try Assembler.assemble(loaded, services: services))
        } catch {
            return .failure(error)
        }
    }
}
