import Foundation
import KeelKernel
import Synchronization

/// A fresh data directory under the system's temporary folder, removed when the test is done.
final class FlagDataDirectory {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("keel-flags-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Opens the flags over this directory, as a node does at start.
    func open(_ definitions: [FlagDefinition] = FlagFixtures.definitions, minimumLead: UInt64 = 100,
              clock: FlagTestClock = FlagTestClock()) throws -> FeatureFlags {
        try FeatureFlags(definitions: definitions, dataDirectory: path, minimumLead: minimumLead, clock: clock.read)
    }
}

/// A clock the test moves by hand, so audit times can be checked exactly.
final class FlagTestClock: Sendable {
    private let now: Mutex<Int64>

    init(startingAt milliseconds: Int64 = 1_700_000_000_000) {
        now = Mutex(milliseconds)
    }

    var read: @Sendable () -> Int64 { { self.now.withLock { $0 } } }

    func set(_ milliseconds: Int64) {
        now.withLock { $0 = milliseconds }
    }
}

enum FlagFixtures {
    /// A manifest's `features:`: one consensus flag at 1000, one rollout flag at 10% of senders.
    static let definitions = [
        FlagDefinition(name: "batch-codec-brotli", rule: .consensus(activateAtHeight: 1000)),
        FlagDefinition(name: "priority-lane", rule: .rollout(basisPoints: 1000, subject: .sender)),
    ]

    /// `count` distinct 20-byte subjects, the way addresses look to the bucket function.
    static func subjects(_ count: Int) -> [[UInt8]] {
        (0..<count).map { index in
            var bytes = [UInt8](repeating: 0x5A, count: 20)
            withUnsafeBytes(of: UInt64(index).bigEndian) { bytes.replaceSubrange(12..<20, with: $0) }
            return bytes
        }
    }
}
