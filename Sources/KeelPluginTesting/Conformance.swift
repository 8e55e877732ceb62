import Foundation
import KeelCore
import KeelKernel

/// One broken rule found by a conformance suite: which check, and what was seen.
public struct ConformanceFailure: Sendable, Equatable, CustomStringConvertible {
    public let check: String
    public let detail: String

    public var description: String { "\(check): \(detail)" }
}

/// Collects failures while a suite runs.
struct ConformanceReport {
    private(set) var failures: [ConformanceFailure] = []

    mutating func fail(_ check: String, _ detail: String) {
        failures.append(ConformanceFailure(check: check, detail: detail))
    }

    /// Records a failure unless `condition` holds.
    mutating func expect(_ condition: Bool, _ check: String, _ detail: @autoclosure () -> String) {
        if !condition { fail(check, detail()) }
    }

    /// Runs `body`; a thrown error is a failure of `check`.
    mutating func attempt<T>(_ check: String, _ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch {
            fail(check, "threw \(error)")
            return nil
        }
    }

    /// Records a failure unless `body` throws a `PluginCallError` (with one of `codes`, if given).
    mutating func expectRefusal(_ check: String, codes: Set<PluginErrorCode> = [], _ body: () throws -> Void) {
        do {
            try body()
            fail(check, "was accepted; it must be refused")
        } catch let error as PluginCallError {
            if !codes.isEmpty, !codes.contains(where: { $0.rawValue == error.code }) {
                fail(check, "refused with \(error.codeName), expected \(codes.map(\.description).sorted().joined(separator: " or ")): \(error.message)")
            }
            if error.message.isEmpty || error.message == "no message" { fail(check, "refused without a message") }
        } catch {
            fail(check, "threw something other than a plugin error: \(error)")
        }
    }
}

/// Loads and creates a plugin library for a test, through the same loader the kernel uses.
public enum PluginUnderTest {
    /// Opens `path` (refusals are thrown as `PluginRefusal`) and creates it with `configJSON`.
    public static func create(path: String, configJSON: String = "{}", dataDirectory: String? = nil,
                              chainID: UInt64 = 901, flags: FeatureFlags? = nil) throws -> PluginInstance {
        let library = try PluginLibrary.open(path).get()
        let directory = dataDirectory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("keel-plugin-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let services = HostServices(dataDirectory: directory, chainID: chainID, flags: flags, log: { _, _, _ in })
        return try PluginInstance(library: library, configJSON: configJSON, services: services)
    }

    /// The folder SwiftPM builds into (where plugin libraries sit beside the test bundle).
    public static var buildDirectory: String { PluginSearchPath.executableDirectory() }
}

/// Random bytes from a seeded generator, so failures reproduce.
struct SeededBytes {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed &+ 0x9E37_79B9_7F4A_7C15) }

    mutating func next() -> UInt64 { generator.next() }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}
