import ArgumentParser
import Foundation
import KeelKernel

/// `keel assemble FILE --dry-run [--json]`: loads and creates every plugin with its config, prints
/// the wiring (slot, plugin, version, library, capabilities; consensus flags active at height 0 and
/// scheduled; rollout flags; upgrades), then destroys them.
struct AssembleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assemble",
        abstract: "Load every plugin a manifest names, create it, and print the wiring.")

    @Argument(help: "The manifest.")
    var file: String

    @Flag(name: .long, help: "Create and destroy the plugins without running a node.")
    var dryRun = false

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        guard dryRun else {
            throw ValidationError("only --dry-run is available: the node that runs an assembly arrives with `keel up`")
        }
    }

    func run() throws {
        let assembly: Assembly
        switch ManifestCheck.run(file) {
        case .success(let assembled): assembly = assembled
        case .failure(let error): throw failForUser(error)
        }
        defer { assembly.destroy() }
        for warning in assembly.warnings { printError(warning.description) }
        let wiring = Wiring(assembly)
        if json {
            try printJSON(wiring)
        } else {
            print(wiring.text)
        }
    }
}
