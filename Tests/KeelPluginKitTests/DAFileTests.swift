import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// The `file` DA provider, loaded from its library: a content-addressed folder, durable and
/// checked on every read.
@Suite struct DAFileTests {
    static func library() throws -> PluginLibrary { try AttestFixtures.library(.da, "file") }

    static func client(_ config: String, dataDirectory: String? = nil) throws -> DAClient {
        DAClient(try PluginUnderTest.create(path: try library().path, configJSON: config, dataDirectory: dataDirectory))
    }

    /// The error `create` throws for `config`, or nil if it was created.
    static func refusal(_ config: String) throws -> PluginCallError? {
        do {
            _ = try client(config)
            return nil
        } catch let error as PluginCallError {
            return error
        }
    }

    @Test func itPassesTheDAConformanceSuiteAcrossARestart() throws {
        let library = try Self.library()
        #expect(library.capabilities == ["thread-safe", "da:offchain"])
        let folder = try AttestFixtures.folder("da-file")
        let config = #"{"dir": "\#(folder)/blobs", "max_blob_bytes": 3000000}"#
        let client = try Self.client(config)
        #expect(client.providerID == 0x02)
        #expect(client.maxBlobSize == 3_000_000)
        let failures = DAConformance.run(client, reopen: { try Self.client(config) })
        #expect(failures.map(\.description) == [])
    }

    @Test func aBlobLivesUnderItsHashAndNoTemporaryFileIsLeft() throws {
        let folder = try AttestFixtures.folder("da-file-layout")
        let client = try Self.client(#"{"dir": "\#(folder)"}"#)
        let blob = Array("batch 7".utf8)
        let commitment = try client.submit(blob)
        let hash = Keccak256.hash(blob).bytes
        #expect(commitment == [0x02] + hash)
        let hex = Hex.encode(hash, prefix: false)
        let file = "\(folder)/\(hex.prefix(2))/\(hex)"
        #expect(FileManager.default.contents(atPath: file) == Data(blob))
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(folder)/\(hex.prefix(2))") == [hex])
    }

    @Test func aDamagedFileIsReportedCorruptAndASecondSubmitRepairsIt() throws {
        let folder = try AttestFixtures.folder("da-file-corrupt")
        let client = try Self.client(#"{"dir": "\#(folder)"}"#)
        let blob = Array("batch 8".utf8)
        let commitment = try client.submit(blob)
        let hex = Hex.encode(commitment.dropFirst(), prefix: false)
        let file = "\(folder)/\(hex.prefix(2))/\(hex)"
        try Data("batch 9".utf8).write(to: URL(fileURLWithPath: file))
        #expect {
            _ = try client.retrieve(commitment)
        } throws: { error in
            let failure = error as? PluginCallError
            return failure?.codeName == "corrupt" && failure?.message.contains(file) == true
        }
        #expect(try client.submit(blob) == commitment)
        #expect(try client.retrieve(commitment) == blob)
    }

    @Test func aMissingBlobIsNotFoundAndAForeignCommitmentIsRefused() throws {
        let folder = try AttestFixtures.folder("da-file-missing")
        let client = try Self.client(#"{"dir": "\#(folder)"}"#)
        #expect {
            _ = try client.retrieve([0x02] + [UInt8](repeating: 0xAB, count: 32))
        } throws: { error in
            (error as? PluginCallError)?.codeName == "not found"
        }
        #expect {
            _ = try client.retrieve([0x01] + [UInt8](repeating: 0xAB, count: 32))
        } throws: { error in
            let failure = error as? PluginCallError
            return failure?.codeName == "invalid argument"
                && failure?.message == "not a file commitment: expected 33 bytes starting 0x02, got 33 bytes starting 0x01"
        }
    }

    @Test func withoutDirItStoresUnderTheDataDirectory() throws {
        let data = try AttestFixtures.folder("da-file-default")
        let client = try Self.client("{}", dataDirectory: data)
        let commitment = try client.submit([1, 2, 3])
        let hex = Hex.encode(commitment.dropFirst(), prefix: false)
        #expect(FileManager.default.fileExists(atPath: "\(data)/da-file/\(hex.prefix(2))/\(hex)"))
        let health = try client.health()
        #expect(health.healthy)
        #expect(health.detail.hasPrefix("ok: \(data)/da-file"))
    }

    @Test func badConfigurationIsRefusedAtItsPath() throws {
        let unknown = try Self.refusal(#"{"folder": "/tmp/x"}"#)
        #expect(unknown?.configPath == "folder")
        #expect(unknown?.message == "unknown key `folder`; known keys: dir, max_blob_bytes")

        let zero = try Self.refusal(#"{"max_blob_bytes": 0}"#)
        #expect(zero?.configPath == "max_blob_bytes")
        #expect(zero?.message == "must be between 1 and 67108864 (64 MiB), not 0")

        let folder = try AttestFixtures.folder("da-file-config")
        let plainFile = "\(folder)/not-a-folder"
        try Data("x".utf8).write(to: URL(fileURLWithPath: plainFile))
        let notAFolder = try Self.refusal(#"{"dir": "\#(plainFile)"}"#)
        #expect(notAFolder?.configPath == "dir")
        #expect(notAFolder?.message.hasPrefix("cannot use \(plainFile)") == true)
    }
}
