import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A content-addressed folder of blobs: the blob whose keccak-256 is `h` lives at
/// `ROOT/<first two hex digits of h>/<64 hex digits of h>`.
///
/// A write goes to a temporary file beside its final name (`.tmp-…`), is fsync'd, renamed over the
/// final name (atomic on POSIX file systems) and the folder is fsync'd, so after a crash a blob is
/// either whole under its name or absent. Writers never share a temporary file, so any number of
/// threads or processes may write at once.
struct BlobDirectory: Sendable {
    let root: String

    /// The folder that holds the blob with hash `hex` (64 lowercase digits).
    func folder(for hex: String) -> String { root + "/" + hex.prefix(2) }

    /// The file that holds the blob with hash `hex`.
    func file(for hex: String) -> String { folder(for: hex) + "/" + hex }

    /// Makes the root folder if it is missing.
    func create() throws(BlobDirectoryError) {
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw BlobDirectoryError(path: root, "cannot create the folder: \(error.localizedDescription)")
        }
        var status = stat()
        guard stat(root, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw BlobDirectoryError(path: root, "is not a folder")
        }
    }

    /// The blob stored under `hex`, or nil when there is none.
    func blob(_ hex: String) throws(BlobDirectoryError) -> [UInt8]? {
        let path = file(for: hex)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw BlobDirectoryError(path: path, "cannot open: \(Self.describe(errno))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw BlobDirectoryError(path: path, "cannot stat: \(Self.describe(errno))") }
        let size = Int(status.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, size - filled) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw BlobDirectoryError(path: path, "cannot read: \(Self.describe(errno))") }
            if count == 0 { break }
            filled += count
        }
        return filled == size ? bytes : Array(bytes.prefix(filled))
    }

    /// Stores `blob` under `hex` durably, unless the same bytes are already there.
    func store(_ blob: [UInt8], as hex: String) throws(BlobDirectoryError) {
        let folder = folder(for: hex)
        if let existing = try? self.blob(hex), existing == blob {
            // Its bytes were fsync'd before the rename that named it; make sure the name is durable too.
            return try syncFolder(folder)
        }
        try makeFolder(folder)
        let temporary = folder + "/.tmp-" + hex + "-" + UUID().uuidString
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw BlobDirectoryError(path: temporary, "cannot create: \(Self.describe(errno))") }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        do throws(BlobDirectoryError) {
            try writeAll(blob, to: descriptor, path: temporary)
            guard fsync(descriptor) == 0 else { throw BlobDirectoryError(path: temporary, "cannot fsync: \(Self.describe(errno))") }
            closed = true
            guard close(descriptor) == 0 else { throw BlobDirectoryError(path: temporary, "cannot close: \(Self.describe(errno))") }
            guard rename(temporary, file(for: hex)) == 0 else {
                throw BlobDirectoryError(path: file(for: hex), "cannot rename \(temporary) onto it: \(Self.describe(errno))")
            }
        } catch {
            unlink(temporary)
            throw error
        }
        try syncFolder(folder)
    }

    /// Free bytes for an unprivileged writer on the root's file system.
    func freeBytes() -> UInt64? {
        var info = statvfs()
        guard statvfs(root, &info) == 0 else { return nil }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }

    /// Whether this process may read and write the root folder.
    func isReadableAndWritable() -> Bool { access(root, R_OK | W_OK | X_OK) == 0 }

    private func writeAll(_ blob: [UInt8], to descriptor: Int32, path: String) throws(BlobDirectoryError) {
        var written = 0
        while written < blob.count {
            let count = blob.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, blob.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw BlobDirectoryError(path: path, "cannot write: \(Self.describe(errno))") }
            written += count
        }
    }

    /// Makes a two-digit folder if missing; a new one is made durable in the root too.
    private func makeFolder(_ folder: String) throws(BlobDirectoryError) {
        if mkdir(folder, 0o755) == 0 {
            try syncFolder(root)
        } else if errno != EEXIST {
            throw BlobDirectoryError(path: folder, "cannot create the folder: \(Self.describe(errno))")
        }
    }

    /// fsync on a folder makes the names created in it (a rename's result) durable.
    private func syncFolder(_ folder: String) throws(BlobDirectoryError) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BlobDirectoryError(path: folder, "cannot open the folder to fsync it: \(Self.describe(errno))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw BlobDirectoryError(path: folder, "cannot fsync the folder: \(Self.describe(errno))") }
    }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// A file-system failure, naming the path.
struct BlobDirectoryError: Error, CustomStringConvertible {
    let path: String
    let problem: String

    init(path: String, _ problem: String) {
        self.path = path
        self.problem = problem
    }

    var description: String { "\(path): \(problem)" }
}
