#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension PrivateKey {
    /// Loads a key from `path`: a file holding the key as `0x`-prefixed hex (64 digits), optionally
    /// followed by a newline.
    ///
    /// Refuses a file that anyone but its owner may read, write or run (its mode must be 0600 or
    /// stricter), a path that is not a regular file, and contents that are not a valid key. The
    /// mode is checked on the opened file, so the file cannot be swapped between check and read.
    public init(contentsOfFile path: String) throws(PrivateKeyFileError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw PrivateKeyFileError(path: path, reason: .unreadable(Self.systemMessage(errno)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw PrivateKeyFileError(path: path, reason: .unreadable(Self.systemMessage(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw PrivateKeyFileError(path: path, reason: .notARegularFile) }
        let mode = UInt32(status.st_mode) & 0o777
        guard mode & 0o077 == 0 else { throw PrivateKeyFileError(path: path, reason: .permissionsTooOpen(mode: mode)) }
        // A key file is 66 characters and a newline; anything far longer is not a key file.
        var buffer = [UInt8](repeating: 0, count: 256)
        defer { for index in buffer.indices { buffer[index] = 0 } }
        var filled = 0
        while filled < buffer.count {
            let count = buffer.withUnsafeMutableBytes { raw in
                read(descriptor, raw.baseAddress! + filled, raw.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw PrivateKeyFileError(path: path, reason: .unreadable(Self.systemMessage(errno)))
            }
            if count == 0 { break }
            filled += count
        }
        guard filled < buffer.count else { throw PrivateKeyFileError(path: path, reason: .malformed) }
        let text = String(decoding: buffer[..<filled], as: UTF8.self).trimmingASCIIWhitespace()
        guard text.hasPrefix("0x") || text.hasPrefix("0X") else { throw PrivateKeyFileError(path: path, reason: .malformed) }
        do {
            try self.init(hex: text)
        } catch {
            throw PrivateKeyFileError(path: path, reason: .malformed)
        }
    }

    private static func systemMessage(_ code: Int32) -> String {
        guard let message = strerror(code) else { return "error \(code)" }
        return String(cString: message)
    }
}

/// Why a private key file was refused. The message names the file and says what to do.
public struct PrivateKeyFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The reasons, as cases a caller can switch over.
    public enum Reason: Hashable, Sendable {
        /// The file could not be opened or read (the system's message).
        case unreadable(String)
        /// The path is a directory, device or other non-regular file.
        case notARegularFile
        /// Group or others have some permission on the file (`mode` is its permission bits).
        case permissionsTooOpen(mode: UInt32)
        /// The contents are not `0x` and 64 hex digits of a valid secp256k1 key.
        case malformed
    }

    /// The file as it was named.
    public let path: String
    /// What was wrong.
    public let reason: Reason

    public var description: String {
        switch reason {
        case .unreadable(let message):
            "cannot read private key file \(path): \(message)"
        case .notARegularFile:
            "private key file \(path) is not a regular file; point to the file holding the key"
        case .permissionsTooOpen(let mode):
            "private key file \(path) is accessible by group or others (mode 0\(String(mode, radix: 8))); "
                + "it must be 0600 or stricter: run `chmod 600 \(path)`"
        case .malformed:
            "private key file \(path) does not hold a private key: expected 0x followed by 64 hex digits "
                + "(a nonzero number below the secp256k1 curve order)"
        }
    }
}
