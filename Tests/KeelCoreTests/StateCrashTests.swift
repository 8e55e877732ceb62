import Foundation
import KeelCore
@testable import KeelState
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Kills a process that is committing blocks, at random moments, and checks what it left behind.
@Suite struct StateCrashTests {
    /// `keel-state-writer`, built beside the test bundle by `swift build --build-tests`.
    static func writerExecutable() -> URL? {
        let candidates = [
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle(for: WriterLocator.self).bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ]
        for folder in candidates {
            let url = folder.appendingPathComponent("keel-state-writer")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    @Test func aWriterKilledDuringCommitsLeavesTheLastCommittedBlock() throws {
        guard let writer = Self.writerExecutable() else {
            Issue.record("keel-state-writer is not built beside the tests; run `swift build --build-tests` first")
            return
        }
        let folder = try TemporaryStateStore()
        var random = SplitMix64(seed: UInt64(UInt32(truncatingIfNeeded: Date().timeIntervalSince1970.bitPattern)))
        var lastPrinted: UInt64 = 0
        for round in 0..<5 {
            let printed = try Self.runAndKill(writer, path: folder.path, seed: random.next() % 1_000_000,
                                              afterMilliseconds: 20 + Int(random.next() % 400))
            #expect(printed != nil, "round \(round): the writer committed no block before it was killed")
            let store = try folder.open(StateStoreOptions(retainedVersions: 8))
            let latest = try #require(store.latestVersion, "round \(round): nothing committed")
            if let printed {
                #expect(latest >= printed, "round \(round): printed \(printed), reopened at \(latest)")
                #expect(printed > lastPrinted || round == 0)
                lastPrinted = printed
            }
            let recomputed = StateTree.root(ofHashedEntries: try store.entries().map {
                (keyHash: $0.keyHash, valueHash: StateTree.valueHash($0.value))
            })
            #expect(recomputed == store.latestRoot, "round \(round): root recomputed from the values differs")
            #expect(try store.root(at: latest) == store.latestRoot)
            #expect(try store.integrityCheck() == ["ok"], "round \(round)")
        }
    }

    /// Starts the writer, waits until it has printed a version, lets it run `afterMilliseconds`
    /// more, kills it with SIGKILL, and returns the last version it printed.
    static func runAndKill(_ writer: URL, path: String, seed: UInt64, afterMilliseconds: Int) throws -> UInt64? {
        let process = Process()
        process.executableURL = writer
        process.arguments = [path, String(seed)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reader = output.fileHandleForReading
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        // Wait for the first committed version (the first block on a fresh file takes longest).
        while !text.contains("\n"), Date() < deadline {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        usleep(UInt32(afterMilliseconds) * 1_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        text += String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n").compactMap { UInt64($0) }.last
    }
}

/// A class to find the test bundle by.
private final class WriterLocator {}
