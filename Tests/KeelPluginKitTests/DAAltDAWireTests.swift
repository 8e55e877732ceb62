import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// The `altda` plugin's wire format against a server answering as OP's Go da-server does (chunked
/// bodies, no /health, raw generic commitments) and as other servers may (hex answers, interim
/// 100 answers, bodies ended by closing, error statuses).
@Suite struct DAAltDAWireTests {
    static let blob = Array("frames of a channel".utf8)
    static var keccakCommitment: [UInt8] { [0x00] + Keccak256.hash(blob).bytes }

    static func client(_ server: CannedHTTPServer, path: String = "", extra: String = "") throws -> DAClient {
        try DAAltDATests.client(#"{"url": "\#(server.url)\#(path)", "timeout_ms": 5000\#(extra)}"#)
    }

    @Test func aKeccakPutAndAChunkedGetAsOPsServerAnswersThem() throws {
        let server = try CannedHTTPServer { request in
            request.line.hasPrefix("GET") ? CannedHTTPServer.chunked("200 OK", Self.blob, chunkSize: 7) : CannedHTTPServer.response("200 OK")
        }
        let client = try Self.client(server, path: "/altda/")
        let commitment = try client.submit(Self.blob)
        #expect(commitment == [0x03] + Self.keccakCommitment)
        #expect(try client.retrieve(commitment) == Self.blob)

        let put = try #require(server.requests.first)
        #expect(put.line == "POST /altda/put/\(Hex.encode(Self.keccakCommitment)) HTTP/1.1")
        #expect(put.headers["content-type"] == "application/octet-stream")
        #expect(put.headers["content-length"] == String(Self.blob.count))
        #expect(put.headers["host"] == "127.0.0.1:\(server.port)")
        #expect(put.body == Self.blob)
        #expect(server.requests.last?.line == "GET /altda/get/\(Hex.encode(Self.keccakCommitment)) HTTP/1.1")
    }

    @Test(arguments: [false, true])
    func aGenericPutKeepsTheServersCommitmentRawOrHex(hex: Bool) throws {
        let generic: [UInt8] = [0x01, 0x0c] + [UInt8](repeating: 0x5a, count: 40)
        let server = try CannedHTTPServer { request in
            if request.line.hasPrefix("POST") {
                return CannedHTTPServer.response("200 OK", hex ? Array(Hex.encode(generic).utf8) : generic)
            }
            return CannedHTTPServer.response("200 OK", Self.blob)
        }
        let client = try Self.client(server, extra: #", "mode": "generic""#)
        let commitment = try client.submit(Self.blob)
        #expect(commitment == [0x03] + generic)
        #expect(server.requests.first?.line == "POST /put HTTP/1.1")
        #expect(try client.retrieve(commitment) == Self.blob, "a generic commitment's data is not hashed by the client")
        #expect(server.requests.last?.line == "GET /get/\(Hex.encode(generic)) HTTP/1.1")
    }

    @Test func aServerWithoutHealthIsUpWhenGetAnswers404() throws {
        let server = try CannedHTTPServer { _ in CannedHTTPServer.response("404 Not Found", Array("404 page not found\n".utf8)) }
        let health = try Self.client(server).health()
        #expect(health.healthy)
        #expect(health.detail == "ok: \(server.url) (GET /get answers 404)")
        #expect(server.requests.map(\.line) == ["GET /health HTTP/1.1", "GET /get/0x00\(String(repeating: "00", count: 32)) HTTP/1.1"])
    }

    @Test func anInterimAnswerIsSkippedAndABodyMayEndWithTheConnection() throws {
        let server = try CannedHTTPServer { _ in
            Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".utf8) + Self.blob
        }
        let client = try Self.client(server)
        #expect(try client.retrieve([0x03] + Self.keccakCommitment) == Self.blob)
    }

    @Test func dataThatDoesNotMatchItsKeccakCommitmentIsCorrupt() throws {
        let server = try CannedHTTPServer { _ in CannedHTTPServer.response("200 OK", Array("other frames".utf8)) }
        #expect {
            _ = try Self.client(server).retrieve([0x03] + Self.keccakCommitment)
        } throws: { error in
            let failure = error as? PluginCallError
            return failure?.codeName == "corrupt"
                && failure?.message == "the Alt-DA server at \(server.url) returned 12 bytes for \(Hex.encode(Self.keccakCommitment)) that do not hash to it"
        }
    }

    @Test(arguments: [
        ("500 Internal Server Error", "unavailable"), ("503 Service Unavailable", "unavailable"),
        ("413 Payload Too Large", "too large"), ("400 Bad Request", "invalid argument"),
    ])
    func errorStatusesMapToErrorCodes(status: String, code: String) throws {
        let server = try CannedHTTPServer { _ in CannedHTTPServer.response(status, Array("store is full".utf8)) }
        #expect {
            _ = try Self.client(server).submit(Self.blob)
        } throws: { error in
            let failure = error as? PluginCallError
            return failure?.codeName == code && failure?.message.contains("store is full") == true
                && failure?.message.contains(server.url) == true
        }
    }

    @Test func aGenericAnswerThatIsNotACommitmentIsUnavailable() throws {
        let server = try CannedHTTPServer { _ in CannedHTTPServer.response("200 OK", [0x07, 0x01]) }
        #expect {
            _ = try Self.client(server, extra: #", "mode": "generic""#).submit(Self.blob)
        } throws: { error in
            let failure = error as? PluginCallError
            return failure?.codeName == "unavailable"
                && failure?.message == "the Alt-DA server at \(server.url) answered POST /put with something that is not a commitment: type 0x07 is not an Alt-DA commitment type (0x00 keccak256, 0x01 generic)"
        }
    }
}
