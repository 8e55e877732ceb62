import Foundation

/// Where the kernel looks for plugin libraries, in order: beside the `keel` executable (SwiftPM
/// builds plugins into the same folder), the manifest's `plugin_paths`, then `KEEL_PLUGIN_PATH`
/// (folders separated by `:`).
public struct PluginSearchPath: Sendable, Equatable {
    public var directories: [String]

    public init(directories: [String]) {
        var seen = Set<String>()
        self.directories = directories.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The standard order for a manifest's `plugin_paths` (already resolved to absolute folders).
    public static func standard(manifestPluginPaths: [String] = [],
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> PluginSearchPath {
        var directories = [executableDirectory()]
        directories += manifestPluginPaths
        if let extra = environment["KEEL_PLUGIN_PATH"] {
            directories += extra.split(separator: ":").map(String.init)
        }
        return PluginSearchPath(directories: directories)
    }

    /// The folder holding the running executable.
    public static func executableDirectory() -> String {
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        if let resolved = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            return resolved.deletingLastPathComponent().path
        }
        return executable.deletingLastPathComponent().path
    }

    /// Plugin library files in `directory`: `libkeel-*.so` (`.dylib` on macOS), sorted by name.
    static func candidates(in directory: String) -> [String] {
        sharedLibraries(in: directory).filter { isCandidateName(($0 as NSString).lastPathComponent) }
    }

    /// Shared libraries in `directory` that are not candidates because of their names (`keel-da-x.so`,
    /// `libmyda.so`, `libkeel-da-x.so.1`): `keel plugins --path` reports them, so a misnamed build is not a mystery.
    public static func skippedLibraries(in directory: String) -> [String] {
        sharedLibraries(in: directory).filter { !isCandidateName(($0 as NSString).lastPathComponent) }
    }

    static func isCandidateName(_ name: String) -> Bool {
        name.hasPrefix("libkeel-") && (name.hasSuffix(".so") || name.hasSuffix(".dylib"))
    }

    /// Files in `directory` whose names mark shared libraries (`.so`, `.so.N…`, `.dylib`), sorted by name.
    static func sharedLibraries(in directory: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".so") || $0.contains(".so.") || $0.hasSuffix(".dylib") }
            .sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }
}
