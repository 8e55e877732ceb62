import Foundation
import KeelCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A committee member's blobs on disk, content-addressed: `DIR/blobs/<keccak256 in hex>`.
///
/// A blob is written to `DIR/tmp/`, fsynced, renamed into place and the folder fsynced, so a
/// crash leaves either the whole blob under its name or nothing: a member signs only after the
/// blob is durable. Storing a blob that is already there (intact) writes nothing.
struct DACBlobStore: Sendable {
    let directory: String
    private var blobs: String { directory + "/blobs" }
    private var scratch: String { directory + "/tmp" }

    /// Opens (creating if needed) the store under `directory`; throws a sentence for the user.
    init(directory: String) throws(UserError) {
        self.directory = directory
        do {
            for folder in [directory + "/blobs", directory + "/tmp"] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
        } catch {
            throw UserError("cannot create the member's blob folder under \(directory): \(error.localizedDescription); choose a --dir you can write to")
        }
        guard access(blobs, W_OK) == 0 else {
            throw UserError("cannot write to \(blobs): \(String(cString: strerror(errno))); choose a --dir you can write to")
        }
    }

    /// Where the blob with `hash` lives.
    func path(of hash: Hash32) -> String { blobs + "/" + Hex.encode(hash.bytes, prefix: false) }

    /// Stores `blob` under `hash` (its keccak256) durably. Throws a sentence on a disk failure.
    func store(_ blob: [UInt8], hash: Hash32) throws(DACStoreFailure) {
        let final = path(of: hash)
        if let existing = FileManager.default.contents(atPath: final), Keccak256.hash([UInt8](existing)) == hash { return }
        let temporary = scratch + "/" + UUID().uuidString
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw DACStoreFailure("cannot create \(temporary)") }
        var closed = false
        defer {
            if !closed { close(descriptor) }
            unlink(temporary)
        }
        var written = 0
        while written < blob.count {
            let count = blob.withUnsafeBytes { raw in raw.baseAddress.map { write(descriptor, $0 + written, raw.count - written) } ?? 0 }
            if count < 0 {
                if errno == EINTR { continue }
                throw DACStoreFailure("cannot write \(temporary)")
            }
            written += count
        }
        guard fsync(descriptor) == 0 else { throw DACStoreFailure("cannot fsync \(temporary)") }
        closed = true
        guard close(descriptor) == 0 else { throw DACStoreFailure("cannot close \(temporary)") }
        guard rename(temporary, final) == 0 else { throw DACStoreFailure("cannot rename \(temporary) to \(final)") }
        try syncFolder(blobs)
    }

    /// The blob stored under `hash`, or nil if there is none. A stored copy that no longer matches
    /// its hash (a damaged disk) throws, so the member never serves it.
    func blob(_ hash: Hash32) throws(DACStoreFailure) -> [UInt8]? {
        let file = path(of: hash)
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        guard let data = FileManager.default.contents(atPath: file) else { throw DACStoreFailure("cannot read \(file)") }
        let bytes = [UInt8](data)
        guard Keccak256.hash(bytes) == hash else {
            throw DACStoreFailure("the stored copy \(file) no longer matches its hash (damaged disk?); it is not served", systemReason: false)
        }
        return bytes
    }

    /// The number of blobs stored (for /health).
    func count() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: blobs).count) ?? 0
    }

    private func syncFolder(_ folder: String) throws(DACStoreFailure) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw DACStoreFailure("cannot open \(folder)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw DACStoreFailure("cannot fsync \(folder)") }
    }
}

/// A disk failure of the member's store, with the system's reason.
struct DACStoreFailure: Error, CustomStringConvertible {
    let description: String

    init(_ what: String, systemReason: Bool = true) {
        description = systemReason ? "\(what): \(String(cString: strerror(errno)))" : what
    }
}
