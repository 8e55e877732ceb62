import Foundation

/// An HTTP answer: the status and the body (de-chunked).
public struct HTTPReply: Sendable {
    public let status: Int
    public let body: [UInt8]

    /// The start of the body as text, for messages (servers put their reason there).
    public var excerpt: String {
        let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(empty body)" : (body.count > 200 ? text + "…" : text)
    }
}

/// Reads one HTTP/1.1 response from a connection: the status line, the headers, and a body framed
/// by `Content-Length`, by chunked transfer coding, or by the end of the stream. Interim (1xx)
/// responses are skipped.
struct HTTPResponseReader {
    private let connection: SocketConnection
    private let deadline: Deadline
    private let maxBodyBytes: Int
    private var buffer: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 256 << 10)
    private var start = 0
    private var ended = false

    static let maxLineBytes = 16 << 10
    static let maxHeaders = 100

    init(connection: SocketConnection, deadline: Deadline, maxBodyBytes: Int) {
        self.connection = connection
        self.deadline = deadline
        self.maxBodyBytes = maxBodyBytes
    }

    mutating func read(method: String) throws(HTTPTransportError) -> HTTPReply {
        while true {
            let statusLine = try line()
            let parts = statusLine.split(separator: " ", maxSplits: 2)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...999).contains(status) else {
                throw HTTPTransportError(.badResponse, "the status line is not HTTP/1.x: \(statusLine.prefix(80))")
            }
            var contentLength: Int?
            var chunked = false
            var count = 0
            while true {
                let header = try line()
                if header.isEmpty { break }
                count += 1
                guard count <= Self.maxHeaders else { throw HTTPTransportError(.badResponse, "more than \(Self.maxHeaders) headers") }
                guard let colon = header.firstIndex(of: ":") else { continue }
                let name = header[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if name == "content-length" {
                    guard let length = Int(value), length >= 0 else { throw HTTPTransportError(.badResponse, "Content-Length is not a number: \(value)") }
                    contentLength = length
                } else if name == "transfer-encoding" {
                    chunked = value.lowercased().split(separator: ",").last?.trimmingCharacters(in: .whitespaces) == "chunked"
                }
            }
            if (100..<200).contains(status) { continue }
            if method == "HEAD" || status == 204 || status == 304 { return HTTPReply(status: status, body: []) }
            if chunked { return HTTPReply(status: status, body: try chunkedBody()) }
            if let contentLength {
                guard contentLength <= maxBodyBytes else { throw tooLong(contentLength) }
                return HTTPReply(status: status, body: try take(contentLength))
            }
            return HTTPReply(status: status, body: try rest())
        }
    }

    private mutating func chunkedBody() throws(HTTPTransportError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try line()
            let digits = sizeLine.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces)
            guard let size = Int(digits, radix: 16), size >= 0 else { throw HTTPTransportError(.badResponse, "a chunk size is not hex: \(sizeLine.prefix(40))") }
            if size == 0 {
                while try !line().isEmpty {}
                return body
            }
            guard body.count + size <= maxBodyBytes else { throw tooLong(body.count + size) }
            body += try take(size)
            guard try line().isEmpty else { throw HTTPTransportError(.badResponse, "a chunk does not end with CRLF") }
        }
    }

    /// One line without its CRLF (a bare LF is accepted too).
    private mutating func line() throws(HTTPTransportError) -> String {
        var searched = start
        while true {
            if let newline = buffer[searched...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let text = String(decoding: buffer[start..<end], as: UTF8.self)
                start = newline + 1
                return text
            }
            searched = buffer.count
            guard buffer.count - start <= Self.maxLineBytes else { throw HTTPTransportError(.badResponse, "a header line is longer than \(Self.maxLineBytes) bytes") }
            guard try fill() else { throw HTTPTransportError(.broken, "the server closed the connection in the middle of the response headers") }
        }
    }

    /// Exactly `count` bytes.
    private mutating func take(_ count: Int) throws(HTTPTransportError) -> [UInt8] {
        while buffer.count - start < count {
            guard try fill() else {
                throw HTTPTransportError(.broken, "the server closed the connection after \(buffer.count - start) of \(count) body bytes")
            }
        }
        let bytes = Array(buffer[start..<(start + count)])
        start += count
        return bytes
    }

    /// Everything up to the end of the stream.
    private mutating func rest() throws(HTTPTransportError) -> [UInt8] {
        while try fill() {
            guard buffer.count - start <= maxBodyBytes else { throw tooLong(buffer.count - start) }
        }
        let bytes = Array(buffer[start...])
        start = buffer.count
        return bytes
    }

    /// Reads more; false at the end of the stream.
    private mutating func fill() throws(HTTPTransportError) -> Bool {
        guard !ended else { return false }
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        let connection = self.connection, deadline = self.deadline
        let count = try scratch.withUnsafeMutableBytes { space in
            Result { () throws(HTTPTransportError) in try connection.receive(into: space, until: deadline) }
        }.get()
        if count == 0 { ended = true }
        buffer.append(contentsOf: scratch[0..<count])
        return count > 0
    }

    private func tooLong(_ size: Int) -> HTTPTransportError {
        HTTPTransportError(.tooLarge, "the response body is \(size) bytes, more than the \(maxBodyBytes) this client reads")
    }
}
