import Benchmark
import Foundation
import KeelCore
import KeelKernel

// Feature-flag evaluation, the cost a node pays per transaction (docs/FLAGS.md, docs/PERFORMANCE.md).
// Each benchmark runs 1000 evaluations per iteration (`scalingFactor: .kilo`), so the wall-clock
// figures are per call; the malloc counts show that evaluation allocates nothing.

/// The flags of a manifest with a handful of features, over a throwaway data directory.
func makeFlags() -> FeatureFlags {
    let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("keel-flag-bench-\(UUID().uuidString)")
    let definitions = [
        FlagDefinition(name: "batch-codec-brotli", rule: .consensus(activateAtHeight: 1000)),
        FlagDefinition(name: "state-expiry", rule: .consensus(activateAtHeight: 50_000)),
        FlagDefinition(name: "priority-lane", rule: .rollout(basisPoints: 1000, subject: .sender)),
        FlagDefinition(name: "mempool-replacement-v2", rule: .rollout(basisPoints: 5000, subject: .sender)),
        FlagDefinition(name: "rpc-trace-calls", rule: .rollout(basisPoints: 2500, subject: .client)),
    ]
    do {
        return try FeatureFlags(definitions: definitions, dataDirectory: directory, minimumLead: 100)
    } catch {
        // A benchmark cannot run without its fixture; the message says why.
        preconditionFailure("could not open feature flags in \(directory): \(error)")
    }
}

/// 1024 distinct sender addresses, so no two consecutive calls hash the same input.
let senders: [Address] = (0..<1024).compactMap { index in
    var bytes = [UInt8](repeating: 0x42, count: 20)
    bytes[18] = UInt8(index >> 8)
    bytes[19] = UInt8(index & 0xFF)
    return Address(bytes: bytes)
}

let benchmarks: @Sendable () -> Void = {
    let evaluation = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        scalingFactor: .kilo,
        maxDuration: .seconds(2)
    )
    let flags = makeFlags()
    let senderBytes = senders.map(\.bytes)

    Benchmark("Flags: isActive (consensus flag)", configuration: evaluation) { benchmark in
        var height: UInt64 = 990
        for _ in benchmark.scaledIterations {
            blackHole(flags.isActive("batch-codec-brotli", atHeight: height))
            height &+= 1
        }
    }

    Benchmark("Flags: isEnabled (rollout flag, 20-byte sender)", configuration: evaluation) { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(flags.isEnabled("priority-lane", subject: senderBytes[index & 1023]))
            index &+= 1
        }
    }

    Benchmark("Flags: isEnabled (rollout flag, Address)", configuration: evaluation) { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(flags.isEnabled("mempool-replacement-v2", subject: senders[index & 1023]))
            index &+= 1
        }
    }

    Benchmark("Flags: isEnabled (rollout flag, client IP text)", configuration: evaluation) { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(flags.isEnabled("rpc-trace-calls", subject: index & 1 == 0 ? "203.0.113.7" : "198.51.100.23"))
            index &+= 1
        }
    }

    Benchmark("Flags: isEnabled (unknown flag)", configuration: evaluation) { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(flags.isEnabled("no-such-flag", subject: senderBytes[index & 1023]))
            index &+= 1
        }
    }

    // The reference point: hashing flag name and subject from scratch, as a naive evaluation would.
    Benchmark("Flags: bucket from scratch (Keccak-256 of name ‖ subject)", configuration: evaluation) { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(RolloutBucket.bucket(flag: "priority-lane", subject: senderBytes[index & 1023]))
            index &+= 1
        }
    }
}
