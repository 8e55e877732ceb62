import Foundation
import Testing

/// Builds plugin libraries for tests from C sources with the system C compiler, against the real
/// `keel_plugin.h`, into a fresh temporary folder.
enum FixtureLibraries {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let abiInclude = repositoryRoot.appendingPathComponent("Sources/KeelABI/include").path
    static let fixtureSource = repositoryRoot.appendingPathComponent("Tests/KeelKernelTests/Fixtures/fixture_plugin.c").path

    /// A new empty folder under the system's temporary directory.
    static func temporaryFolder(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keel-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Compiles `source` (default: the fixture DA plugin) with `defines` into `folder/fileName`.
    @discardableResult
    static func compile(_ fileName: String, in folder: String, defines: [String] = [], source: String = fixtureSource) throws -> String {
        let output = (folder as NSString).appendingPathComponent(fileName)
        let result = try run("/usr/bin/env", ["cc", "-shared", "-fPIC", "-O1", "-I", abiInclude] + defines.map { "-D" + $0 } + [source, "-o", output])
        guard result.status == 0 else {
            throw CompileError(message: "cc failed for \(fileName): \(result.output)")
        }
        return output
    }

    struct CompileError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// Runs a program to completion; returns its status and its standard output and error together.
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                    environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
