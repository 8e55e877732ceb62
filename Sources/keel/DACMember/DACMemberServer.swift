import Foundation
import HTTPTypes
import Hummingbird
import KeelCore
import KeelNode
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The HTTP side of a committee member (docs/plugins/dac.md, "Wire format"):
///
/// - `POST /blobs?chain_id=N` (or `PUT`), body the batch: stores it durably, then answers
///   `{"hash", "chain_id", "signer", "signature"}` (hex), the signature over the DAC message.
/// - `GET /blobs/0x<hash>`: the batch's bytes, or 404.
/// - `GET /health`: `{"status": "ok", "signer", "blobs"}`.
///
/// Disk work and hashing run on NIO's blocking thread pool, never on the event loops.
struct DACMemberServer: Service {
    let host: String
    let port: Int
    let store: DACBlobStore
    let signer: DACMemberSigner
    let maxBlobBytes: Int
    let logger: Logger
    let onListening: @Sendable (Int) -> Void

    func run() async throws {
        let router = Router()
        router.post("/blobs") { request, _ in try await storeBlob(request) }
        router.put("/blobs") { request, _ in try await storeBlob(request) }
        router.get("/blobs/:hash") { _, context in try await fetchBlob(context.parameters.get("hash") ?? "") }
        router.get("/health") { _, _ in
            let blobs = try await NIOThreadPool.singleton.runIfActive { store.count() }
            return Self.json(.ok, #"{"status":"ok","signer":"\#(signer.address)","blobs":\#(blobs)}"#)
        }
        try await serveHTTP(router, name: "dac member", host: host, port: port, logger: logger, onListening: onListening)
    }

    private func storeBlob(_ request: Request) async throws -> Response {
        guard let text = request.uri.queryParameters.get("chain_id"), let chainID = UInt64(text) else {
            return Self.text(.badRequest, "missing or malformed chain_id: send POST /blobs?chain_id=N, N the rollup's chain id in decimal")
        }
        if let served = signer.chainID, served != chainID {
            return Self.text(.forbidden, "this member signs for chain \(served) only, not chain \(chainID)")
        }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBlobBytes {
            return Self.text(.contentTooLarge, "the batch is \(declared) bytes; this member takes at most \(maxBlobBytes) (--max-blob-bytes)")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxBlobBytes)
        } catch is NIOTooManyBytesError {
            return Self.text(.contentTooLarge, "the batch is over \(maxBlobBytes) bytes; this member takes at most \(maxBlobBytes) (--max-blob-bytes)")
        }
        let blob = Array(buffer: body)
        let (store, signer, logger) = (self.store, self.signer, self.logger)
        let outcome: Result<(Hash32, [UInt8]), DACStoreFailure> = try await NIOThreadPool.singleton.runIfActive {
            let hash = Keccak256.hash(blob)
            do throws(DACStoreFailure) {
                try store.store(blob, hash: hash)
            } catch {
                return .failure(error)
            }
            return .success((hash, signer.sign(dataHash: hash, chainID: chainID)))
        }
        switch outcome {
        case .success(let (hash, signature)):
            logger.debug("stored and signed", metadata: ["hash": "\(hash)", "bytes": "\(blob.count)", "chain_id": "\(chainID)"])
            return Self.json(.ok, #"{"hash":"\#(hash)","chain_id":\#(chainID),"signer":"\#(signer.address)","signature":"\#(Hex.encode(signature))"}"#)
        case .failure(let failure):
            logger.error("cannot store a batch: \(failure)")
            return Self.text(.internalServerError, "cannot store the batch: \(failure)")
        }
    }

    private func fetchBlob(_ text: String) async throws -> Response {
        guard let hash = Hash32(hex: text), text.hasPrefix("0x") else {
            return Self.text(.badRequest, "`\(text.prefix(80))` is not a batch hash: expected 0x and 64 hex digits")
        }
        let store = self.store
        let outcome: Result<[UInt8]?, DACStoreFailure> = try await NIOThreadPool.singleton.runIfActive {
            do throws(DACStoreFailure) { return .success(try store.blob(hash)) } catch { return .failure(error) }
        }
        switch outcome {
        case .success(let blob?):
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: ByteBuffer(bytes: blob)))
        case .success(nil):
            return Self.text(.notFound, "no batch \(hash) here")
        case .failure(let failure):
            logger.error("cannot serve a batch: \(failure)")
            return Self.text(.internalServerError, "cannot read the batch: \(failure)")
        }
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}
