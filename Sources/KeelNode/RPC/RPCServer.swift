import HTTPTypes
import Hummingbird
import KeelJSONRPC
import Logging
import NIOCore
import ServiceLifecycle

/// The node's HTTP server: JSON-RPC on `POST /`, Prometheus metrics on `GET /metrics`, and
/// `GET /health`. A swift-service-lifecycle `Service`: run it in the node's `ServiceGroup` and a
/// graceful shutdown (SIGTERM) stops it taking connections and lets requests in flight finish.
///
/// ```swift
/// let rpc = RPCServer(backend: node, host: "127.0.0.1", port: 0) { port in print("listening on \(port)") }
/// try await NodeRunner.run(node, rpc: rpc, logger: logger)
/// ```
public struct RPCServer: Service {
    public let host: String
    /// The port asked for; 0 binds any free port, which `onListening` reports.
    public let port: Int
    public let dispatcher: RPCDispatcher
    let logger: Logger
    let onListening: @Sendable (Int) -> Void

    /// - Parameters:
    ///   - methods: the methods served; `.standard` plus whatever the node registers.
    ///   - onListening: called once the socket is bound, with the port actually bound.
    public init(backend: any NodeBackend, host: String = "127.0.0.1", port: Int = 8545, limits: RPCLimits = RPCLimits(),
                methods: RPCMethodTable = .standard, logger: Logger = Logger(label: "keel.rpc"),
                onListening: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.host = host
        self.port = port
        self.dispatcher = RPCDispatcher(backend: backend, methods: methods, limits: limits)
        self.logger = logger
        self.onListening = onListening
    }

    /// The header a client names itself by for `client` rollout flags.
    static let apiKeyHeader = HTTPField.Name("X-API-Key")!

    /// Serves until the task is cancelled or the service group shuts down gracefully.
    public func run() async throws {
        let router = Router(context: RPCRequestContext.self)
        router.post("/") { request, context in await serveJSONRPC(request, context: context) }
        router.get("/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: dispatcher.backend.metricsText())))
        }
        try await serveHTTP(router, name: "JSON-RPC", host: host, port: port, logger: logger, onListening: onListening)
    }

    func serveJSONRPC(_ request: Request, context: RPCRequestContext) async -> Response {
        let body: ByteBuffer
        switch await readBody(request) {
        case .success(let buffer): body = buffer
        case .failure(let refusal): return refusal.response
        }
        let parsed = body.withUnsafeReadableBytes { dispatcher.parse($0) }
        let reply = await dispatcher.handle(parsed, authorization: request.headers[.authorization],
                                            clientAddress: context.remoteAddress, apiKey: request.headers[Self.apiKeyHeader])
        return Self.json(status: reply.status, reply.body)
    }

    /// The body, or the 413 response when it is over the limit (checked against Content-Length
    /// first, so an oversized upload is refused before it is read).
    func readBody(_ request: Request) async -> Result<ByteBuffer, BodyRefusal> {
        let limit = dispatcher.limits.maxBodyBytes
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            // A client that writes its whole body before reading the answer would see the
            // connection close under it; a body up to 8× the limit is read and dropped first.
            if declared <= 8 * limit {
                do { for try await _ in request.body {} } catch {}
            }
            return .failure(BodyRefusal(Self.tooLarge("request body of \(declared) bytes exceeds the limit of \(limit) bytes")))
        }
        var collected = ByteBuffer()
        var received = 0
        do {
            for try await chunk in request.body {
                received += chunk.readableBytes
                guard received <= limit else {
                    return .failure(BodyRefusal(Self.tooLarge("request body of more than \(limit) bytes exceeds the limit of \(limit) bytes")))
                }
                if received == chunk.readableBytes { collected = chunk } else { collected.writeImmutableBuffer(chunk) }
            }
        } catch {
            let refusal = JSONRPCResponse(id: .null, error: .invalidRequest("the request body could not be read: \(error)"))
            return .failure(BodyRefusal(Self.json(status: 400, refusal.jsonBytes)))
        }
        return .success(collected)
    }

    struct BodyRefusal: Error {
        let response: Response
        init(_ response: Response) { self.response = response }
    }

    static func tooLarge(_ message: String) -> Response {
        var response = json(status: 413, JSONRPCResponse(id: .null, error: .oversized(message)).jsonBytes)
        response.headers[.connection] = "close"
        return response
    }

    static func json(status: Int, _ body: [UInt8]) -> Response {
        if body.isEmpty { return Response(status: .noContent) }
        return Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// The request context: Hummingbird's core storage plus the client's address.
struct RPCRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}
