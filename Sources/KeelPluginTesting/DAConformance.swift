import Foundation
import KeelCore
import KeelKernel

/// The rules every DA provider must keep (docs/ABI.md, "DA provider"), checked through the ABI.
public enum DAConformance {
    /// Runs every check on `client`. `reopen`, if given, makes a second instance over the same
    /// storage (same config) to check that data survives a restart. `storageFolders` are where the
    /// provider keeps its files (its data directory, a `dir` of its config): a blob found there
    /// byte for byte is damaged on disk, and `retrieve` must refuse it as corrupt. Returns the broken
    /// rules; `note` hears of checks that could not run (no stored copy found to damage).
    public static func run(_ client: DAClient, largestBlobToTry: Int = 4 << 20,
                           reopen: (() throws -> DAClient)? = nil, storageFolders: [String] = [],
                           note: (String) -> Void = { _ in }) -> [ConformanceFailure] {
        var report = ConformanceReport()
        var random = SeededBytes(seed: 7)
        let largest = min(Int(client.maxBlobSize), largestBlobToTry)
        var stored: [(commitment: [UInt8], blob: [UInt8])] = []

        report.expect(client.maxBlobSize > 0, "max blob size", "the provider declares a max blob size of 0")
        for size in [1, 2, 1000, 128 << 10, largest] where size <= largest {
            let blob = random.bytes(size)
            guard let commitment = report.attempt("submit \(size) bytes", { try client.submit(blob) }) else { continue }
            report.expect(commitment.first == client.providerID, "commitment prefix",
                          "a commitment starts with \(commitment.first.map { String($0) } ?? "nothing"), not the provider id \(client.providerID)")
            let back = report.attempt("retrieve \(size) bytes", { try client.retrieve(commitment) })
            report.expect(back == nil || back == blob, "round trip \(size) bytes", "retrieve returned different bytes")
            if let again = report.attempt("submit the same blob twice", { try client.submit(blob) }) {
                report.expect(again == commitment, "same blob, same commitment", "the second submit gave another commitment")
            }
            stored.append((commitment, blob))
        }

        if let (commitment, _) = stored.first {
            var wrong = commitment
            wrong[wrong.count - 1] ^= 0x01
            report.expectRefusal("a wrong commitment", codes: [.notFound, .corrupt, .invalidArgument]) { _ = try client.retrieve(wrong) }
            report.expectRefusal("a truncated commitment", codes: [.notFound, .invalidArgument]) { _ = try client.retrieve(Array(commitment.dropLast())) }
            report.expectRefusal("an empty commitment", codes: [.notFound, .invalidArgument]) { _ = try client.retrieve([]) }
            // docs/ABI.md: a commitment whose id byte names another provider is not this provider's to look up.
            var foreign = commitment
            foreign[0] = client.providerID == 0x01 ? 0x02 : 0x01
            report.expectRefusal("another provider's commitment", codes: [.invalidArgument]) { _ = try client.retrieve(foreign) }
        }
        checkTampering(client, storageFolders: storageFolders, random: &random, report: &report, note: note)
        if client.maxBlobSize < UInt64(64 << 20) {
            report.expectRefusal("an oversized blob", codes: [.tooLarge]) { _ = try client.submit([UInt8](repeating: 7, count: Int(client.maxBlobSize) + 1)) }
        }

        // Concurrent submits: the kernel serialises a plugin that is not thread-safe, so this holds for every plugin.
        let blobs = (0..<8).map { index in random.bytes(100 + index) }
        let results = ConcurrentResults<[UInt8]>(count: blobs.count)
        DispatchQueue.concurrentPerform(iterations: blobs.count) { index in
            results.set(index, Result<[UInt8], any Error> { try client.submit(blobs[index]) })
        }
        for (index, result) in results.values.enumerated() {
            switch result {
            case .success(let commitment)?:
                let back = try? client.retrieve(commitment)
                report.expect(back == blobs[index], "concurrent submits", "blob \(index) did not come back intact")
            case .failure(let error)?: report.fail("concurrent submits", "blob \(index) threw \(error)")
            case nil: report.fail("concurrent submits", "blob \(index) has no result")
            }
        }

        if let health = report.attempt("health", { try client.health() }) {
            report.expect(health.healthy, "health", "a fresh provider reports unhealthy: \(health.detail)")
        }
        if let reopen, let second = report.attempt("reopen", reopen) {
            for (commitment, blob) in stored {
                let back = report.attempt("retrieve after a restart", { try second.retrieve(commitment) })
                report.expect(back == nil || back == blob, "data survives a restart", "a blob came back different after a restart")
            }
        }
        return report.failures
    }
}

extension DAConformance {
    /// Stores a blob, damages every stored copy found byte for byte under `storageFolders` (one byte
    /// flipped in the middle), and expects `retrieve` to refuse it with `KEEL_ERR_CORRUPT`. SQLite
    /// files are left alone: damaging a page or a WAL frame tests SQLite, not the provider.
    static func checkTampering(_ client: DAClient, storageFolders: [String], random: inout SeededBytes,
                               report: inout ConformanceReport, note: (String) -> Void) {
        let blob = random.bytes(min(3000, Int(client.maxBlobSize)))
        guard blob.count >= 64, let commitment = report.attempt("submit a blob to damage", { try client.submit(blob) }) else { return }
        let damaged = StoredCopies.damage(blob, under: storageFolders)
        guard !damaged.isEmpty else {
            note("tampered data: no stored copy of a blob was found under \(storageFolders.isEmpty ? "no folder" : storageFolders.joined(separator: ", ")); "
                 + "the check that damaged data is refused as corrupt did not run")
            return
        }
        do {
            let back = try client.retrieve(commitment)
            report.fail("tampered data", back == blob
                ? "retrieve returned the blob although its stored copy (\(damaged[0])) was damaged: a copy must not have been read"
                : "retrieve returned damaged bytes (from \(damaged[0])) instead of refusing them with KEEL_ERR_CORRUPT")
        } catch {
            if error.code != PluginErrorCode.corrupt.rawValue {
                report.fail("tampered data", "refused with \(error.codeName), expected corrupt: \(error.message)")
            }
        }
    }
}

/// Finding and damaging a blob's copies in a provider's files, for the tampering check.
enum StoredCopies {
    /// Flips one byte in the middle of every copy of `blob` in the regular files under `folders`
    /// (not SQLite databases or their journals); returns the files changed.
    static func damage(_ blob: [UInt8], under folders: [String]) -> [String] {
        let needle = Data(blob)
        var changed: [String] = []
        for folder in folders {
            guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
            while let relative = walker.nextObject() as? String {
                let path = (folder as NSString).appendingPathComponent(relative)
                guard !isSQLite(path), var contents = FileManager.default.contents(atPath: path) else { continue }
                var found = false
                var searchStart = contents.startIndex
                while let range = contents.range(of: needle, in: searchStart..<contents.endIndex) {
                    let middle = range.lowerBound + needle.count / 2
                    contents[middle] ^= 0xFF
                    found = true
                    searchStart = range.upperBound
                }
                if found, FileManager.default.createFile(atPath: path, contents: contents) { changed.append(path) }
            }
        }
        return changed
    }

    static func isSQLite(_ path: String) -> Bool {
        if ["-wal", "-shm", "-journal"].contains(where: path.hasSuffix) { return true }
        guard let handle = FileHandle(forReadingAtPath: path) else { return true }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header == Data("SQLite format 3\0".utf8)
    }
}

/// Results written from concurrent iterations.
final class ConcurrentResults<Value>: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var storage: [Result<Value, any Error>?]

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<Value, any Error>) {
        lock.withLock { storage[index] = result }
    }

    var values: [Result<Value, any Error>?] { lock.withLock { storage } }
}
