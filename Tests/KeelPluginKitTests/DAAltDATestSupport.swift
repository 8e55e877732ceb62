import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket bound to a free loopback port. Listening, it accepts connections into its backlog
/// and never answers them (a server that hangs); not listening, its port is one nobody serves once
/// it is released.
final class LoopbackListener {
    let descriptor: Int32
    let port: Int

    init(listening: Bool = true) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ListenerError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw ListenerError("bind: \(String(cString: strerror(errno)))")
        }
        if listening && listen(descriptor, 16) != 0 {
            close(descriptor)
            throw ListenerError("listen: \(String(cString: strerror(errno)))")
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// A loopback port that nothing listens on.
    static func freePort() throws -> Int { try LoopbackListener(listening: false).port }

    deinit { close(descriptor) }
}

struct ListenerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A one-thread HTTP server on loopback that answers each request with bytes a test writes by
/// hand (chunked bodies, interim answers, statuses OP's da-server sends), and records the requests.
final class CannedHTTPServer: @unchecked Sendable {
    // @unchecked: `recorded` is guarded by `lock`; the socket is accepted on by the serving thread only.
    struct Request: Sendable {
        /// The request line, e.g. `POST /put/0x00… HTTP/1.1`.
        let line: String
        /// Header names lowercased.
        let headers: [String: String]
        let body: [UInt8]
    }

    private let descriptor: Int32
    private let lock = NSLock()
    private var recorded: [Request] = []
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }
    var requests: [Request] { lock.withLock { recorded } }

    /// Serves until released; `answer` gives the raw response bytes for each request.
    init(answer: @escaping @Sendable (Request) -> [UInt8]) throws {
        let listener = try LoopbackListener()
        port = listener.port
        // The serving thread owns a duplicate of the socket and closes it when accept fails after
        // `shutdown`, so a later test's socket can never reuse a number this thread still uses.
        descriptor = dup(listener.descriptor)
        let descriptor = self.descriptor
        Thread.detachNewThread { [weak self] in
            while true {
                let connection = accept(descriptor, nil, nil)
                guard connection >= 0 else {
                    if errno == EINTR { continue }
                    close(descriptor)
                    return
                }
                if let request = Self.readRequest(connection) {
                    self?.lock.withLock { self?.recorded.append(request) }
                    let response = answer(request)
                    _ = response.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                }
                close(connection)
            }
        }
    }

    deinit { shutdown(descriptor, Int32(SHUT_RDWR)) }

    /// A response with `Content-Length`.
    static func response(_ status: String, _ body: [UInt8] = [], headers: [String] = []) -> [UInt8] {
        Array((["HTTP/1.1 \(status)", "Content-Length: \(body.count)"] + headers + ["", ""]).joined(separator: "\r\n").utf8) + body
    }

    /// A response with its body in chunks of `chunkSize` (chunked transfer coding).
    static func chunked(_ status: String, _ body: [UInt8], chunkSize: Int) -> [UInt8] {
        var bytes = Array("HTTP/1.1 \(status)\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        var offset = 0
        while offset < body.count {
            let chunk = body[offset..<min(offset + chunkSize, body.count)]
            bytes += Array("\(String(chunk.count, radix: 16));ext=1\r\n".utf8) + chunk + Array("\r\n".utf8)
            offset += chunk.count
        }
        return bytes + Array("0\r\n\r\n".utf8)
    }

    private static func readRequest(_ connection: Int32) -> Request? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        func more() -> Bool {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count > 0 { bytes += chunk[0..<count] }
            return count > 0
        }
        var headEnd: Int?
        while headEnd == nil {
            guard more() else { return nil }
            headEnd = bytes.indices.dropLast(3).first { bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10 }
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: bytes[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while bytes.count - (headEnd + 4) < length {
            guard more() else { return nil }
        }
        return Request(line: lines.first ?? "", headers: headers, body: Array(bytes[(headEnd + 4)...]))
    }
}
