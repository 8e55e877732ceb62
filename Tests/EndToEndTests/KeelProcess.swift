import Foundation
import KeelPluginTesting
import Testing

/// Runs the real `keel` executable (and `make`, `swift`) the way a user would, for end-to-end tests.
enum KeelProcess {
    /// The repository this test file belongs to.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The `keel` that SwiftPM built beside the test bundle.
    static var keel: String { (PluginUnderTest.buildDirectory as NSString).appendingPathComponent("keel") }

    /// What a finished process left behind.
    struct Result {
        let status: Int32
        let output: String
        let error: String

        /// Both streams, for failure messages.
        var transcript: String { "exit \(status)\n--- stdout\n\(output)\n--- stderr\n\(error)" }
    }

    /// Runs `keel arguments…` with `KEEL_HOME` unset (unless given in `environment`).
    static func keel(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        try #require(FileManager.default.isExecutableFile(atPath: keel),
                     "no keel executable at \(keel): build it with `swift build --build-tests` before the tests")
        var base = ProcessInfo.processInfo.environment
        base["KEEL_HOME"] = nil
        return try run(keel, arguments, environment: base.merging(environment) { $1 })
    }

    /// Runs a program to completion. Output goes through files, so a chatty program cannot block on a full pipe.
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                    environment: [String: String]? = nil) throws -> Result {
        let folder = try temporaryFolder("process")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outPath = folder + "/stdout", errPath = folder + "/stderr"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(status: process.terminationStatus,
                      output: try String(contentsOfFile: outPath, encoding: .utf8),
                      error: try String(contentsOfFile: errPath, encoding: .utf8))
    }

    /// Runs a program found on PATH (`make`, `swift`).
    static func tool(_ name: String, _ arguments: [String], in directory: String? = nil) throws -> Result {
        try run("/usr/bin/env", [name] + arguments, in: directory)
    }

    /// A new empty folder under the system's temporary directory.
    static func temporaryFolder(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keel-e2e-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes a file only its owner may read, as key and secret files must be.
    static func writeSecret(_ text: String, to path: String) throws {
        let created = FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        try #require(created, "cannot write \(path)")
    }
}

/// `keel plugins --json`, as scripts read it.
struct PluginListingJSON: Decodable {
    struct Plugin: Decodable, Equatable {
        let kind: String
        let name: String
        let version: String
        let abi: String
        let capabilities: [String]
        let file: String
    }

    struct Refusal: Decodable {
        let file: String
        let reason: String
    }

    let searched: [String]
    let plugins: [Plugin]
    let refused: [Refusal]

    /// Runs `keel plugins --json` with `--path` for each of `folders`.
    static func list(paths folders: [String] = []) throws -> PluginListingJSON {
        let result = try KeelProcess.keel(["plugins", "--json"] + folders.flatMap { ["--path", $0] })
        try #require(result.status == 0, "keel plugins failed: \(result.transcript)")
        return try JSONDecoder().decode(PluginListingJSON.self, from: Data(result.output.utf8))
    }
}
