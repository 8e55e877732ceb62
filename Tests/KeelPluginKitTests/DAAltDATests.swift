import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// The `altda` DA provider without a da-server: its configuration, commitments refused before any
/// request, a server that is down, and one that never answers. (Against a real `keel da-server`:
/// Tests/EndToEndTests/DAServerAltDATests.swift.)
@Suite struct DAAltDATests {
    static func client(_ config: String) throws -> DAClient {
        DAClient(try PluginUnderTest.create(path: try AttestFixtures.library(.da, "altda").path, configJSON: config))
    }

    static func refusal(_ config: String) throws -> PluginCallError? {
        do {
            _ = try client(config)
            return nil
        } catch let error as PluginCallError {
            return error
        }
    }

    static func failure(_ body: () throws -> Void) -> PluginCallError? {
        do {
            try body()
            return nil
        } catch {
            return error as? PluginCallError
        }
    }

    @Test func aServerThatIsDownIsUnavailableWithAClearMessage() throws {
        let port = try LoopbackListener.freePort()
        let client = try Self.client(#"{"url": "http://127.0.0.1:\#(port)", "timeout_ms": 2000}"#)
        let submit = Self.failure { _ = try client.submit([1, 2, 3]) }
        #expect(submit?.codeName == "unavailable")
        #expect(submit?.message == "cannot reach the Alt-DA server at http://127.0.0.1:\(port): Connection refused; is it running, and is `url` right?")
        let retrieve = Self.failure { _ = try client.retrieve([0x03, 0x00] + [UInt8](repeating: 7, count: 32)) }
        #expect(retrieve?.codeName == "unavailable")
        let health = try client.health()
        #expect(!health.healthy)
        #expect(health.detail.hasPrefix("cannot reach the Alt-DA server at http://127.0.0.1:\(port)"))
    }

    @Test func aServerThatNeverAnswersTimesOutAsUnavailable() throws {
        let silent = try LoopbackListener()
        let client = try Self.client(#"{"url": "http://127.0.0.1:\#(silent.port)", "timeout_ms": 300}"#)
        let started = Date()
        let submit = Self.failure { _ = try client.submit([1, 2, 3]) }
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(submit?.codeName == "unavailable")
        #expect(submit?.message.hasPrefix("the Alt-DA server at http://127.0.0.1:\(silent.port) did not answer POST /put/0x00") == true)
        #expect(submit?.message.contains("within 300 ms (timeout_ms)") == true)
    }

    @Test func malformedCommitmentsAndOversizedBlobsAreRefusedBeforeAnyRequest() throws {
        // Nothing listens at this URL: every refusal below comes from the plugin itself.
        let client = try Self.client(#"{"url": "http://127.0.0.1:9", "max_blob_bytes": 100}"#)
        #expect(client.providerID == 0x03)
        #expect(client.maxBlobSize == 100)
        let empty = Self.failure { _ = try client.retrieve([]) }
        #expect(empty?.codeName == "invalid argument")
        #expect(empty?.message == "not an altda commitment: it is empty, not 0x03")
        let foreign = Self.failure { _ = try client.retrieve([0x02] + [UInt8](repeating: 0, count: 32)) }
        #expect(foreign?.message == "not an altda commitment: it starts with 0x02, not 0x03")
        let short = Self.failure { _ = try client.retrieve([0x03, 0x00] + [UInt8](repeating: 0, count: 31)) }
        #expect(short?.message == "not an altda commitment (0x03 ‖ Alt-DA commitment): a keccak256 commitment (type 0x00) is 33 bytes, not 32")
        let unknown = Self.failure { _ = try client.retrieve([0x03, 0x07, 0x01]) }
        #expect(unknown?.message == "not an altda commitment (0x03 ‖ Alt-DA commitment): type 0x07 is not an Alt-DA commitment type (0x00 keccak256, 0x01 generic)")
        let large = Self.failure { _ = try client.submit([UInt8](repeating: 0, count: 101)) }
        #expect(large?.codeName == "too large")
        #expect(large?.message == "the blob is 101 bytes; this provider takes at most 100 (max_blob_bytes)")
    }

    @Test func badConfigurationIsRefusedAtItsPath() throws {
        let missing = try Self.refusal("{}")
        #expect(missing?.configPath == "url")
        #expect(missing?.message == "missing required key `url` (a string)")
        let https = try Self.refusal(#"{"url": "https://da.example.com"}"#)
        #expect(https?.configPath == "url")
        #expect(https?.message.hasPrefix("https is not supported") == true)
        let noScheme = try Self.refusal(#"{"url": "127.0.0.1:3100"}"#)
        #expect(noScheme?.message == "must be an http:// URL such as http://127.0.0.1:3100, not 127.0.0.1:3100")
        let badPort = try Self.refusal(#"{"url": "http://127.0.0.1:99999"}"#)
        #expect(badPort?.message == "has a port that is not a number from 1 to 65535: http://127.0.0.1:99999")
        let mode = try Self.refusal(#"{"url": "http://127.0.0.1:3100", "mode": "blob"}"#)
        #expect(mode?.configPath == "mode")
        #expect(mode?.message == "must be keccak or generic, not blob")
        let timeout = try Self.refusal(#"{"url": "http://127.0.0.1:3100", "timeout_ms": 0}"#)
        #expect(timeout?.configPath == "timeout_ms")
        let unknown = try Self.refusal(#"{"url": "http://127.0.0.1:3100", "token": "x"}"#)
        #expect(unknown?.message == "unknown key `token`; known keys: max_blob_bytes, mode, timeout_ms, url")
    }
}
