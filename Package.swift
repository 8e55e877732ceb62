// swift-tools-version:6.1
import PackageDescription

/// Keel: a framework for assembling rollups from plugins named in a YAML manifest.
/// The layout is described in docs/ARCHITECTURE.md; the plugin ABI in docs/ABI.md.

/// Every plugin in Plugins/<kind>-<name>/ becomes one `.dynamic` library `libkeel-<kind>-<name>.so`,
/// which the kernel finds beside the `keel` executable.
struct PluginTarget {
    let folder: String
    let swift: Bool
    /// What the plugin needs beyond KeelPluginKit (Swift) or KeelABI (C): GRDB for the two that keep SQLite files.
    var extra: [Target.Dependency] = []
    var product: String { "keel-\(folder)" }
    var target: String { "Plugin_" + String(folder.map { $0 == "-" ? "_" : $0 }) }
}

var plugins: [PluginTarget] {
    [
        PluginTarget(folder: "gpu-cpu", swift: false),
        PluginTarget(folder: "da-sqlite", swift: true, extra: [.product(name: "GRDB", package: "GRDB.swift")]),
        PluginTarget(folder: "execution-transfer", swift: true),
        PluginTarget(folder: "sequencer-single", swift: true),
        PluginTarget(folder: "proof-attest", swift: true),
        PluginTarget(folder: "proof-fault", swift: true),
        PluginTarget(folder: "bridge-local", swift: true, extra: [.product(name: "GRDB", package: "GRDB.swift")]),
        PluginTarget(folder: "da-erasure", swift: true, extra: ["CIsal"]),
        PluginTarget(folder: "da-file", swift: true),
        PluginTarget(folder: "da-altda", swift: true, extra: ["KeelPluginHTTP"]),
        PluginTarget(folder: "da-dac", swift: true, extra: ["KeelPluginHTTP"]),
    ]
}

let package = Package(
    name: "Keel",
    products: [
        .executable(name: "keel", targets: ["keel"]),
        .library(name: "KeelPluginKit", targets: ["KeelPluginKit"]),
        .library(name: "KeelPluginHTTP", targets: ["KeelPluginHTTP"]),
        .library(name: "KeelPluginTesting", targets: ["KeelPluginTesting"]),
        .library(name: "KeelCore", targets: ["KeelCore"]),
        .library(name: "KeelState", targets: ["KeelState"]),
        .library(name: "KeelKernel", targets: ["KeelKernel"]),
        .library(name: "KeelABI", targets: ["KeelABI"]),
    ] + plugins.map { .library(name: $0.product, type: .dynamic, targets: [$0.target]) },
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // The C plugin ABI: header only (plus one translation unit SwiftPM needs).
        .target(name: "KeelABI", path: "Sources/KeelABI"),

        // System libraries, installed by `make deps`.
        .systemLibrary(name: "CSecp256k1", path: "Sources/CSecp256k1", pkgConfig: "libsecp256k1",
                       providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(name: "CBrotli", path: "Sources/CBrotli", pkgConfig: "libbrotlienc",
                       providers: [.apt(["libbrotli-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CIsal", path: "Sources/CIsal", pkgConfig: "libisal", providers: [.apt(["libisal-dev"])]),

        // Keccak-256 on several SIMD lanes at once (AVX-512, AVX2), chosen at run time.
        .target(name: "CKeccak", path: "Sources/CKeccak"),

        // Chain primitives, what plugins link: no SQLite, no server.
        .target(name: "KeelCore", dependencies: [
            "KeelABI",
            "CSecp256k1", "CBrotli", "CZlib", "CKeccak",
        ]),
        // The authenticated state tree's SQLite store, for the kernel and the node (not plugins).
        .target(name: "KeelState", dependencies: [
            "KeelCore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "KeelPluginKit", dependencies: ["KeelABI", "KeelCore"]),
        // A blocking HTTP/1.1 client over plain sockets, for plugins that speak to servers (altda, dac):
        // no event loop and no second SwiftNIO in the process.
        .target(name: "KeelPluginHTTP"),
        .target(name: "KeelKernel", dependencies: [
            "KeelABI", "KeelCore",
            .product(name: "Yams", package: "Yams"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The node: chain store, mempool, sequencer loop, batcher, proposer, attestor, JSON-RPC.
        .target(name: "KeelNode", dependencies: [
            "KeelKernel", "KeelCore", "KeelState", "KeelJSONRPC",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        // JSON-RPC 2.0 values, envelopes, errors and an HTTP client (the CLI and the tests use it; the node serves it).
        .target(name: "KeelJSONRPC", dependencies: [
            "KeelCore",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .target(name: "KeelPluginTesting", dependencies: ["KeelKernel", "KeelABI"]),
        .executableTarget(name: "keel", dependencies: [
            "KeelKernel", "KeelNode", "KeelJSONRPC", "KeelPluginTesting",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),

        // A child process for the state tree's crash test: commits blocks until it is killed.
        .executableTarget(name: "keel-state-writer", dependencies: ["KeelCore", "KeelState"], path: "Tests/Tools/keel-state-writer"),

        .testTarget(name: "KeelCoreTests", dependencies: [
            "KeelCore", "KeelState",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ], resources: [.copy("Vectors")]),
        .testTarget(name: "KeelKernelTests", dependencies: ["KeelKernel", "KeelPluginTesting"], exclude: ["Fixtures"]),
        .testTarget(name: "KeelPluginKitTests", dependencies: [
            "KeelPluginKit", "KeelPluginTesting",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "EndToEndTests", dependencies: ["KeelKernel", "KeelPluginTesting", "KeelJSONRPC"]),
        .testTarget(name: "KeelNodeTests", dependencies: ["KeelNode", "KeelPluginTesting", "KeelJSONRPC"]),
    ] + plugins.map { plugin in
        .target(name: plugin.target,
                dependencies: (plugin.swift ? ["KeelPluginKit"] : ["KeelABI"]) + plugin.extra,
                path: "Plugins/\(plugin.folder)")
    },
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
