import Benchmark
import KeelCore

// The batch codec on 10,000 realistic transfers: signed EIP-1559 transfers between 1,000 accounts,
// 100 blocks of 100. Encoding is blocks → RLP payload → compressed batch; decoding is the reverse
// with every check a follower runs (declared length, block numbers, parent links, transactions
// roots). Throughput in MB/s is the uncompressed payload size divided by the wall-clock time;
// figures and how to read them: docs/PERFORMANCE.md, "Batch codec".

/// Sizes, reported beside the timings: bytes, and the ratio (uncompressed / compressed) × 100.
let sizeMetrics: [BenchmarkMetric] = [
    .custom("payload bytes", polarity: .prefersSmaller, useScalingFactor: false),
    .custom("compressed bytes", polarity: .prefersSmaller, useScalingFactor: false),
    .custom("ratio x100", polarity: .prefersLarger, useScalingFactor: false),
]

func recordSizes(_ benchmark: Benchmark, compressed: Int) {
    benchmark.measurement(sizeMetrics[0], TransferBatch.payloadBytes)
    benchmark.measurement(sizeMetrics[1], compressed)
    benchmark.measurement(sizeMetrics[2], compressed == 0 ? 0 : TransferBatch.payloadBytes * 100 / compressed)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal] + sizeMetrics,
        maxDuration: .seconds(5),
        maxIterations: 200
    )

    for codec in CompressionCodec.allCases {
        let encoder = BatchEncoder(codec: codec)
        let encoded = (try? encoder.encode(TransferBatch.batch)) ?? []

        Benchmark("Batch encode \(codec), 10,000 transfers") { benchmark in
            recordSizes(benchmark, compressed: encoded.count)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try encoder.encode(TransferBatch.batch))
            }
        }

        Benchmark("Batch decode \(codec), 10,000 transfers") { benchmark in
            let decoder = BatchDecoder(expectedChainID: TransferBatch.chainID)
            for _ in benchmark.scaledIterations {
                blackHole(try decoder.decode(encoded))
            }
        }
    }

    // The compression step alone, to separate it from the block encoding and checks.
    for codec in [CompressionCodec.zlib, .brotli] {
        // The default, the fastest that still compresses well, a middle one, and the maximum.
        let levels = codec == .brotli ? [1, 5, 9, 11] : [1, 6, 9]
        for level in Set(levels + [codec.defaultLevel]).sorted() {
            let compressed = (try? codec.compress(TransferBatch.payload, level: level)) ?? []
            Benchmark("Compress \(codec) level \(level), 10,000 transfers") { benchmark in
                recordSizes(benchmark, compressed: compressed.count)
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    blackHole(try codec.compress(TransferBatch.payload, level: level))
                }
            }
            Benchmark("Decompress \(codec) level \(level), 10,000 transfers") { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(try codec.decompress(compressed, limit: TransferBatch.payloadBytes))
                }
            }
        }
    }
}
