import Benchmark
import Plugin_da_erasure

// Erasure coding of a 2 MiB batch: the `erasure` plugin's code path (ReedSolomonCode, as submit and
// retrieve call it) against ISA-L's own `ec_encode_data` on the same data in the same run. GB/s is
// the blob's 2 MiB divided by the wall-clock time (docs/PERFORMANCE.md, "DA").

enum ErasureCodingBenchmarks {
    static let blobSize = 2 << 20
    /// (k, m): the default-sized 4 + 2 and a wider 10 + 4.
    static let shapes = [(4, 2), (10, 4)]

    static func register() {
        let configuration = Benchmark.Configuration(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
            warmupIterations: 5,
            maxDuration: .seconds(3),
            maxIterations: 2000)
        let blob = randomBytes(blobSize, seed: 42)
        for (k, m) in shapes {
            let code: ReedSolomonCode
            do {
                code = try ReedSolomonCode(dataChunks: k, parityChunks: m)
            } catch {
                preconditionFailure("k = \(k), m = \(m): \(error)")
            }
            let bare = BareISAL(k: k, m: m, blob: blob)
            let encoded = code.encode(blob)
            // The plugin's chunks and the bare call's agree (the same matrix, the same data).
            precondition(bare.decodeIsExact(), "bare ISA-L decode did not rebuild the chunks")
            // The first m data chunks lost, as the bare side loses them.
            let survivors: [[UInt8]?] = (0..<(k + m)).map { $0 < m ? nil : Array(encoded[$0]) }
            precondition((try? code.decode(survivors, blobLength: blob.count)) == blob, "the plugin's decode did not rebuild the blob")
            let shape = "k=\(k) m=\(m), 2 MiB"

            Benchmark("Erasure encode \(shape): plugin ReedSolomonCode.encode (split, pad, ec_encode_data)", configuration: configuration) { benchmark in
                for _ in benchmark.scaledIterations { blackHole(code.encode(blob)) }
            }
            Benchmark("Erasure encode \(shape): bare ec_encode_data", configuration: configuration) { benchmark in
                for _ in benchmark.scaledIterations { bare.encode() }
            }
            Benchmark("Erasure decode \(shape), \(m) data chunks lost: plugin ReedSolomonCode.decode (invert, tables, ec_encode_data, join)",
                      configuration: configuration) { benchmark in
                for _ in benchmark.scaledIterations { blackHole(try? code.decode(survivors, blobLength: blob.count)) }
            }
            Benchmark("Erasure decode \(shape), \(m) data chunks lost: bare ec_encode_data (tables made in advance)",
                      configuration: configuration) { benchmark in
                for _ in benchmark.scaledIterations { bare.decode() }
            }
        }
    }
}

/// `count` pseudo-random bytes from `seed` (a 64-bit LCG's high bits): the same in every run.
func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        for index in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            buffer[index] = UInt8(truncatingIfNeeded: state >> 56)
        }
        initialized = count
    }
}
