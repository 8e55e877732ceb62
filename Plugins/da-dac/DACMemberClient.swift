import AsyncHTTPClient
import Foundation
import KeelPluginKit
import NIOCore
import NIOHTTP1

/// The plugin's side of the member protocol (docs/plugins/dac.md, "Wire format"), over HTTP/1.1 with
/// AsyncHTTPClient's event loops. Calls return futures so the plugin can ask every member at once
/// and wait on a lock, never on Swift concurrency's shared threads.
struct DACMemberClient: Sendable {
    let member: DACMember
    let position: Int

    private var client: HTTPClient { Self.sharedClient }

    /// One client for every instance in the process (never shut down, so never deinitialised).
    /// A refused connection fails the request at once instead of being retried until the
    /// deadline: a member that is down must not hold up the answer; redirects are not followed.
    private static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

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

    /// `POST /blobs?chain_id=N` with the blob: the member stores it and answers with its signature.
    func store(_ blob: [UInt8], chainID: UInt64, deadline: NIODeadline, timeoutMilliseconds: UInt64) -> EventLoopFuture<StoreReceipt> {
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: member.url + "/blobs?chain_id=\(chainID)", method: .POST,
                                             headers: ["content-type": "application/octet-stream"], body: .bytes(blob))
        } catch {
            return client.eventLoopGroup.next().makeFailedFuture(Failure(description: "`\(member.url)` is not a URL this client can call: \(error)"))
        }
        return client.execute(request: request, deadline: deadline).flatMapThrowing { response in
            let body = response.body.map { Array(buffer: $0) } ?? []
            guard response.status == .ok else { throw Self.refusal(response.status, body) }
            guard let answer = try? JSONDecoder().decode(StoreAnswer.self, from: Data(body)),
                  let hash = Hash32(hex: answer.hash), let signature = Hex.decode(answer.signature), signature.count == 65 else {
                throw Failure(description: "answered with something other than {hash, signature} JSON")
            }
            return StoreReceipt(dataHash: hash, signature: signature)
        }.flatMapErrorThrowing { error in throw Self.failure(error, timeoutMilliseconds: timeoutMilliseconds) }
    }

    /// `GET /blobs/0x<hash>`: the blob, checked against `dataHash`.
    func fetch(_ dataHash: Hash32, maxBytes: Int, deadline: NIODeadline, timeoutMilliseconds: UInt64) -> EventLoopFuture<[UInt8]> {
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: member.url + "/blobs/\(dataHash)", method: .GET)
        } catch {
            return client.eventLoopGroup.next().makeFailedFuture(Failure(description: "`\(member.url)` is not a URL this client can call: \(error)"))
        }
        // The limit leaves room over the largest blob, so a member cannot make the node read without end.
        let delegate = ResponseAccumulator(request: request, maxBodySize: min(maxBytes + 1024, Int(UInt32.max)))
        return client.execute(request: request, delegate: delegate, deadline: deadline).futureResult.flatMapThrowing { response in
            let body = response.body.map { Array(buffer: $0) } ?? []
            if response.status == .notFound { throw Failure(description: "does not hold it (404)", isMissing: true) }
            guard response.status == .ok else { throw Self.refusal(response.status, body) }
            guard Keccak256.hash(body) == dataHash else {
                throw Failure(description: "answered with \(body.count) bytes that do not hash to \(dataHash)", isCorrupt: true)
            }
            return body
        }.flatMapErrorThrowing { error in throw Self.failure(error, timeoutMilliseconds: timeoutMilliseconds) }
    }

    /// `GET /health`: succeeds when the member answers 200.
    func health(deadline: NIODeadline, timeoutMilliseconds: UInt64) -> EventLoopFuture<Void> {
        client.get(url: member.url + "/health", deadline: deadline).flatMapThrowing { response in
            guard response.status == .ok else {
                throw Self.refusal(response.status, response.body.map { Array(buffer: $0) } ?? [])
            }
        }.flatMapErrorThrowing { error in throw Self.failure(error, timeoutMilliseconds: timeoutMilliseconds) }
    }

    private struct StoreAnswer: Decodable {
        let hash: String
        let signature: String
    }

    /// An HTTP error answer, with the member's own words (cut short).
    private static func refusal(_ status: HTTPResponseStatus, _ body: [UInt8]) -> Failure {
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Failure(description: "answered HTTP \(status.code)" + (text.isEmpty ? "" : ": \(text)"))
    }

    /// Any failure in operator's words: a deadline as the timeout, a refused connection as down.
    private static func failure(_ error: any Error, timeoutMilliseconds: UInt64) -> Failure {
        if let failure = error as? Failure { return failure }
        if let client = error as? HTTPClientError, client == .deadlineExceeded || client == .readTimeout || client == .connectTimeout {
            return Failure(description: "no answer within timeout_ms (\(timeoutMilliseconds) ms)")
        }
        if error is ResponseAccumulator.ResponseTooBigError {
            return Failure(description: "answered with more bytes than the largest blob", isCorrupt: true)
        }
        let text = "\(error)"
        if text.contains("refused") { return Failure(description: "connection refused (is the member running?)") }
        return Failure(description: text)
    }
}
