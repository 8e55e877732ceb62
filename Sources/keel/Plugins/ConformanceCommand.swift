import ArgumentParser
import Foundation
import KeelKernel
import KeelPluginTesting

/// `keel conformance --kind KIND --library PATH [--config JSON]`: runs the conformance suite of a
/// kind on any built plugin library, through the loader the kernel uses (docs/CLI.md).
struct ConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Run a kind's conformance suite on a built plugin library.",
        discussion: """
            Loads the library as the kernel does (refusals are reported with their reason), creates it with \
            --config over a scratch data directory, and checks every rule of its kind (docs/ABI.md). Exit status 0 \
            when every rule holds, 1 otherwise. Relative paths in --config are the plugin's business: they are \
            passed as written, relative to this working directory.
            """)

    @Option(name: .long, help: "The plugin kind: execution, da, proof, gpu, sequencer or bridge.")
    var kind: String

    @Option(name: .long, help: "The plugin library to check (libkeel-KIND-NAME.so).")
    var library: String

    @Option(name: .long, help: "The plugin's config as a JSON object (default {}).")
    var config: String = "{}"

    func run() throws {
        guard let pluginKind = PluginKind(name: kind) else {
            throw failForUser(UserError("keel conformance: --kind \(kind) is not a plugin kind; use one of "
                                        + PluginKind.allCases.map(\.description).joined(separator: ", ")))
        }
        let path = URL(fileURLWithPath: library).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw failForUser(UserError("keel conformance: --library \(path): no such file"))
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("keel-conformance-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        let failures: [ConformanceFailure]
        var notes: [String] = []
        do {
            failures = try ConformanceSuite.run(kind: pluginKind, path: path, configJSON: config, dataDirectory: scratch,
                                                storageFolders: Self.configFolders(config)) { notes.append($0) }
        } catch let refusal as PluginRefusal {
            throw failForUser(UserError("keel conformance: \(refusal)"))
        } catch let error as PluginCallError {
            let at = error.configPath.map { " (config `\($0)`)" } ?? ""
            throw failForUser(UserError("keel conformance: \(error)\(at)"))
        } catch {
            throw failForUser(UserError("keel conformance: \(error)"))
        }
        for note in notes { print("note: \(note)") }
        for failure in failures { print("FAIL \(failure.check): \(failure.detail)") }
        if failures.isEmpty {
            print("\(path): conforms to the \(pluginKind) rules of ABI 1.\(ABIVersion.currentMinor)")
        } else {
            printError("\(path): \(failures.count) \(pluginKind) rule\(failures.count == 1 ? "" : "s") broken")
            throw ExitCode(1)
        }
    }

    /// Folders named in the config (`dir`, `*_dir`), where a DA provider keeps its blobs.
    static func configFolders(_ json: String) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [] }
        return object.compactMap { key, value in
            guard key == "dir" || key.hasSuffix("_dir"), let text = value as? String else { return nil }
            return URL(fileURLWithPath: text).standardizedFileURL.path
        }
    }
}
