import Benchmark
import Foundation
import KeelCore
import KeelState

// Figures and how to read them: docs/PERFORMANCE.md, section "The authenticated state tree".
//
// The fixture is a store of 1,000,000 keys (40-byte values, like an account) on disk, built once
// and kept in the temporary folder between runs. Each measured block holds 10,000 updates: 6,000
// changes of existing keys, 2,000 new keys and 2,000 deletions, so the tree stays at a million keys.
// The store runs as a node runs it, in a steady state: 64 versions retained, pruned 32 at a time
// (`pruneBatch`'s default), so the file stops growing and a block's pages reuse those pruning
// freed. The apply benchmark measures the commit alone; pruning is measured on its own, and the
// sustained benchmark measures both, as a node pays them.

let treeSize = 1_000_000
let blockSize = 10_000
let buildBlock = 50_000
let buildVersions = UInt64(treeSize / buildBlock)

/// The million-key store, and where its live key range stands.
final class StateFixture: @unchecked Sendable {
    let store: StateStore
    var random = SplitMix64(seed: 7)

    init(cacheNodeLimit: Int) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keel-state-benchmark-1M-v4.sqlite").path
        // Pruning is measured on its own (below), so the apply figures are the commit alone.
        let options = StateStoreOptions(cacheNodeLimit: cacheNodeLimit, retainedVersions: 64, pruneOnApply: false)
        if let existing = try? StateStore(path: path, options: options), (existing.latestVersion ?? 0) >= buildVersions {
            store = existing
            try store.prune()
            return
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        store = try StateStore(path: path, options: options)
        for version in 1...buildVersions {
            let first = Int(version - 1) * buildBlock
            try store.apply(version: version, updates: (first..<first + buildBlock).map { (Self.key($0), Optional(Self.value($0, 0))) })
        }
    }

    /// Versions pruned at a time, as `StateStoreOptions.pruneBatch` does by default.
    static let pruneBatch = StateStoreOptions().pruneBatch

    /// Prunes when a batch of versions is due (outside the measured commit).
    func pruneWhenDue() {
        guard let latest = store.latestVersion, latest % Self.pruneBatch == 0 else { return }
        try? store.prune()
    }

    static func key(_ index: Int) -> [UInt8] { Array("account-\(index)".utf8) }

    static func value(_ index: Int, _ version: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 40)
        withUnsafeBytes(of: UInt64(index).bigEndian) { bytes.replaceSubrange(0..<8, with: $0) }
        withUnsafeBytes(of: version.bigEndian) { bytes.replaceSubrange(32..<40, with: $0) }
        return bytes
    }

    /// The live keys are `low ..< low + treeSize`; each block deletes 2,000 at the low end and adds 2,000 at the top.
    var low: Int { Int((store.latestVersion ?? buildVersions) - buildVersions) * 2_000 }

    func nextBlock() -> (version: UInt64, updates: [(key: [UInt8], value: [UInt8]?)]) {
        let version = (store.latestVersion ?? 0) + 1
        let low = self.low
        var updates: [(key: [UInt8], value: [UInt8]?)] = []
        updates.reserveCapacity(blockSize)
        for index in low..<low + 2_000 { updates.append((Self.key(index), nil)) }
        for index in low + treeSize..<low + treeSize + 2_000 { updates.append((Self.key(index), Self.value(index, version))) }
        for _ in 0..<6_000 {
            let index = low + 2_000 + Int(random.next() % UInt64(treeSize - 2_000))
            updates.append((Self.key(index), Self.value(index, version)))
        }
        return (version, updates)
    }
}

nonisolated(unsafe) var fixture: StateFixture?

let cpuPerBlock = BenchmarkMetric.custom("CPU per block (µs)", polarity: .prefersSmaller, useScalingFactor: false)
let cpuPerBlockPruned = BenchmarkMetric.custom("CPU per block, pruning included (µs)", polarity: .prefersSmaller, useScalingFactor: false)

/// The calling thread's user + system CPU time so far, in microseconds (getrusage). A commit runs
/// on the thread that calls `apply` (SQLite starts no threads of its own), so this is the commit's
/// time on one core, without the benchmark's memory-sampling thread that `.cpuTotal` counts too.
func threadCPUMicroseconds() -> Int {
    var usage = rusage()
    getrusage(1, &usage) // RUSAGE_THREAD (Linux), which Glibc's module map leaves out
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000 + Int(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
}

func openFixture(cacheNodeLimit: Int = 100_000) throws -> StateFixture {
    if let fixture { return fixture }
    let made = try StateFixture(cacheNodeLimit: cacheNodeLimit)
    fixture = made
    return made
}

let benchmarks: @Sendable () -> Void = {
    // package-benchmark reads CPU time in scheduler ticks (10 ms on Linux), too coarse for one
    // block: "CPU per block" is the committing thread's user + system time from getrusage, in µs.
    Benchmark("State apply: blocks of 10,000 updates over 1,000,000 keys on disk",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .throughput, .peakMemoryResident, cpuPerBlock],
                                   warmupIterations: 2, maxDuration: .seconds(60), maxIterations: 64)) { benchmark in
        guard let fixture = try? openFixture() else { fatalError("could not build the state fixture") }
        for _ in benchmark.scaledIterations {
            let block = fixture.nextBlock()
            benchmark.startMeasurement()
            let before = threadCPUMicroseconds()
            blackHole(try? fixture.store.apply(version: block.version, updates: block.updates))
            let cpu = threadCPUMicroseconds() - before
            benchmark.stopMeasurement()
            benchmark.measurement(cpuPerBlock, cpu)
            fixture.pruneWhenDue()
        }
    }

    // A node's steady load: `pruneBatch` blocks, then the prune they make due, on one thread.
    Benchmark("State sustained: \(StateFixture.pruneBatch) blocks of 10,000 updates and their prune",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident, cpuPerBlockPruned],
                                   warmupIterations: 0, maxDuration: .seconds(60), maxIterations: 4)) { benchmark in
        guard let fixture = try? openFixture() else { fatalError("could not build the state fixture") }
        try? fixture.store.prune()
        for _ in benchmark.scaledIterations {
            benchmark.startMeasurement()
            let before = threadCPUMicroseconds()
            for _ in 0..<StateFixture.pruneBatch {
                let block = fixture.nextBlock()
                blackHole(try? fixture.store.apply(version: block.version, updates: block.updates))
            }
            try? fixture.store.prune()
            let cpu = threadCPUMicroseconds() - before
            benchmark.stopMeasurement()
            benchmark.measurement(cpuPerBlockPruned, cpu / Int(StateFixture.pruneBatch))
        }
    }

    Benchmark("State prune: \(StateFixture.pruneBatch) versions of 10,000 updates each",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident],
                                   warmupIterations: 1, maxDuration: .seconds(60), maxIterations: 8)) { benchmark in
        guard let fixture = try? openFixture() else { fatalError("could not build the state fixture") }
        try? fixture.store.prune()
        for _ in benchmark.scaledIterations {
            for _ in 0..<StateFixture.pruneBatch {
                let block = fixture.nextBlock()
                _ = try? fixture.store.apply(version: block.version, updates: block.updates)
            }
            benchmark.startMeasurement()
            try? fixture.store.prune()
            benchmark.stopMeasurement()
        }
    }

    Benchmark("State proof of a key in 1,000,000 (x1000)",
              configuration: .init(metrics: [.wallClock, .throughput, .custom("proof bytes", useScalingFactor: false),
                                             .custom("non-empty siblings", useScalingFactor: false)],
                                   maxDuration: .seconds(10))) { benchmark in
        guard let fixture = try? openFixture() else { fatalError("could not build the state fixture") }
        let low = fixture.low
        var bytes = 0, siblings = 0
        benchmark.startMeasurement()
        for round in 0..<1000 {
            guard let proof = try? fixture.store.proof(for: StateFixture.key(low + 2_000 + round * 997)) else { continue }
            bytes += proof.encoded().count
            siblings += proof.nonEmptySiblingCount
        }
        benchmark.stopMeasurement()
        benchmark.measurement(.custom("proof bytes", useScalingFactor: false), bytes / 1000)
        benchmark.measurement(.custom("non-empty siblings", useScalingFactor: false), siblings / 1000)
    }

    Benchmark("State proof verify (x1000)",
              configuration: .init(metrics: [.wallClock, .throughput], maxDuration: .seconds(10))) { benchmark in
        guard let fixture = try? openFixture() else { fatalError("could not build the state fixture") }
        let low = fixture.low
        let root = fixture.store.latestRoot
        let cases: [(key: [UInt8], value: [UInt8]?, proof: [UInt8])] = (0..<1000).compactMap { round in
            let key = StateFixture.key(low + 2_000 + round * 997)
            guard let proof = try? fixture.store.proof(for: key), let value = try? fixture.store.value(for: key) else { return nil }
            return (key, value, proof.encoded())
        }
        benchmark.startMeasurement()
        for item in cases {
            blackHole(StateProof.verify(root: root, key: item.key, value: item.value, encodedProof: item.proof))
        }
        benchmark.stopMeasurement()
    }
}
