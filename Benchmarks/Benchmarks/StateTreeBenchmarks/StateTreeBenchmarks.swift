import Benchmark
import KeelCore

let benchmarks: @Sendable () -> Void = {
    Benchmark("Keccak-256 of 64 bytes") { benchmark in
        let input = [UInt8](repeating: 0xAB, count: 64)
        for _ in benchmark.scaledIterations {
            blackHole(Keccak256.hash(input))
        }
    }
}
