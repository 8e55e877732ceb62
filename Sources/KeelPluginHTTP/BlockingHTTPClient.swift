import Foundation

/// A small blocking HTTP/1.1 client: one connection per request (`Connection: close`), every wait
/// bounded by one deadline per request (connecting, sending and receiving together).
///
/// The plugin ABI is synchronous and the kernel calls plugins off its event loops, so a plain
/// socket is the simplest robust fit: no event loop, no second copy of SwiftNIO in the process.
/// Safe to use from any number of threads at once (nothing is shared between requests).
public struct BlockingHTTPClient: Sendable {
    public let endpoint: HTTPEndpoint
    public let timeoutMilliseconds: UInt64
    /// The `User-Agent` header, e.g. `keel-altda/1.0`.
    public let userAgent: String

    public init(endpoint: HTTPEndpoint, timeoutMilliseconds: UInt64, userAgent: String) {
        self.endpoint = endpoint
        self.timeoutMilliseconds = timeoutMilliseconds
        self.userAgent = userAgent
    }

    /// Sends `method path` (the path is appended to the endpoint's base path) with `body` as
    /// `application/octet-stream`, and reads the answer, refusing a body over `maxResponseBytes`.
    public func exchange(_ method: String, _ path: String, body: [UInt8]? = nil, maxResponseBytes: Int) throws(HTTPTransportError) -> HTTPReply {
        let deadline = Deadline.after(milliseconds: timeoutMilliseconds)
        let connection = try SocketConnection.open(host: endpoint.host, port: endpoint.port, deadline: deadline)
        var head = "\(method) \(endpoint.basePath)\(path) HTTP/1.1\r\n"
        head += "Host: \(endpoint.authority)\r\nUser-Agent: \(userAgent)\r\nAccept: */*\r\nConnection: close\r\n"
        if let body {
            head += "Content-Type: application/octet-stream\r\nContent-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        var reader = HTTPResponseReader(connection: connection, deadline: deadline, maxBodyBytes: maxResponseBytes)
        do throws(HTTPTransportError) {
            try Array(head.utf8).withUnsafeBytes { bytes in
                Result { () throws(HTTPTransportError) in try connection.send(bytes, until: deadline) }
            }.get()
            if let body {
                try body.withUnsafeBytes { bytes in
                    Result { () throws(HTTPTransportError) in try connection.send(bytes, until: deadline) }
                }.get()
            }
        } catch where error.kind == .broken {
            // A server may answer (413, 400) and close before reading the whole body: read that answer.
            if let early = try? reader.read(method: method) { return early }
            throw error
        }
        return try reader.read(method: method)
    }
}
