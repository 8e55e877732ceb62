import Foundation
import KeelCore
#if canImport(KeelState)
import KeelState
#endif

// state-driver FIXTURE [--blocks N] [--prune-every N] [--verbose]
//
// Opens (or builds: 1,000,000 keys, 40-byte values) the state store at FIXTURE, prunes what is due,
// then commits N blocks of 10,000 updates shaped like StateTreeBenchmarks' (6,000 changes, 2,000
// new keys, 2,000 deletions), pruning every `--prune-every` versions outside the measured commits
// (0: never, and the file grows). Prints the CPU per block (process and committing thread, user +
// system, from getrusage), the wall clock, and pruning's cost per version.

let treeSize = 1_000_000
let buildBlock = 50_000
let buildVersions = UInt64(treeSize / buildBlock)

func key(_ index: Int) -> [UInt8] { Array("account-\(index)".utf8) }

func value(_ index: Int, _ version: UInt64) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: 40)
    withUnsafeBytes(of: UInt64(index).bigEndian) { bytes.replaceSubrange(0..<8, with: $0) }
    withUnsafeBytes(of: version.bigEndian) { bytes.replaceSubrange(32..<40, with: $0) }
    return bytes
}

/// User and system CPU seconds of the process (`who` 0) or the calling thread (`who` 1, RUSAGE_THREAD).
func cpu(_ who: Int32) -> (user: Double, system: Double) {
    var usage = rusage()
    getrusage(who, &usage)
    return (Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6)
}

func option(_ name: String, default fallback: Int) -> Int {
    guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count,
          let value = Int(CommandLine.arguments[index + 1]) else { return fallback }
    return value
}

func quantile(_ values: [Double], _ fraction: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}

guard CommandLine.arguments.count > 1 else {
    print("usage: state-driver FIXTURE [--blocks N] [--prune-every N] [--verbose]")
    exit(2)
}
let path = CommandLine.arguments[1]
let blocks = option("--blocks", default: 48)
let pruneEvery = option("--prune-every", default: Int(StateStoreOptions().pruneBatch))
let verbose = CommandLine.arguments.contains("--verbose")

let opened = Date()
let store = try StateStore(path: path, options: StateStoreOptions(cacheNodeLimit: 100_000, retainedVersions: 64, pruneOnApply: false))
if (store.latestVersion ?? 0) < buildVersions {
    for version in 1...buildVersions {
        let first = Int(version - 1) * buildBlock
        try store.apply(version: version, updates: (first..<first + buildBlock).map { (key($0), Optional(value($0, 0))) })
    }
}
if pruneEvery > 0 { try store.prune() }
print(String(format: "opened at version %d in %.2f s", store.latestVersion ?? 0, Date().timeIntervalSince(opened)))

var random = SplitMix64(seed: 7 &+ (store.latestVersion ?? 0))
var process: [Double] = [], thread: [Double] = [], user: [Double] = [], system: [Double] = [], wall: [Double] = []
var pruning: [Double] = [], faults: [Double] = []

/// Minor page faults of the process so far (each a fresh page the kernel zeroes or maps).
func minorFaults() -> Int {
    var usage = rusage()
    getrusage(0, &usage)
    return usage.ru_minflt
}
for _ in 0..<blocks {
    let version = (store.latestVersion ?? 0) + 1
    let low = Int(version - 1 - buildVersions) * 2_000
    var updates: [(key: [UInt8], value: [UInt8]?)] = []
    for index in low..<low + 2_000 { updates.append((key(index), nil)) }
    for index in low + treeSize..<low + treeSize + 2_000 { updates.append((key(index), value(index, version))) }
    for _ in 0..<6_000 {
        let index = low + 2_000 + Int(random.next() % UInt64(treeSize - 2_000))
        updates.append((key(index), value(index, version)))
    }
    let (processBefore, threadBefore, faultsBefore, started) = (cpu(0), cpu(1), minorFaults(), Date())
    try store.apply(version: version, updates: updates)
    let (processAfter, threadAfter, took) = (cpu(0), cpu(1), Date().timeIntervalSince(started))
    faults.append(Double(minorFaults() - faultsBefore))
    process.append((processAfter.user - processBefore.user + processAfter.system - processBefore.system) * 1000)
    thread.append((threadAfter.user - threadBefore.user + threadAfter.system - threadBefore.system) * 1000)
    user.append((processAfter.user - processBefore.user) * 1000)
    system.append((processAfter.system - processBefore.system) * 1000)
    wall.append(took * 1000)
    if verbose { print(String(format: "version %d: %.0f ms CPU (user %.0f, system %.0f), %.0f ms wall", version, process.last!, user.last!, system.last!, wall.last!)) }
    if pruneEvery > 0, version % UInt64(pruneEvery) == 0 {
        let before = cpu(0)
        try store.prune()
        let after = cpu(0)
        pruning.append((after.user - before.user + after.system - before.system) * 1000)
    }
}

func summary(_ values: [Double]) -> String {
    String(format: "p0 %.0f p25 %.0f p50 %.0f p75 %.0f p90 %.0f mean %.1f", quantile(values, 0), quantile(values, 0.25),
           quantile(values, 0.5), quantile(values, 0.75), quantile(values, 0.9), values.reduce(0, +) / Double(values.count))
}
print("CPU per block, process (ms):        " + summary(process))
print("CPU per block, commit thread (ms):  " + summary(thread))
print(String(format: "user p50 %.0f ms, system p50 %.0f ms, wall p50 %.0f ms, minor page faults per block p50 %.0f mean %.0f",
             quantile(user, 0.5), quantile(system, 0.5), quantile(wall, 0.5), quantile(faults, 0.5), faults.reduce(0, +) / Double(faults.count)))
if !pruning.isEmpty {
    let perVersion = pruning.reduce(0, +) / Double(pruning.count) / Double(pruneEvery)
    print(String(format: "prune: %.1f ms of CPU a version; apply and prune together %.1f ms a block",
                 perVersion, process.reduce(0, +) / Double(process.count) + perVersion))
}
