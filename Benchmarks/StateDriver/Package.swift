// swift-tools-version:6.1
import Foundation
import PackageDescription

// A command-line driver for before/after comparisons of the state tree's commit, in the same run
// (docs/PERFORMANCE.md, "Before and after"). Build it once against each Keel checkout, each into
// its own scratch folder, then run the binaries alternately on fresh copies of one fixture:
//
//   KEEL_PATH=/path/to/old-checkout swift build -c release --scratch-path /tmp/driver-old
//   swift build -c release --scratch-path /tmp/driver-new          # this checkout
//   /tmp/driver-old/release/state-driver /tmp/copy.sqlite --blocks 64 --prune-every 32

/// The Keel checkout to build against: `KEEL_PATH`, or the one this folder is in.
let keelPath = ProcessInfo.processInfo.environment["KEEL_PATH"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
/// SwiftPM names a path dependency after its folder.
let keelName = URL(fileURLWithPath: keelPath).lastPathComponent
/// Checkouts since the state store left KeelCore have it in a module of its own.
let hasStateModule = FileManager.default.fileExists(atPath: keelPath + "/Sources/KeelState")

let package = Package(
    name: "StateDriver",
    dependencies: [.package(path: keelPath)],
    targets: [
        .executableTarget(name: "state-driver", dependencies: [.product(name: "KeelCore", package: keelName)]
                          + (hasStateModule ? [.product(name: "KeelState", package: keelName)] : []), path: "Sources"),
    ],
    swiftLanguageModes: [.v6]
)
