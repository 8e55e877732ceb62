import Foundation
import KeelCore
@testable import KeelState

/// A state store in a fresh temporary folder, removed when the test is done with it.
final class TemporaryStateStore {
    let folder: URL
    var path: String { folder.appendingPathComponent("state.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("keel-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func open(_ options: StateStoreOptions = StateStoreOptions()) throws -> StateStore {
        try StateStore(path: path, options: options)
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Keys and values the state tests use: short readable keys, values of varied length (empty too).
enum StateSample {
    static func key(_ index: Int) -> [UInt8] { Array("key-\(index)".utf8) }

    static func value(_ seed: Int) -> [UInt8] {
        (0..<(seed % 7)).map { UInt8(truncatingIfNeeded: seed &* 31 &+ $0) }
    }

    /// The tree root of a model map, computed from the definition.
    static func root(of model: [[UInt8]: [UInt8]]) -> Hash32 {
        StateTree.root(ofEntries: model.map { (key: $0.key, value: $0.value) })
    }
}
