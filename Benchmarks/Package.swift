// swift-tools-version:6.1
import Foundation
import PackageDescription

// Benchmarks for Keel (package-benchmark). Run from this folder:
//   swift package --disable-sandbox benchmark                       # all suites
//   swift package --disable-sandbox benchmark --target StateTreeBenchmarks
// Figures and how they were taken: docs/PERFORMANCE.md.

/// Keel itself, by path; SwiftPM names a path dependency after its folder, whatever the clone is called.
let keelRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let keel = keelRoot.lastPathComponent

let suites = ["KeelCoreBenchmarks", "StateTreeBenchmarks", "BatchCodecBenchmarks", "KernelBenchmarks"]

let package = Package(
    name: "KeelBenchmarks",
    dependencies: [
        .package(path: keelRoot.path),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: suites.map { suite in
        .executableTarget(
            name: suite,
            dependencies: [
                .product(name: "KeelCore", package: keel),
                .product(name: "KeelState", package: keel),
                .product(name: "KeelKernel", package: keel),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/\(suite)",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    } + [
        // DA providers through the kernel's catalog (their libraries are built beside the suite), and
        // the erasure plugin's Reed-Solomon code against bare ISA-L calls (docs/PERFORMANCE.md, "DA").
        .executableTarget(
            name: "DABenchmarks",
            dependencies: [
                .product(name: "KeelCore", package: keel),
                .product(name: "KeelKernel", package: keel),
                .product(name: "keel-da-erasure", package: keel),
                .product(name: "keel-da-sqlite", package: keel),
                .product(name: "keel-da-file", package: keel),
                .product(name: "keel-da-altda", package: keel),
                .product(name: "keel-da-dac", package: keel),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/DABenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
