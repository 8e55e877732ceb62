import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A point in monotonic time after which a request has failed.
struct Deadline: Sendable {
    let uptimeNanoseconds: UInt64

    static func after(milliseconds: UInt64) -> Deadline {
        Deadline(uptimeNanoseconds: DispatchTime.now().uptimeNanoseconds &+ milliseconds * 1_000_000)
    }

    /// Milliseconds left (rounded up), 0 once passed; capped to fit `poll`.
    var remainingMilliseconds: Int32 {
        let now = DispatchTime.now().uptimeNanoseconds
        guard now < uptimeNanoseconds else { return 0 }
        return Int32(min((uptimeNanoseconds - now + 999_999) / 1_000_000, UInt64(Int32.max)))
    }
}

/// A failure below HTTP: the server could not be reached, did not answer in time, or broke the
/// connection or the protocol.
public struct HTTPTransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case unreachable, timeout, broken, badResponse, tooLarge }
    public let kind: Kind
    public let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

/// One non-blocking TCP connection whose every wait is bounded by a deadline (`poll`).
/// Closed when released.
final class SocketConnection {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    /// Connects to the first address of `host` that accepts, before `deadline`.
    static func open(host: String, port: UInt16, deadline: Deadline) throws(HTTPTransportError) -> SocketConnection {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let first = found else {
            throw HTTPTransportError(.unreachable, "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var lastProblem = "no address"
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            let descriptor = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else {
                lastProblem = describe(errno)
                continue
            }
            let connection = SocketConnection(descriptor: descriptor)
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            if connect(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
                guard errno == EINPROGRESS || errno == EINTR else {
                    lastProblem = describe(errno)
                    continue
                }
                guard try connection.wait(for: Int16(POLLOUT), until: deadline) else {
                    throw HTTPTransportError(.timeout, "connecting took too long")
                }
                var problem: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &problem, &length) == 0, problem == 0 else {
                    lastProblem = describe(problem)
                    continue
                }
            }
            var on: Int32 = 1
            _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            return connection
        }
        throw HTTPTransportError(.unreachable, lastProblem)
    }

    /// Sends every byte of `bytes`.
    func send(_ bytes: UnsafeRawBufferPointer, until deadline: Deadline) throws(HTTPTransportError) {
        guard let base = bytes.baseAddress else { return }
        var sent = 0
        while sent < bytes.count {
            let count = Glibc.send(descriptor, base + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            if count > 0 {
                sent += count
            } else if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                guard try wait(for: Int16(POLLOUT), until: deadline) else { throw HTTPTransportError(.timeout, "sending took too long") }
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                throw HTTPTransportError(.broken, "the connection broke while sending: \(Self.describe(errno))")
            }
        }
    }

    /// Receives into `space`; returns how many bytes came, 0 at the end of the stream.
    func receive(into space: UnsafeMutableRawBufferPointer, until deadline: Deadline) throws(HTTPTransportError) -> Int {
        while true {
            let count = recv(descriptor, space.baseAddress, space.count, 0)
            if count >= 0 { return count }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                guard try wait(for: Int16(POLLIN), until: deadline) else {
                    throw HTTPTransportError(.timeout, "waiting for the answer took too long")
                }
            } else if errno != EINTR {
                throw HTTPTransportError(.broken, "the connection broke while receiving: \(Self.describe(errno))")
            }
        }
    }

    /// Waits until the socket is ready for `events`; false when the deadline passes first.
    private func wait(for events: Int16, until deadline: Deadline) throws(HTTPTransportError) -> Bool {
        while true {
            let remaining = deadline.remainingMilliseconds
            guard remaining > 0 else { return false }
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&entry, 1, remaining)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { throw HTTPTransportError(.broken, "poll failed: \(Self.describe(errno))") }
        }
    }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

private func describe(_ code: Int32) -> String { SocketConnection.describe(code) }
