import Foundation

/// Running programs and making scratch folders in tests: `keel` itself, `cc`, `make`, `swift build`.
public enum TestProcess {
    /// What a finished program printed (standard output and error apart) and its exit status.
    public struct Outcome: Sendable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
        /// Both streams, output first.
        public var output: String { standardOutput + standardError }
    }

    /// Runs `executable` (a path, or a name looked up on PATH through /usr/bin/env) to completion.
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil,
                           environment: [String: String]? = nil) throws -> Outcome {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the program runs, so neither fills and blocks it.
        let errorData = ErrorCollector(error.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                       standardError: String(decoding: errorData.wait(), as: UTF8.self))
    }

    /// Runs the `keel` executable built beside the tests.
    public static func keel(_ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil) throws -> Outcome {
        try run(PluginUnderTest.buildDirectory + "/keel", arguments, in: directory, environment: environment)
    }

    /// A new empty folder under the system's temporary directory.
    public static func temporaryFolder(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keel-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The root of the Keel repository these tests were built from.
    public static let repositoryRoot: String = {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Sources/KeelABI/include/keel_plugin.h").path) {
                return folder.path
            }
            folder.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// Compiles a C plugin source into `folder/fileName` with the system C compiler against `keel_plugin.h`
    /// in `include` (this checkout's header unless another version's folder is given).
    @discardableResult
    public static func compileCPlugin(_ source: String, to fileName: String, in folder: String, defines: [String] = [],
                                      include: String? = nil) throws -> String {
        let output = (folder as NSString).appendingPathComponent(fileName)
        let include = include ?? repositoryRoot + "/Sources/KeelABI/include"
        let result = try run("cc", ["-shared", "-fPIC", "-O1", "-I", include] + defines.map { "-D" + $0 } + [source, "-o", output])
        guard result.status == 0 else { throw TestProcessError("cc failed for \(fileName): \(result.output)") }
        return output
    }
}

/// A test helper's failure, with what the tool printed.
public struct TestProcessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Reads a pipe to its end on another thread.
final class ErrorCollector: @unchecked Sendable {
    // @unchecked: `data` is written once by the reader thread before `done` is signalled.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
