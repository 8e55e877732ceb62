import ArgumentParser
import Foundation
import KeelKernel

/// `keel new plugin --kind KIND --name NAME --lang swift|c [--output DIR]`: a plugin project that
/// builds as it is (SwiftPM for Swift, make for C) and that `keel plugins --path` then lists.
struct NewPluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "Write a plugin project that builds as it is and passes its kind's conformance suite.",
        discussion: """
            A Swift plugin is its own SwiftPM package depending on this Keel repository by path; build it with \
            `swift build` and list it with `keel plugins --path DIR/.build/debug`. A C plugin needs only keel_plugin.h; \
            build it with `make` and list it with `keel plugins --path DIR`. docs/PLUGIN_AUTHORING.md says what to edit.
            """)

    @Option(name: .long, help: "The kind: execution, da, proof, gpu, sequencer or bridge.")
    var kind: String

    @Option(name: .long, help: "The plugin's name: lowercase letters, digits and '-', starting with a letter.")
    var name: String

    @Option(name: .customLong("lang"), help: "The language: swift or c.")
    var language: String

    @Option(name: .long, help: "The folder to create (it must not exist or be empty; default keel-KIND-NAME).")
    var output: String?

    func run() throws {
        do throws(UserError) {
            let scaffold = try scaffold()
            let folder = URL(fileURLWithPath: output ?? "keel-\(scaffold.kind)-\(scaffold.name)").standardizedFileURL.path
            try Self.checkOutput(folder)
            let files = try scaffold.write(to: folder)
            print("created the \(scaffold.language.rawValue) \(scaffold.kind) plugin \"\(scaffold.name)\" in \(folder) (\(files.count) files)")
            print("next:")
            for step in scaffold.nextSteps(in: folder) { print("  \(step)") }
        } catch {
            throw failForUser(error)
        }
    }

    /// The scaffold the options describe, or the first option that is wrong.
    func scaffold() throws(UserError) -> PluginScaffold {
        guard let kind = PluginKind(name: kind) else {
            throw UserError("keel new plugin: unknown kind \"\(kind)\"; expected one of: "
                            + PluginKind.allCases.map(\.description).joined(separator: ", "))
        }
        guard PluginScaffold.isValidName(name) else {
            throw UserError("keel new plugin: \"\(name)\" is not a valid plugin name; use lowercase letters, digits and '-', "
                            + "starting with a letter, at most 40 characters (for example \"my-store\")")
        }
        guard let language = PluginLanguage(rawValue: language) else {
            throw UserError("keel new plugin: unknown language \"\(language)\"; expected swift or c")
        }
        return PluginScaffold(kind: kind, name: name, language: language, home: try KeelHome.locate())
    }

    /// Refuses a file, or a folder that already holds something.
    static func checkOutput(_ folder: String) throws(UserError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else {
            throw UserError("keel new plugin: \(folder) exists and is a file; choose a new folder for --output")
        }
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        guard contents.isEmpty else {
            throw UserError("keel new plugin: the folder \(folder) already exists and is not empty; "
                            + "choose a new folder for --output, or empty this one")
        }
    }
}
