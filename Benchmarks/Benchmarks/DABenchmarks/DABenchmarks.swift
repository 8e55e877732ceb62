import Benchmark

// DA benchmarks (docs/PERFORMANCE.md, "DA"): erasure coding against bare ISA-L, then submit and
// retrieve per provider. Run from Benchmarks/:
//   swift package --disable-sandbox benchmark --target DABenchmarks

let benchmarks: @Sendable () -> Void = {
    ErasureCodingBenchmarks.register()
    DAProviderBenchmarks.register()
}
