import Foundation
import KeelCore
import KeelKernel

/// The rules every DA provider must keep (docs/ABI.md, "DA provider"), checked through the ABI.
public enum DAConformance {
    /// Runs every check on `client`. `reopen`, if given, makes a second instance over the same
    /// storage (same config) to check that data survives a restart. Returns the broken rules.
    public static func run(_ client: DAClient, largestBlobToTry: Int = 4 << 20,
                           reopen: (() throws -> DAClient)? = nil) -> [ConformanceFailure] {
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
        }
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
