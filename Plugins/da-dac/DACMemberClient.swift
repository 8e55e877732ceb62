import Foundation
import KeelPluginHTTP
import KeelPluginKit

/// The plugin's side of the member protocol (docs/plugins/dac.md, "Wire format"), over plain
/// HTTP/1.1 (`BlockingHTTPClient`: one connection per request, every wait bounded by the request's
/// deadline). The provider asks every member at once, each on a thread of its own, and waits on a
/// lock, never on Swift concurrency's shared threads.
struct DACMemberClient: Sendable {
    let member: DACMember
    let position: Int

    /// The largest answer to a store request or a health check.
    static let smallAnswerBytes = 64 << 10

    /// What a member answered to a store request.
    struct StoreReceipt: Sendable {
        let dataHash: Hash32
        let signature: [UInt8]
    }

    /// Why a member did not give what was asked, in words for an operator.
    struct Failure: Error, Sendable, CustomStringConvertible {
        let description: String
        /// The member answered, but without the blob (404).
        var isMissing = false
        /// The member gave bytes that are not the blob asked for.
        var isCorrupt = false
    }

    private func client(_ timeoutMilliseconds: UInt64) -> BlockingHTTPClient {
        BlockingHTTPClient(endpoint: member.endpoint, timeoutMilliseconds: timeoutMilliseconds, userAgent: "keel-dac/1.0")
    }

    /// `POST /blobs?chain_id=N` with the blob: the member stores it and answers with its signature.
    func store(_ blob: [UInt8], chainID: UInt64, timeoutMilliseconds: UInt64) throws(Failure) -> StoreReceipt {
        let reply = try exchange("POST", "/blobs?chain_id=\(chainID)", body: blob, maxResponseBytes: Self.smallAnswerBytes,
                                 timeoutMilliseconds: timeoutMilliseconds)
        guard reply.status == 200 else { throw Self.refusal(reply) }
        guard let answer = try? JSONDecoder().decode(StoreAnswer.self, from: Data(reply.body)),
              let hash = Hash32(hex: answer.hash), let signature = Hex.decode(answer.signature), signature.count == 65 else {
            throw Failure(description: "answered with something other than {hash, signature} JSON")
        }
        return StoreReceipt(dataHash: hash, signature: signature)
    }

    /// `GET /blobs/0x<hash>`: the blob, checked against `dataHash`.
    func fetch(_ dataHash: Hash32, maxBytes: Int, timeoutMilliseconds: UInt64) throws(Failure) -> [UInt8] {
        // The limit leaves room over the largest blob, so a member cannot make the node read without end.
        let reply = try exchange("GET", "/blobs/\(dataHash)", maxResponseBytes: min(maxBytes + 1024, Int(UInt32.max)),
                                 timeoutMilliseconds: timeoutMilliseconds)
        if reply.status == 404 { throw Failure(description: "does not hold it (404)", isMissing: true) }
        guard reply.status == 200 else { throw Self.refusal(reply) }
        guard Keccak256.hash(reply.body) == dataHash else {
            throw Failure(description: "answered with \(reply.body.count) bytes that do not hash to \(dataHash)", isCorrupt: true)
        }
        return reply.body
    }

    /// `GET /health`: succeeds when the member answers 200.
    func health(timeoutMilliseconds: UInt64) throws(Failure) {
        let reply = try exchange("GET", "/health", maxResponseBytes: Self.smallAnswerBytes, timeoutMilliseconds: timeoutMilliseconds)
        guard reply.status == 200 else { throw Self.refusal(reply) }
    }

    /// One request; a transport failure in an operator's words (a deadline as the timeout, a refused connection as down).
    private func exchange(_ method: String, _ path: String, body: [UInt8]? = nil, maxResponseBytes: Int,
                          timeoutMilliseconds: UInt64) throws(Failure) -> HTTPReply {
        do {
            return try client(timeoutMilliseconds).exchange(method, path, body: body, maxResponseBytes: maxResponseBytes)
        } catch {
            switch error.kind {
            case .timeout: throw Failure(description: "no answer within timeout_ms (\(timeoutMilliseconds) ms)")
            case .unreachable:
                throw Failure(description: error.description.contains("refused") ? "connection refused (is the member running?)" : error.description)
            case .tooLarge: throw Failure(description: "answered with more bytes than the largest blob", isCorrupt: true)
            case .broken, .badResponse: throw Failure(description: error.description)
            }
        }
    }

    private struct StoreAnswer: Decodable {
        let hash: String
        let signature: String
    }

    /// An HTTP error answer, with the member's own words (cut short).
    private static func refusal(_ reply: HTTPReply) -> Failure {
        Failure(description: "answered HTTP \(reply.status): \(reply.excerpt)")
    }
}
