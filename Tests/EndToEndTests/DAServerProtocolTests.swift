import Foundation
import KeelCore
import KeelJSONRPC
import KeelPluginTesting
import Testing

/// `keel da-server` spoken to over raw HTTP, as an OP Stack client speaks to a da-server
/// (specs/experimental/alt-da.md): keccak and generic PUTs, GETs, refusals with their status codes.
@Suite struct DAServerProtocolTests {
    static func post(_ url: String, _ body: [UInt8]) async throws -> JSONRPCClient.RawReply {
        let client = JSONRPCClient(url: url, timeoutSeconds: 10)
        defer { client.shutdown() }
        return try await client.post(rawBody: body)
    }

    static func get(_ base: String, _ path: String) async throws -> JSONRPCClient.RawReply {
        let client = JSONRPCClient(url: base, timeoutSeconds: 10)
        defer { client.shutdown() }
        return try await client.get(path: path)
    }

    static func text(_ reply: JSONRPCClient.RawReply) -> String { String(decoding: reply.body, as: UTF8.self) }

    @Test func aKeccakPutIsCheckedStoredAndServed() async throws {
        let server = try DAServerProcess(directory: try KeelProcess.temporaryFolder("da-server-keccak"))
        defer { server.stop() }
        let data = Array("frame data".utf8)
        let commitment = Hex.encode([0x00] + Keccak256.hash(data).bytes)

        let put = try await Self.post("\(server.url)/put/\(commitment)", data)
        #expect(put.status == 200, "\(Self.text(put))")
        let got = try await Self.get(server.url, "/get/\(commitment)")
        #expect(got.status == 200)
        #expect(got.body == data)
        #expect(got.contentType == "application/octet-stream")

        let health = try await Self.get(server.url, "/health")
        #expect(health.status == 200)
        #expect(Self.text(health) == "ok\n")
    }

    @Test func aKeccakPutWithAnotherHashIsRefusedWith400AndNothingIsStored() async throws {
        let server = try DAServerProcess(directory: try KeelProcess.temporaryFolder("da-server-mismatch"))
        defer { server.stop() }
        let data = Array("frame data".utf8)
        let wrong = Hex.encode([0x00] + Keccak256.hash(Array("other data".utf8)).bytes)

        let put = try await Self.post("\(server.url)/put/\(wrong)", data)
        #expect(put.status == 400)
        #expect(Self.text(put).contains("the data's keccak256 is \(Keccak256.hash(data)), not the commitment's"))
        let got = try await Self.get(server.url, "/get/\(wrong)")
        #expect(got.status == 404)
        let real = try await Self.get(server.url, "/get/" + Hex.encode([0x00] + Keccak256.hash(data).bytes))
        #expect(real.status == 404, "the refused data was not stored under its own hash either")
    }

    @Test func aMissingCommitmentIs404AndAMalformedOneIs400() async throws {
        let server = try DAServerProcess(directory: try KeelProcess.temporaryFolder("da-server-missing"))
        defer { server.stop() }
        let missing = try await Self.get(server.url, "/get/0x00" + String(repeating: "ab", count: 32))
        #expect(missing.status == 404)
        #expect(Self.text(missing) == "no data for 0x00\(String(repeating: "ab", count: 32))\n")

        let notHex = try await Self.get(server.url, "/get/0xzz")
        #expect(notHex.status == 400)
        let unknownType = try await Self.get(server.url, "/get/0x05" + String(repeating: "ab", count: 32))
        #expect(unknownType.status == 400)
        #expect(Self.text(unknownType).contains("type 0x05 is not an Alt-DA commitment type"))
        let short = try await Self.get(server.url, "/get/0x00abcd")
        #expect(short.status == 400)
        let otherLayer = try await Self.get(server.url, "/get/0x010c" + String(repeating: "ab", count: 32))
        #expect(otherLayer.status == 404)
    }

    @Test func aGenericPutReturnsTheServersCommitmentAsRawBytes() async throws {
        let folder = try KeelProcess.temporaryFolder("da-server-generic")
        let server = try DAServerProcess(directory: folder)
        defer { server.stop() }
        let data = Array("a batch for a blockchain DA layer".utf8)
        let hash = Keccak256.hash(data).bytes

        let put = try await Self.post("\(server.url)/put", data)
        #expect(put.status == 200)
        #expect(put.body == [0x01, 0x4b] + hash, "0x01 (generic) ‖ 0x4b (this server's DA layer byte) ‖ keccak256")
        let got = try await Self.get(server.url, "/get/" + Hex.encode(put.body))
        #expect(got.status == 200)
        #expect(got.body == data)
        // The same data under its keccak commitment, and in the `file` provider's layout.
        let asKeccak = try await Self.get(server.url, "/get/" + Hex.encode([0x00] + hash))
        #expect(asKeccak.body == data)
        let hex = Hex.encode(hash, prefix: false)
        #expect(FileManager.default.contents(atPath: "\(folder)/\(hex.prefix(2))/\(hex)") == Data(data))
        // Also at /put/ with a trailing slash, as some OP clients write it.
        let again = try await Self.post("\(server.url)/put/", data)
        #expect(again.body == put.body)
    }

    @Test func aBodyOverTheLimitIsRefusedWith413() async throws {
        let server = try DAServerProcess(directory: try KeelProcess.temporaryFolder("da-server-limit"),
                                         extraArguments: ["--max-blob-bytes", "1000"])
        defer { server.stop() }
        let put = try await Self.post("\(server.url)/put", [UInt8](repeating: 1, count: 1001))
        #expect(put.status == 413)
        #expect(Self.text(put) == "the body is 1001 bytes; this server takes at most 1000 bytes (--max-blob-bytes)\n")
        let fits = try await Self.post("\(server.url)/put", [UInt8](repeating: 1, count: 1000))
        #expect(fits.status == 200)
    }

    @Test func dataSurvivesARestartAndSIGTERMStopsCleanly() async throws {
        let server = try DAServerProcess(directory: try KeelProcess.temporaryFolder("da-server-restart"))
        let data = Array("kept".utf8)
        let put = try await Self.post("\(server.url)/put", data)
        try server.restart()
        let got = try await Self.get(server.url, "/get/" + Hex.encode(put.body))
        #expect(got.body == data)
        #expect(server.stop() == 0)
        #expect(server.log.contains("keel da-server: stopped cleanly"))
    }

    @Test func aDirThatIsAFileIsRefusedWithExitStatus1() throws {
        let folder = try KeelProcess.temporaryFolder("da-server-bad-dir")
        let file = folder + "/plain"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let result = try KeelProcess.keel(["da-server", "--dir", file, "--port", "0"])
        #expect(result.status == 1)
        #expect(result.error.hasPrefix("--dir: cannot use \(file)"), "\(result.transcript)")
        let badPort = try KeelProcess.keel(["da-server", "--dir", folder, "--port", "70000"])
        #expect(badPort.status == 1)
        #expect(badPort.error.contains("--port must be 0 to 65535, not 70000"))
    }
}
