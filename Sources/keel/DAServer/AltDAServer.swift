import HTTPTypes
import Hummingbird
import KeelCore
import KeelNode
import KeelKernel
import Logging
import NIOCore
import ServiceLifecycle

/// The OP Stack Alt-DA da-server protocol (specs/experimental/alt-da.md) served from disk:
///
/// - `POST /put/0x<commitment>` with the data: a keccak256 commitment (`0x00 ‖ keccak(data)`, or
///   this server's own generic one) is checked against the data (400 if it does not match) and
///   the data stored; 200 with an empty body.
/// - `POST /put` with the data: stored; 200 with the generic commitment
///   `0x01 ‖ 0x4b ‖ keccak(data)` as raw bytes (as OP's da-server writes it and op-node reads it).
/// - `GET /get/0x<commitment>`: 200 with the data, 404 when it is not here, 400 when the
///   commitment is malformed.
/// - `GET /health`: 200 `ok`.
///
/// Refusals carry a plain-text sentence in the body. A body over `maxBlobBytes` is refused with 413.
/// A swift-service-lifecycle `Service`: a graceful shutdown lets requests in flight finish.
struct AltDAServer: Service {
    let store: DAServerStore
    let host: String
    let port: Int
    let maxBlobBytes: Int
    let logger: Logger
    let onListening: @Sendable (Int) -> Void

    func run() async throws {
        let router = Router()
        router.post("/put") { request, _ in await putGeneric(request) }
        router.post("/put/:commitment") { request, context in
            await putKeyed(request, segment: context.parameters.get("commitment") ?? "")
        }
        router.get("/get/:commitment") { _, context in await get(segment: context.parameters.get("commitment") ?? "") }
        router.get("/health") { _, _ in Self.text(.ok, "ok") }
        try await serveHTTP(router, name: "Alt-DA server", host: host, port: port, logger: logger, onListening: onListening)
    }

    /// `POST /put`: the server makes the commitment.
    func putGeneric(_ request: Request) async -> Response {
        let blob: [UInt8]
        switch await body(of: request) {
        case .success(let bytes): blob = bytes
        case .failure(let refusal): return refusal.response
        }
        switch await store.put(blob) {
        case .success(let hash):
            let commitment = ServedCommitment(hash: hash, isGeneric: true)
            logger.debug("stored", metadata: ["commitment": "\(Hex.encode(commitment.bytes))", "bytes": "\(blob.count)"])
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"],
                            body: .init(byteBuffer: ByteBuffer(bytes: commitment.bytes)))
        case .failure(let error):
            return storeFailure(error, "store \(blob.count) bytes")
        }
    }

    /// `POST /put/0x…`: the client made the commitment; the data must match it.
    func putKeyed(_ request: Request, segment: String) async -> Response {
        let commitment: ServedCommitment
        do {
            commitment = try ServedCommitment(pathSegment: segment)
        } catch {
            return Self.text(.badRequest, error.description)
        }
        let blob: [UInt8]
        switch await body(of: request) {
        case .success(let bytes): blob = bytes
        case .failure(let refusal): return refusal.response
        }
        let actual = Keccak256.hash(blob).bytes
        guard actual == commitment.hash else {
            return Self.text(.badRequest, "the data's keccak256 is \(Hex.encode(actual)), not the commitment's \(Hex.encode(commitment.hash)); nothing was stored")
        }
        switch await store.put(blob) {
        case .success:
            logger.debug("stored", metadata: ["commitment": "\(Hex.encode(commitment.bytes))", "bytes": "\(blob.count)"])
            return Response(status: .ok)
        case .failure(let error):
            return storeFailure(error, "store \(blob.count) bytes")
        }
    }

    /// `GET /get/0x…`.
    func get(segment: String) async -> Response {
        let commitment: ServedCommitment
        do {
            commitment = try ServedCommitment(pathSegment: segment)
        } catch {
            return Self.text(HTTPResponse.Status(code: error.status), error.description)
        }
        switch await store.get(hash: commitment.hash) {
        case .success(let blob):
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"],
                            body: .init(byteBuffer: ByteBuffer(bytes: blob)))
        case .failure(let error) where error.code == PluginErrorCode.notFound.rawValue:
            return Self.text(.notFound, "no data for \(Hex.encode(commitment.bytes))")
        case .failure(let error):
            return storeFailure(error, "read \(Hex.encode(commitment.bytes))")
        }
    }

    /// The request body, or the 413 answer when it is over the limit (checked against
    /// Content-Length first, so an oversized upload is refused before it is read).
    func body(of request: Request) async -> Result<[UInt8], Refusal> {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBlobBytes {
            return .failure(Refusal(tooLarge("the body is \(declared) bytes")))
        }
        do {
            let buffer = try await request.body.collect(upTo: maxBlobBytes)
            return .success(Array(buffer.readableBytesView))
        } catch is NIOTooManyBytesError {
            return .failure(Refusal(tooLarge("the body is over \(maxBlobBytes) bytes")))
        } catch {
            return .failure(Refusal(Self.text(.badRequest, "the request body could not be read: \(error)")))
        }
    }

    func tooLarge(_ what: String) -> Response {
        var response = Self.text(.contentTooLarge, "\(what); this server takes at most \(maxBlobBytes) bytes (--max-blob-bytes)")
        response.headers[.connection] = "close"
        return response
    }

    /// A failure of the disk: 500, logged, with the plugin's sentence.
    func storeFailure(_ error: PluginCallError, _ action: String) -> Response {
        logger.error("cannot \(action): \(error.message)")
        return Self.text(.internalServerError, "cannot \(action): \(error.message)")
    }

    /// An answer other than 200, as the error of a `Result`.
    struct Refusal: Error {
        let response: Response
        init(_ response: Response) { self.response = response }
    }

    static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
