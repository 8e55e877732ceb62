import Foundation
import KeelCore
import KeelKernel
import KeelPluginTesting
import Testing

/// The `altda` DA plugin against a real `keel da-server`: the DA conformance suite in both modes
/// (a restart is the server stopped and started again on the same folder), the `file`
/// plugin reading what the server stored, and a server that went away.
@Suite struct DAServerAltDATests {
    static let catalog = PluginCatalog(searchPath: PluginSearchPath(directories: [PluginUnderTest.buildDirectory]))

    static func client(_ name: String, _ config: String) throws -> DAClient {
        let library = try catalog.resolve(kind: .da, name: name, constraint: nil).get()
        return DAClient(try PluginUnderTest.create(path: library.path, configJSON: config))
    }

    @Test(arguments: ["keccak", "generic"])
    func altdaPassesTheDAConformanceSuiteAgainstKeelDAServer(mode: String) throws {
        let server = try DAServerProcess(directory: try KeelProcess.temporaryFolder("altda-\(mode)"))
        defer { server.stop() }
        func config() -> String { #"{"url": "\#(server.url)", "mode": "\#(mode)", "max_blob_bytes": 3000000, "timeout_ms": 20000}"# }
        let client = try Self.client("altda", config())
        #expect(client.providerID == 0x03)
        #expect(client.instance.library.capabilities == ["thread-safe", "da:offchain"])
        let failures = DAConformance.run(client, reopen: {
            try server.restart()
            return try Self.client("altda", config())
        })
        #expect(failures.map(\.description) == [], "\(server.log)")
    }

    @Test func theCommitmentIsTheProviderIDAndTheAltDACommitment() throws {
        let folder = try KeelProcess.temporaryFolder("altda-commitments")
        let server = try DAServerProcess(directory: folder)
        defer { server.stop() }
        let blob = Array("batch 12".utf8)
        let hash = Keccak256.hash(blob).bytes
        let keccak = try Self.client("altda", #"{"url": "\#(server.url)"}"#)
        #expect(try keccak.submit(blob) == [0x03, 0x00] + hash)
        let generic = try Self.client("altda", #"{"url": "\#(server.url)", "mode": "generic"}"#)
        #expect(try generic.submit(blob) == [0x03, 0x01, 0x4b] + hash)
        // The server keeps the `file` provider's layout: the file plugin reads the same folder.
        let file = try Self.client("file", #"{"dir": "\#(folder)"}"#)
        #expect(try file.retrieve([0x02] + hash) == blob)
        let health = try keccak.health()
        #expect(health.healthy)
        #expect(health.detail == "ok: \(server.url)")
    }

    @Test func aServerThatStoppedMakesSubmitUnavailable() throws {
        let server = try DAServerProcess(directory: try KeelProcess.temporaryFolder("altda-stopped"))
        let client = try Self.client("altda", #"{"url": "\#(server.url)", "timeout_ms": 2000}"#)
        let commitment = try client.submit([1, 2, 3])
        #expect(server.stop() == 0)
        #expect {
            _ = try client.submit([4, 5, 6])
        } throws: { error in
            let failure = error as? PluginCallError
            return failure?.codeName == "unavailable"
                && failure?.message == "cannot reach the Alt-DA server at \(server.url): Connection refused; is it running, and is `url` right?"
        }
        #expect {
            _ = try client.retrieve(commitment)
        } throws: { error in
            (error as? PluginCallError)?.codeName == "unavailable"
        }
        let health = try client.health()
        #expect(!health.healthy)
        #expect(health.detail.hasPrefix("cannot reach the Alt-DA server at \(server.url)"))
    }

    @Test func aServerWithASmallerLimitRefusesTheBlobAsTooLarge() throws {
        let server = try DAServerProcess(directory: try KeelProcess.temporaryFolder("altda-limit"), extraArguments: ["--max-blob-bytes", "1000"])
        defer { server.stop() }
        let client = try Self.client("altda", #"{"url": "\#(server.url)"}"#)
        for size in [1001, 600_000] {
            #expect {
                _ = try client.submit([UInt8](repeating: 9, count: size))
            } throws: { error in
                let failure = error as? PluginCallError
                return failure?.codeName == "too large"
                    && failure?.message.hasPrefix("the Alt-DA server at \(server.url) refused a blob of \(size) bytes as too large (HTTP 413)") == true
            }
        }
    }
}
