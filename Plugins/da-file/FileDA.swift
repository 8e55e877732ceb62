import Foundation
import KeelPluginKit

/// da file: batch blobs in a content-addressed folder, addressed by `0x02 ‖ keccak(blob)`
/// (docs/plugins/file.md).
///
/// Config: `dir` (default `DATA_DIR/da-file`; a relative path is taken from the node's working
/// directory), `max_blob_bytes` (default 16 MiB, at most 64 MiB).
/// Thread-safe: every write goes through its own temporary file and an atomic rename.
final class FileDA: DAProvider, Sendable {
    static let name = "file"
    static let version = "1.0.0"
    static let capabilities = ["thread-safe", "da:offchain"]
    static let providerID: UInt8 = 0x02
    static let largestBlobSize: UInt64 = 64 << 20
    static let commitmentSize = 33

    let maxBlobSize: UInt64
    private let directory: BlobDirectory

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        try config.allowKeys(["dir", "max_blob_bytes"])
        let dir = try config.string("dir", default: host.dataDirectory + "/da-file")
        guard !dir.isEmpty else { throw PluginError.config("dir", "must name a folder, not an empty string") }
        maxBlobSize = try config.uint64("max_blob_bytes", default: 16 << 20)
        guard maxBlobSize > 0, maxBlobSize <= Self.largestBlobSize else {
            throw PluginError.config("max_blob_bytes", "must be between 1 and \(Self.largestBlobSize) (64 MiB), not \(maxBlobSize)")
        }
        directory = BlobDirectory(root: dir)
        do {
            try directory.create()
        } catch {
            throw PluginError.config("dir", "cannot use \(error); give a folder this user may write")
        }
    }

    func submit(_ blob: [UInt8]) throws(PluginError) -> [UInt8] {
        guard UInt64(blob.count) <= maxBlobSize else {
            throw PluginError(.tooLarge, "the blob is \(blob.count) bytes; this provider takes at most \(maxBlobSize) (max_blob_bytes)")
        }
        let hash = Keccak256.hash(blob).bytes
        do {
            try directory.store(blob, as: Hex.encode(hash, prefix: false))
        } catch {
            throw PluginError(.unavailable, "cannot store the blob: \(error)")
        }
        return [Self.providerID] + hash
    }

    func retrieve(_ commitment: [UInt8]) throws(PluginError) -> [UInt8] {
        guard commitment.count == Self.commitmentSize, commitment[0] == Self.providerID else {
            throw PluginError(.invalidArgument,
                              "not a file commitment: expected 33 bytes starting 0x02, got \(commitment.count) bytes\(commitment.first.map { " starting \(Hex.encode([$0]))" } ?? "")")
        }
        let hash = Array(commitment[1...])
        let hex = Hex.encode(hash, prefix: false)
        let stored: [UInt8]?
        do {
            stored = try directory.blob(hex)
        } catch {
            throw PluginError(.unavailable, "cannot read the blob: \(error)")
        }
        guard let stored else {
            throw PluginError(.notFound, "no blob for commitment \(Hex.encode(commitment)) in \(directory.root)")
        }
        guard Keccak256.hash(stored).bytes == hash else {
            throw PluginError(.corrupt, "the file \(directory.file(for: hex)) does not hash to its name; the blob is damaged (restore it from another copy)")
        }
        return stored
    }

    func health() -> DAHealth {
        guard directory.isReadableAndWritable() else {
            return DAHealth(healthy: false, detail: "cannot read and write \(directory.root)")
        }
        guard let free = directory.freeBytes() else {
            return DAHealth(healthy: false, detail: "cannot read the free space of \(directory.root)")
        }
        guard free >= maxBlobSize else {
            return DAHealth(healthy: false, detail: "only \(free) bytes free under \(directory.root), less than one blob of max_blob_bytes \(maxBlobSize)")
        }
        return DAHealth(healthy: true, latencyMilliseconds: 0, detail: "ok: \(directory.root), \(free >> 20) MiB free")
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: FileDA.self) }
