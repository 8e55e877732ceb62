import Foundation
import KeelCore

/// The node's data directory: created owner-only, locked while a node runs, and holding the admin token.
struct DataDirectory {
    let path: String
    private let lockDescriptor: Int32

    init(path: String) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw NodeStartError("cannot create the data directory \(path): \(error.localizedDescription)")
        }
        let lockPath = (path as NSString).appendingPathComponent("node.lock")
        let descriptor = open(lockPath, O_RDWR | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw NodeStartError("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw NodeStartError("another node is running on \(path) (it holds \(lockPath)); stop it or use another --data-dir")
        }
        lockDescriptor = descriptor
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// The admin token: read from `admin.token`, or made (32 random bytes, hex) and written with
    /// mode 0600 at first start. A token file readable by others is refused.
    func adminToken() throws -> String {
        let tokenPath = file("admin.token")
        if FileManager.default.fileExists(atPath: tokenPath) {
            let attributes = try FileManager.default.attributesOfItem(atPath: tokenPath)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
            guard mode & 0o077 == 0 else {
                throw NodeStartError("\(tokenPath) is readable by others (mode \(String(mode, radix: 8))); run `chmod 600 \(tokenPath)`")
            }
            let text = try String(contentsOfFile: tokenPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.count >= 32 else { throw NodeStartError("\(tokenPath) holds no token; delete it to make a new one") }
            return text
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: .min ... .max, using: &generator) }
        let token = Hex.encode(bytes, prefix: false)
        let descriptor = open(tokenPath, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw NodeStartError("cannot write \(tokenPath): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let line = Array((token + "\n").utf8)
        guard write(descriptor, line, line.count) == line.count, fsync(descriptor) == 0 else {
            throw NodeStartError("cannot write \(tokenPath): \(String(cString: strerror(errno)))")
        }
        return token
    }

    func unlock() {
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
    }
}
