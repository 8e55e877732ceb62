import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// A JSON-RPC 2.0 client over HTTP, for the CLI, tests and load generators.
///
/// One client holds one `HTTPClient` with a keep-alive connection pool, so calls reuse
/// connections; it is safe to share between tasks, and concurrent calls use up to
/// `maxConnections` connections. Call `shutdown()` when done (a client that is dropped shuts
/// itself down).
///
/// An error response throws `RPCError`; no answer, or an answer that is not JSON-RPC, throws
/// `JSONRPCClientError` (`cannot reach the node at http://127.0.0.1:8545: connection refused; is
/// `keel up` running?`).
public final class JSONRPCClient: Sendable {
    /// The endpoint, e.g. `http://127.0.0.1:8545`.
    public let url: String
    private let http: HTTPClient
    private let headers: HTTPHeaders
    private let timeout: TimeAmount
    private let maxResponseBytes: Int
    private let nextID = Atomic<Int>(1)
    private let closed = Atomic<Bool>(false)

    /// A client for the node at `url`.
    ///
    /// - Parameters:
    ///   - bearerToken: sent as `Authorization: Bearer …` (the admin token, for `admin_*`).
    ///   - timeoutSeconds: how long one call may take, connecting included.
    ///   - maxConnections: how many connections concurrent calls may open.
    ///   - maxResponseBytes: the largest response body read.
    ///   - apiKey: sent as `X-API-Key`, the name a node's `client` rollout flags know this client by.
    public init(url: String, bearerToken: String? = nil, timeoutSeconds: Int64 = 30, maxConnections: Int = 8,
                maxResponseBytes: Int = 64 * 1024 * 1024, apiKey: String? = nil) {
        self.url = url
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = maxConnections
        // Fail at once when nothing listens, instead of retrying until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(min(timeoutSeconds, 10)), read: .seconds(timeoutSeconds))
        configuration.decompression = .disabled
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: "application/json")
        if let bearerToken { headers.add(name: "Authorization", value: "Bearer \(bearerToken)") }
        if let apiKey { headers.add(name: "X-API-Key", value: apiKey) }
        self.headers = headers
        self.timeout = .seconds(timeoutSeconds)
        self.maxResponseBytes = maxResponseBytes
    }

    deinit {
        if !closed.exchange(true, ordering: .acquiringAndReleasing) {
            http.shutdown { _ in }
        }
    }

    /// Calls `method` with positional `params`; returns the result, or throws the node's `RPCError`.
    public func call(_ method: String, _ params: [JSONValue] = []) async throws -> JSONValue {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        var writer = JSONWriter(reservingCapacity: 96 + method.utf8.count)
        JSONRPCRequest(id: .number(String(id)), method: method, params: .array(params)).write(to: &writer)
        let answer = try await post(writer.bytes)
        let response: JSONRPCResponse
        do {
            response = try JSONRPCResponse(answer)
        } catch {
            throw JSONRPCClientError(.badResponse, "the node at \(url) answered \(method) with something that is not JSON-RPC: \(error)")
        }
        return try response.outcome.get()
    }

    /// Sends `calls` as one JSON-RPC batch; returns each call's outcome in the order given.
    ///
    /// Throws only when the batch as a whole got no answer, or was refused as a whole (a batch over
    /// the node's size limit is one `RPCError`).
    public func batch(_ calls: [(String, [JSONValue])]) async throws -> [Result<JSONValue, RPCError>] {
        guard !calls.isEmpty else { return [] }
        let first = nextID.wrappingAdd(calls.count, ordering: .relaxed).oldValue
        var writer = JSONWriter(reservingCapacity: calls.count * 128)
        writer.writeASCII("[")
        for (offset, call) in calls.enumerated() {
            if offset > 0 { writer.writeASCII(",") }
            JSONRPCRequest(id: .number(String(first &+ offset)), method: call.0, params: .array(call.1)).write(to: &writer)
        }
        writer.writeASCII("]")
        let answer = try await post(writer.bytes)
        guard case .array(let items) = answer else {
            if let whole = try? JSONRPCResponse(answer), case .failure(let error) = whole.outcome { throw error }
            throw JSONRPCClientError(.badResponse, "the node at \(url) answered a batch with \(answer.kind), not an array of responses")
        }
        var outcomes = [Result<JSONValue, RPCError>?](repeating: nil, count: calls.count)
        for item in items {
            guard let response = try? JSONRPCResponse(item), case .number(let text) = response.id,
                  let id = Int(text), case let offset = id &- first, offset >= 0, offset < calls.count else { continue }
            outcomes[offset] = response.outcome
        }
        return outcomes.enumerated().map { offset, outcome in
            outcome ?? .failure(RPCError.internalError("the node at \(url) sent no response for call \(offset) (\(calls[offset].0)) of the batch"))
        }
    }

    /// Starts shutting the client down without waiting; later calls throw `JSONRPCClientError.shutDown`.
    public func shutdown() {
        if !closed.exchange(true, ordering: .acquiringAndReleasing) {
            http.shutdown { _ in }
        }
    }

    /// An HTTP answer as it came: the status and the body bytes.
    public struct RawReply: Sendable, Hashable {
        public var status: Int
        public var contentType: String?
        public var body: [UInt8]
    }

    /// POSTs `body` (JSON the caller encoded, e.g. a pre-built batch) and returns the answer unparsed.
    public func post(rawBody body: [UInt8]) async throws -> RawReply {
        let (response, buffer) = try await exchange(method: .POST, url: url, body: body)
        return RawReply(status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"),
                        body: Array(buffer.readableBytesView))
    }

    /// GETs `path` on the node (`/metrics`, `/health`) and returns the answer unparsed.
    public func get(path: String) async throws -> RawReply {
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        let (response, buffer) = try await exchange(method: .GET, url: base + path, body: nil)
        return RawReply(status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"),
                        body: Array(buffer.readableBytesView))
    }

    /// POSTs `body` and parses the answer as JSON.
    private func post(_ body: [UInt8]) async throws -> JSONValue {
        let (response, buffer) = try await exchange(method: .POST, url: url, body: body)
        let parsed = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(JSONParseError) in try JSONParser.parse(bytes, limits: .init(maxBytes: maxResponseBytes)) }
        }
        switch parsed {
        case .success(let value):
            return value
        case .failure(let error):
            let text = String(decoding: buffer.readableBytesView.prefix(200), as: UTF8.self)
            throw JSONRPCClientError(.badResponse, "the node at \(url) answered HTTP \(response.status.code) with a body that is not JSON (\(error)): \(text)")
        }
    }

    /// One HTTP exchange, with transport errors turned into `JSONRPCClientError`s.
    private func exchange(method: HTTPMethod, url: String, body: [UInt8]?) async throws -> (HTTPClientResponse, ByteBuffer) {
        guard !closed.load(ordering: .acquiring) else {
            throw JSONRPCClientError(.shutDown, "the JSON-RPC client for \(self.url) was shut down")
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw JSONRPCClientError(.unreachable, "\(url) is not a usable node URL; write it as http://HOST:PORT")
        }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers = headers
        if let body { request.body = .bytes(body) }
        do {
            let response = try await http.execute(request, timeout: timeout)
            return (response, try await response.body.collect(upTo: maxResponseBytes))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw JSONRPCClientError(.timeout, "the node at \(url) did not answer within \(timeout.nanoseconds / 1_000_000_000) seconds")
        } catch let error as HTTPClientError where error == .invalidURL || error == .emptyHost || error == .emptyScheme {
            throw JSONRPCClientError(.unreachable, "\(url) is not a usable node URL (\(error)); write it as http://HOST:PORT")
        } catch is NIOTooManyBytesError {
            throw JSONRPCClientError(.badResponse, "the node at \(url) sent a response over \(maxResponseBytes) bytes")
        } catch {
            throw JSONRPCClientError.unreachable(url, reason: JSONRPCClientError.reason(for: error))
        }
    }
}
