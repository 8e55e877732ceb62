import ArgumentParser
import Foundation
import KeelKernel

/// `keel new rollup --mode MODE --output FILE [--name NAME] [--chain-id N] [--force]`: a manifest
/// for the mode, naming the plugins that keep its promise, with a comment on each slot.
struct NewRollupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollup",
        abstract: "Write a rollup manifest for a mode, with a comment on each slot.",
        discussion: "Then `keel validate FILE` checks it, and names every plugin it cannot find yet.")

    @Option(name: .long, help: "zk, optimistic, validium, optimium, hybrid or attested.")
    var mode: String

    @Option(name: .long, help: "The manifest file to write.")
    var output: String

    @Option(name: .long, help: "The rollup's name (default: the file's name without its extension).")
    var name: String?

    @Option(name: .customLong("chain-id"), help: "The EIP-155 chain id (default 901).")
    var chainID: UInt64 = 901

    @Flag(name: .long, help: "Overwrite the file if it exists.")
    var force = false

    func run() throws {
        do throws(UserError) {
            let plan = try plan()
            let file = URL(fileURLWithPath: output).standardizedFileURL.path
            let rollupName = try rollupName(file: file)
            guard chainID >= 1 else { throw UserError("keel new rollup: --chain-id must be 1 or more") }
            try checkOutput(file)
            let text = try manifest(plan, name: rollupName, file: output, home: try KeelHome.locate())
            do {
                try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            } catch {
                throw UserError("keel new rollup: cannot write \(file): \(error.localizedDescription)")
            }
            print("wrote \(file): a \(plan.mode) rollup named \(rollupName) (chain id \(chainID)) with plugins "
                  + plan.plugins.map { "\($0.kind) \($0.name)" }.joined(separator: ", "))
            print("next:")
            print("  keel validate \(output)")
        } catch {
            throw failForUser(error)
        }
    }

    func plan() throws(UserError) -> RollupPlan {
        guard let mode = RollupMode(rawValue: mode) else {
            throw UserError("keel new rollup: unknown mode \"\(mode)\"; expected one of: "
                            + RollupMode.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return RollupPlan(mode: mode)
    }

    /// `--name`, or the file's name without its extension; refused unless the manifest would take it.
    func rollupName(file: String) throws(UserError) -> String {
        let candidate = name ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let valid = !candidate.isEmpty && candidate.first != "."
            && candidate.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        guard valid else {
            throw UserError("keel new rollup: \"\(candidate)\" is not a valid rollup name; use letters, digits, '-', '_' "
                            + "and '.' (not first), as it names folders" + (name == nil ? "; pass --name NAME" : ""))
        }
        return candidate
    }

    func checkOutput(_ file: String) throws(UserError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) else { return }
        if isFolder.boolValue {
            throw UserError("keel new rollup: \(file) is a folder; give a file name, such as \(file)/rollup.yaml")
        }
        if !force {
            throw UserError("keel new rollup: \(file) already exists; pass --force to overwrite it")
        }
    }

    /// The manifest text: templates/rollup/manifest.yaml with the plan's slots.
    func manifest(_ plan: RollupPlan, name: String, file: String, home: KeelHome) throws(UserError) -> String {
        let template = (home.templates as NSString).appendingPathComponent("rollup/manifest.yaml")
        guard let text = try? String(contentsOfFile: template, encoding: .utf8) else {
            throw UserError("keel new rollup: cannot read the template \(template); "
                            + "check that \(home.path) is a complete Keel repository (or set KEEL_HOME to one)")
        }
        let rendered = TemplateRenderer(values: [
            "NAME": name, "MODE": plan.mode.rawValue, "MODE_SUMMARY": plan.summary, "CHAIN_ID": String(chainID),
            "FILE": file, "DA_SLOT": plan.daSlot, "PROOF_SLOT": plan.proofSlot, "BRIDGE_SLOT": plan.bridgeSlot,
        ]).render(text)
        if let leftover = TemplateRenderer.placeholder(in: rendered) {
            throw UserError("keel new rollup: the template \(template) uses the unknown placeholder \(leftover)")
        }
        return rendered
    }
}
