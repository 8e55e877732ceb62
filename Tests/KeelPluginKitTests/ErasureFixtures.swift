import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting

/// An `erasure` store over `k + m` fresh directories, opened through the plugin library as the
/// kernel opens it.
struct ErasureStore {
    let folder: String
    let dataChunks: Int
    let parityChunks: Int
    let locations: [String]
    let maxBlobBytes: Int

    init(_ label: String, dataChunks: Int = 4, parityChunks: Int = 2, maxBlobBytes: Int = 3_000_000) throws {
        folder = try TestProcess.temporaryFolder(label)
        self.dataChunks = dataChunks
        self.parityChunks = parityChunks
        self.maxBlobBytes = maxBlobBytes
        let folder = folder
        locations = (0..<(dataChunks + parityChunks)).map { "\(folder)/location-\($0)" }
    }

    var totalChunks: Int { dataChunks + parityChunks }

    /// The plugin library from the build folder.
    static func library() throws -> PluginLibrary {
        try PluginCatalog(searchPath: PluginSearchPath(directories: [PluginUnderTest.buildDirectory]))
            .resolve(kind: .da, name: "erasure", constraint: nil).get()
    }

    /// The config JSON, with `locations` in the given order.
    func config(locations: [String]? = nil) -> String {
        let list = (locations ?? self.locations).map { "\"\($0)\"" }.joined(separator: ", ")
        return #"{"data_chunks": \#(dataChunks), "parity_chunks": \#(parityChunks), "locations": [\#(list)], "max_blob_bytes": \#(maxBlobBytes)}"#
    }

    /// A new instance over the same directories (as after a restart).
    func client(locations: [String]? = nil) throws -> DAClient {
        DAClient(try PluginUnderTest.create(path: try Self.library().path, configJSON: config(locations: locations),
                                            dataDirectory: folder))
    }

    /// Where chunk `index` of `commitment` is stored.
    func chunkFile(_ commitment: [UInt8], _ index: Int) -> String {
        "\(locations[index])/\(Hex.encode(commitment, prefix: false)).chunk"
    }

    func deleteChunk(_ commitment: [UInt8], _ index: Int) throws {
        try FileManager.default.removeItem(atPath: chunkFile(commitment, index))
    }

    /// Flips one bit of the last byte of chunk `index`'s file (a byte of the chunk itself).
    func corruptChunk(_ commitment: [UInt8], _ index: Int) throws {
        let path = chunkFile(commitment, index)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 1] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// `count` bytes that differ from call to call of one test but repeat across runs.
    static func blob(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }
}

/// The plugin's refusal of a call, or nil if the call succeeded.
func erasureRefusal(_ body: () throws -> Void) -> PluginCallError? {
    do {
        try body()
        return nil
    } catch {
        return error as? PluginCallError
    }
}
