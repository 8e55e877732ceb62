import Foundation
import KeelKernel

/// The languages `keel new plugin` writes: a SwiftPM package on KeelPluginKit, or C with a Makefile.
enum PluginLanguage: String, CaseIterable {
    case swift
    case c
}

/// What `keel new plugin` writes: a plugin project of one kind and language, named `name`, made
/// from `templates/<lang>/_shared/` and `templates/<lang>/<kind>/`.
struct PluginScaffold {
    let kind: PluginKind
    let name: String
    let language: PluginLanguage
    let home: KeelHome

    /// A plugin name: lowercase letters, digits and '-', starting with a letter, at most 40 characters.
    /// (The kernel takes any of `[a-z0-9-]+`; a letter first keeps the Swift type name valid.)
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 40,
              !name.hasSuffix("-"), !name.contains("--") else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// The Swift type of the plugin: the name in UpperCamelCase and the kind, e.g. `MyStoreDA`.
    var typeName: String {
        let words = name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }
        let suffix: String = switch kind {
        case .execution: "VM"
        case .da: "DA"
        case .proof: "Proof"
        case .gpu: "GPU"
        case .sequencer: "Sequencer"
        case .bridge: "Bridge"
        }
        return words.joined() + suffix
    }

    /// The library file the project builds: `libkeel-<kind>-<name>.so`, the only names the loader opens.
    var libraryFile: String { "libkeel-\(kind)-\(name).so" }

    /// The placeholders of the templates and their values.
    var placeholders: [String: String] {
        [
            "NAME": name,
            "KIND": kind.description,
            "TYPE": typeName,
            "KEEL_PATH": home.path,
            "KEEL_PACKAGE": home.packageIdentity,
        ]
    }

    /// The template folders, shared files first.
    var templateFolders: [String] {
        let language = (home.templates as NSString).appendingPathComponent(self.language.rawValue)
        return [(language as NSString).appendingPathComponent("_shared"), (language as NSString).appendingPathComponent(kind.description)]
    }

    /// Writes the project into `output` (created if absent; it must be empty). Returns the files written.
    func write(to output: String) throws(UserError) -> [String] {
        for folder in templateFolders {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw UserError("keel new plugin: the template folder \(folder) is missing; "
                                + "check that \(home.path) is a complete Keel repository (or set KEEL_HOME to one)")
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw UserError("keel new plugin: cannot create the folder \(output): \(error.localizedDescription)")
        }
        return try TemplateRenderer(values: placeholders).copy(templateFolders, to: output)
    }

    /// What to run next, one command a line.
    func nextSteps(in output: String) -> [String] {
        switch language {
        case .c:
            ["make -C \(output)", "keel plugins --path \(output)"]
        case .swift:
            ["swift build --package-path \(output)",
             "keel plugins --path \((output as NSString).appendingPathComponent(".build/debug"))"]
        }
    }
}
