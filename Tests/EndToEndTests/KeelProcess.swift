import Foundation
import KeelJSONRPC
import KeelPluginTesting
import Testing

/// Runs the real `keel` executable (and `make`, `swift`) the way a user would, for end-to-end tests,
/// on top of KeelPluginTesting's `TestProcess`.
enum KeelProcess {
    /// The repository these tests were built from.
    static var repositoryRoot: String { TestProcess.repositoryRoot }

    /// The `keel` that SwiftPM built beside the test bundle.
    static var keel: String { (PluginUnderTest.buildDirectory as NSString).appendingPathComponent("keel") }

    /// Runs `keel arguments…` with `KEEL_HOME` unset (unless given in `environment`), so that it
    /// finds the templates above its own folder as an installed-from-source `keel` does.
    static func keel(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        try #require(FileManager.default.isExecutableFile(atPath: keel),
                     "no keel executable at \(keel): build it with `swift build --build-tests` before the tests")
        var base = ProcessInfo.processInfo.environment
        base["KEEL_HOME"] = nil
        return Result(try TestProcess.run(keel, arguments, environment: base.merging(environment) { $1 }))
    }

    /// Runs a program found on PATH (`make`, `swift`).
    static func tool(_ name: String, _ arguments: [String], in directory: String? = nil) throws -> Result {
        Result(try TestProcess.run(name, arguments, in: directory))
    }

    /// What a finished program left behind, the two streams apart.
    struct Result {
        let status: Int32
        /// Standard output.
        let output: String
        /// Standard error.
        let error: String

        init(_ outcome: TestProcess.Outcome) {
            status = outcome.status
            output = outcome.standardOutput
            error = outcome.standardError
        }

        /// Status and both streams, for failure messages.
        var transcript: String { "exit \(status)\n--- stdout\n\(output)\n--- stderr\n\(error)" }
    }

    /// A new empty folder under the system's temporary directory.
    static func temporaryFolder(_ label: String) throws -> String {
        try TestProcess.temporaryFolder("e2e-\(label)")
    }

    /// A JSON-RPC client for the node at `url` carrying its admin token, read from `dataDirectory/admin.token`.
    static func adminClient(url: String, dataDirectory: String) throws -> JSONRPCClient {
        let token = try String(contentsOfFile: dataDirectory + "/admin.token", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return JSONRPCClient(url: url, bearerToken: token, timeoutSeconds: 10)
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
    let skipped: [Refusal]

    /// Runs `keel plugins --json` with `--path` for each of `folders`.
    static func list(paths folders: [String] = []) throws -> PluginListingJSON {
        let result = try KeelProcess.keel(["plugins", "--json"] + folders.flatMap { ["--path", $0] })
        try #require(result.status == 0, "keel plugins failed: \(result.transcript)")
        return try JSONDecoder().decode(PluginListingJSON.self, from: Data(result.output.utf8))
    }
}
