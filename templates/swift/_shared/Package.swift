// swift-tools-version:6.1
import PackageDescription

// The {{KIND}} plugin "{{NAME}}" for Keel, written by `keel new plugin --kind {{KIND}} --lang swift`.
// `swift build` makes .build/debug/libkeel-{{KIND}}-{{NAME}}.so; `keel plugins --path .build/debug` lists it;
// `swift test` runs Keel's conformance suite for {{KIND}} plugins against it.
let package = Package(
    name: "keel-{{KIND}}-{{NAME}}",
    products: [
        // The kernel only opens files named libkeel-*.so: keep this product's name and type.
        .library(name: "keel-{{KIND}}-{{NAME}}", type: .dynamic, targets: ["{{TYPE}}Plugin"]),
    ],
    dependencies: [
        // The Keel repository this plugin was made from. The library links its own copy of KeelPluginKit;
        // only the C ABI (keel_plugin.h) crosses into the kernel.
        .package(path: "{{KEEL_PATH}}"),
    ],
    targets: [
        .target(
            name: "{{TYPE}}Plugin",
            dependencies: [.product(name: "KeelPluginKit", package: "{{KEEL_PACKAGE}}")],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]),
        .testTarget(
            name: "{{TYPE}}PluginTests",
            dependencies: [
                .product(name: "KeelPluginTesting", package: "{{KEEL_PACKAGE}}"),
                .product(name: "KeelKernel", package: "{{KEEL_PACKAGE}}"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]),
    ],
    swiftLanguageModes: [.v6]
)
