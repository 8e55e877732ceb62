import Foundation
import KeelPluginKit

/// da {{NAME}}: a content-addressed DA provider that keeps each blob in a file named by its hash.
///
/// Written by `keel new plugin --kind da --lang swift`. It is complete, builds with `swift build`,
/// and passes Keel's DA conformance suite (`swift test`). Make it yours:
///
/// - REPLACE where blobs live. This provider writes files into a local folder (`dir`), which only
///   this machine can read. A real provider stores blobs where every node can fetch them (a DA
///   service, a committee, erasure-coded peers) and returns from `submit` only once they are there.
/// - REPLACE the provider id 0x80. Ids below 0x80 are Keel's own; pick one from 0x80–0xFF and
///   document it, since every commitment starts with it.
/// - KEEP the check in `retrieve`: never hand back bytes that do not match their commitment.
///
/// Commitment: the provider id byte, then `keccak256(blob)`: 33 bytes. The same blob always gives
/// the same commitment, and Keccak-256 is collision-resistant, so a commitment names one blob.
/// Config: `dir` (default `DATA_DIR/da-{{NAME}}`), `max_blob_bytes` (default 16 MiB, at most 64 MiB).
/// Thread-safe: the instance holds only constants, and each file is written atomically.
final class {{TYPE}}: DAProvider, Sendable {
    static let name = "{{NAME}}"
    static let version = "0.1.0"
    /// `da:offchain`: the data is held away from the settlement layer (validium, optimium).
    static let capabilities = ["thread-safe", "da:offchain"]
    static let providerID: UInt8 = 0x80 // REPLACE: your provider's id, 0x80–0xFF
    static let largestBlobSize: UInt64 = 64 << 20

    let maxBlobSize: UInt64
    private let folder: URL

    init(config: PluginConfig, host: PluginHostServices) throws(PluginError) {
        try config.allowKeys(["dir", "max_blob_bytes"])
        let dir = try config.string("dir", default: host.dataDirectory + "/da-{{NAME}}")
        maxBlobSize = try config.uint64("max_blob_bytes", default: 16 << 20)
        guard maxBlobSize > 0, maxBlobSize <= Self.largestBlobSize else {
            throw PluginError.config("max_blob_bytes", "`max_blob_bytes` must be from 1 to \(Self.largestBlobSize)")
        }
        folder = URL(fileURLWithPath: dir, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw PluginError.config("dir", "cannot create the folder \(dir): \(error.localizedDescription); "
                                     + "set `dir` to a folder this node can write")
        }
    }

    func submit(_ blob: [UInt8]) throws(PluginError) -> [UInt8] {
        guard UInt64(blob.count) <= maxBlobSize else {
            throw PluginError(.tooLarge, "the blob is \(blob.count) bytes; this provider takes at most \(maxBlobSize) (max_blob_bytes)")
        }
        let hash = Keccak256.hash(blob)
        let file = path(for: hash)
        // A blob already stored under its hash is the same blob: nothing to write.
        if (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) != blob.count {
            do {
                // .atomic writes a temporary file and renames it: a crash leaves no half-written blob.
                try Data(blob).write(to: file, options: .atomic)
            } catch {
                throw PluginError(.unavailable, "cannot write \(file.path): \(error.localizedDescription)")
            }
        }
        return [Self.providerID] + hash.bytes
    }

    func retrieve(_ commitment: [UInt8]) throws(PluginError) -> [UInt8] {
        guard commitment.count == 33, commitment[0] == Self.providerID, let hash = Hash32(bytes: commitment[1...]) else {
            throw PluginError(.invalidArgument, "not a {{NAME}} commitment: expected 33 bytes starting 0x80, got \(commitment.count) bytes")
        }
        let file = path(for: hash)
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw PluginError(.notFound, "no blob for commitment \(Hex.encode(commitment)) in \(folder.path)")
        }
        let blob: [UInt8]
        do {
            blob = [UInt8](try Data(contentsOf: file))
        } catch {
            throw PluginError(.unavailable, "cannot read \(file.path): \(error.localizedDescription)")
        }
        guard Keccak256.hash(blob) == hash else {
            throw PluginError(.corrupt, "the stored blob \(file.path) does not match its commitment; the file was damaged")
        }
        return blob
    }

    func health() -> DAHealth {
        let writable = FileManager.default.isWritableFile(atPath: folder.path)
        return DAHealth(healthy: writable, detail: writable ? "ok: \(folder.path)" : "cannot write \(folder.path)")
    }

    /// `DIR/<64 hex digits>.blob`.
    private func path(for hash: Hash32) -> URL {
        folder.appendingPathComponent(Hex.encode(hash.bytes, prefix: false) + ".blob")
    }
}

@_cdecl("keel_plugin_entry_v1")
public func keelPluginEntry() -> UnsafeRawPointer { PluginExport.descriptor(for: {{TYPE}}.self) }
