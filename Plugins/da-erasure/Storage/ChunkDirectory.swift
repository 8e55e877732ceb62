import Foundation

/// A location that is a directory: one file per commitment, `<commitment hex>.chunk`, written to a
/// temporary name, fsynced, renamed into place and the directory fsynced, so a crash leaves either
/// the whole record or none.
struct ChunkDirectory: Sendable {
    /// The absolute path.
    let path: String
    /// As the manifest wrote it, for messages.
    let written: String

    /// Resolves `written` against the working directory and creates the directory.
    init(_ written: String) throws(ChunkStoreError) {
        self.written = written
        let path = written.hasPrefix("/") ? written : FileManager.default.currentDirectoryPath + "/" + written
        self.path = (path as NSString).standardizingPath
        do {
            try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
        } catch {
            throw ChunkStoreError("create the directory", self.path, error.localizedDescription)
        }
    }

    func filePath(_ name: String) -> String { path + "/" + name }

    /// The bytes of `name`, or nil when there is no such file.
    func read(_ name: String) throws(ChunkStoreError) -> [UInt8]? {
        let descriptor = open(filePath(name), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw ChunkStoreError("open", filePath(name), String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw ChunkStoreError("stat", filePath(name), String(cString: strerror(errno)))
        }
        let size = Int(status.st_size)
        var failure: ChunkStoreError?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let got = Foundation.read(descriptor, buffer.baseAddress! + done, size - done)
                if got < 0, errno == EINTR { continue }
                guard got > 0 else {
                    failure = ChunkStoreError("read", filePath(name), got == 0 ? "it ended early" : String(cString: strerror(errno)))
                    break
                }
                done += got
            }
            count = done
        }
        if let failure { throw failure }
        return bytes
    }

    /// Whether `name` exists.
    func exists(_ name: String) -> Bool { access(filePath(name), F_OK) == 0 }

    /// Writes `parts` (concatenated) as `name`, durably and atomically.
    func write(_ name: String, _ parts: [ArraySlice<UInt8>]) throws(ChunkStoreError) {
        let temporary = filePath(".\(name).\(UUID().uuidString).tmp")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ChunkStoreError("create", temporary, String(cString: strerror(errno)))
        }
        var failure: String?
        for part in parts where failure == nil {
            part.withUnsafeBytes { bytes in
                var done = 0
                while done < bytes.count {
                    let wrote = Foundation.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
                    if wrote < 0, errno == EINTR { continue }
                    guard wrote > 0 else {
                        failure = String(cString: strerror(errno))
                        return
                    }
                    done += wrote
                }
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary, filePath(name)) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw ChunkStoreError("write", filePath(name), failure)
        }
        syncDirectory()
    }

    /// Fsyncs the directory, so the rename itself survives a crash.
    private func syncDirectory() {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Why `submit` could not write here now (`is gone`, `is not writable`), or nil when it can.
    func writeProblem() -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "is gone" }
        guard isDirectory.boolValue else { return "is not a directory" }
        return access(path, W_OK) == 0 ? nil : "is not writable"
    }
}

/// A location could not be read or written: what was tried, on which file, and the system's reason.
struct ChunkStoreError: Error, Sendable, CustomStringConvertible {
    let action: String
    let path: String
    /// The system's words (`No space left on device`).
    let reason: String

    init(_ action: String, _ path: String, _ reason: String) {
        self.action = action
        self.path = path
        self.reason = reason
    }

    var description: String { "cannot \(action) \(path): \(reason)" }
}
