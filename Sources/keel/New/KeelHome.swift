import Foundation
import KeelKernel

/// The Keel repository that `keel new` takes its templates from: a folder holding both
/// `Package.swift` and `templates/`. Generated Swift plugins depend on it by path, and generated C
/// plugins include its `Sources/KeelABI/include/keel_plugin.h`.
struct KeelHome: Equatable {
    /// The repository's absolute path.
    let path: String

    /// `templates/` inside it.
    var templates: String { (path as NSString).appendingPathComponent("templates") }

    /// The folder's name: SwiftPM takes it as the package identity of a path dependency.
    var packageIdentity: String { (path as NSString).lastPathComponent }

    /// `KEEL_HOME` if set, otherwise the first folder at or above `executableDirectory` that holds
    /// `Package.swift` and `templates/` (a `keel` built with SwiftPM sits in the repository's build folder).
    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                       executableDirectory: String = PluginSearchPath.executableDirectory()) throws(UserError) -> KeelHome {
        if let configured = environment["KEEL_HOME"], !configured.isEmpty {
            let path = URL(fileURLWithPath: configured).standardizedFileURL.path
            guard isRepository(path) else {
                throw UserError("keel new: KEEL_HOME is \(path), which does not hold both Package.swift and templates/; "
                                + "set KEEL_HOME to the Keel repository, or unset it to search above the keel executable")
            }
            return KeelHome(path: path)
        }
        var folder = URL(fileURLWithPath: executableDirectory).standardizedFileURL.resolvingSymlinksInPath()
        while true {
            if isRepository(folder.path) { return KeelHome(path: folder.path) }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        throw UserError("keel new: cannot find Keel's templates: no folder at or above \(executableDirectory) holds both "
                        + "Package.swift and templates/; set KEEL_HOME to the Keel repository (export KEEL_HOME=/path/to/keel)")
    }

    private static func isRepository(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        let manager = FileManager.default
        return manager.fileExists(atPath: (path as NSString).appendingPathComponent("Package.swift"))
            && manager.fileExists(atPath: (path as NSString).appendingPathComponent("templates"), isDirectory: &isFolder)
            && isFolder.boolValue
    }
}
