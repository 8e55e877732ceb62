import Dispatch
import Foundation
import KeelCore
import KeelJSONRPC
import KeelKernel

/// The disk behind `keel da-server`: an instance of the `file` DA plugin, loaded from its library
/// like the node loads it, so that the server's folder has exactly the `file` provider's layout
/// (`DIR/<2 hex>/<keccak hex>`, fsync'd and renamed atomically) and either can read the other's.
///
/// Plugin calls block on the disk; they run on Dispatch's global queue, off the server's event loops.
struct DAServerStore: Sendable {
    let client: DAClient
    let directory: String

    /// Loads the `file` plugin found beside `keel` (or in `KEEL_PLUGIN_PATH`) over `directory`.
    static func open(directory: String, maxBlobBytes: UInt64) throws -> DAServerStore {
        let catalog = PluginCatalog(searchPath: .standard())
        let library: PluginLibrary
        switch catalog.resolve(kind: .da, name: "file", constraint: nil) {
        case .success(let found): library = found
        case .failure(let error):
            throw UserError("keel da-server stores blobs with the `file` DA plugin (libkeel-da-file.so), which it cannot load: \(error)")
        }
        let config = JSONText.compact(.object(["dir": .string(directory), "max_blob_bytes": .number(String(maxBlobBytes))]))
        do {
            let services = HostServices(dataDirectory: directory, chainID: 0)
            return DAServerStore(client: DAClient(try PluginInstance(library: library, configJSON: config, services: services)),
                                 directory: directory)
        } catch {
            let option = error.configPath == "max_blob_bytes" ? "--max-blob-bytes" : "--dir"
            throw UserError("\(option): \(error.message)")
        }
    }

    /// Stores `blob`; returns its keccak256 (the `file` commitment without its id byte).
    func put(_ blob: [UInt8]) async -> Result<[UInt8], PluginCallError> {
        await offload { Result { () throws(PluginCallError) in Array(try client.submit(blob).dropFirst()) } }
    }

    /// The blob whose keccak256 is `hash`, checked against it.
    func get(hash: [UInt8]) async -> Result<[UInt8], PluginCallError> {
        await offload { Result { () throws(PluginCallError) in try client.retrieve([0x02] + hash) } }
    }

    private func offload<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}
