import Foundation
import KeelCore
import KeelKernel
import KeelPluginTesting
import Testing

/// `sequencer single`, loaded from the build folder through the kernel's loader: its key comes
/// from a 0600 file, it signs headers as the block format wants (65 bytes, r ‖ s ‖ yParity), and
/// followers check them against the sequencer's address.
@Suite struct SingleSequencerTests {
    static let key = (try? PrivateKey(hex: "0x" + String(repeating: "4b", count: 32)))

    /// A folder with the sequencer's key file, written with `mode`.
    static func keyFile(mode: Int = 0o600, contents: String = "0x" + String(repeating: "4b", count: 32) + "\n") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keel-single-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/sequencer.key"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(contents.utf8), attributes: [.posixPermissions: mode]))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    static func sequencer(_ config: String) throws -> SequencerClient {
        let catalog = PluginCatalog(searchPath: PluginSearchPath(directories: [PluginUnderTest.buildDirectory]))
        let library = try catalog.resolve(kind: .sequencer, name: "single", constraint: nil).get()
        return SequencerClient(try PluginUnderTest.create(path: library.path, configJSON: config))
    }

    static func withKey() throws -> SequencerClient {
        try sequencer(#"{"key_file": "\#(try keyFile())"}"#)
    }

    @Test func theLibraryPassesTheSequencerConformanceSuite() throws {
        let client = try Self.withKey()
        #expect(client.instance.library.capabilities == ["thread-safe"])
        #expect(SequencerConformance.run(client).map(\.description) == [])
        #expect(try client.isLeader(height: 1) && client.isLeader(height: 1_000_000))
    }

    @Test func aSignedHeaderVerifiesOnAFollowerThatKnowsOnlyTheAddress() throws {
        let key = try #require(Self.key)
        let sequencer = try Self.withKey()
        let follower = try Self.sequencer(#"{"address": "\#(key.address)"}"#)
        let hash = Keccak256.hash(Array("header 12".utf8))
        let signature = try sequencer.signHeader(hash.bytes)
        #expect(signature.count == 65)
        // r ‖ s ‖ yParity: anyone recovers the sequencer's address from the header alone.
        let parts = Signature(r: try #require(Hash32(bytes: signature[0..<32])), s: try #require(Hash32(bytes: signature[32..<64])), yParity: signature[64])
        #expect(try Secp256k1.recoverAddress(hash: hash, signature: parts) == key.address)
        try follower.verifyHeader(height: 12, hash: hash.bytes, signature: signature)
        try sequencer.verifyHeader(height: 12, hash: hash.bytes, signature: signature)
        #expect(try follower.isLeader(height: 12) == false)
        #expect(refusal { _ = try follower.signHeader(hash.bytes) }?.codeName == "unsupported")
    }

    @Test func aSignatureByAnotherKeyOrOverAnotherHeaderIsRefused() throws {
        let key = try #require(Self.key)
        let follower = try Self.sequencer(#"{"address": "\#(key.address)"}"#)
        let hash = Keccak256.hash(Array("header 13".utf8))
        let intruder = try PrivateKey(hex: "0x" + String(repeating: "77", count: 32))
        let forged = intruder.sign(hash: hash).compactBytes
        let error = refusal { try follower.verifyHeader(height: 13, hash: hash.bytes, signature: forged) }
        #expect(error?.codeName == "rejected")
        #expect(error?.message == "block 13 is signed by \(intruder.address), not by the sequencer \(key.address); refuse the block")
        var tampered = key.sign(hash: hash).compactBytes
        tampered[64] ^= 1
        #expect(refusal { try follower.verifyHeader(height: 13, hash: hash.bytes, signature: tampered) }?.codeName == "rejected")
        tampered[64] = 2
        #expect(refusal { try follower.verifyHeader(height: 13, hash: hash.bytes, signature: tampered) }?.codeName == "rejected")
        let short = refusal { try follower.verifyHeader(height: 13, hash: hash.bytes, signature: Array(forged.prefix(64))) }
        #expect(short?.codeName == "invalid argument")
        #expect(short?.message == "the signature of block 13 is 64 bytes; a sequencer signature is 65 bytes (r ‖ s ‖ yParity)")
    }

    @Test func aKeyFileOthersCanReadIsRefusedWithTheFix() throws {
        let path = try Self.keyFile(mode: 0o644)
        let error = refusal { _ = try Self.sequencer(#"{"key_file": "\#(path)"}"#) }
        #expect(error?.configPath == "key_file")
        #expect(error?.message == "private key file \(path) is accessible by group or others (mode 0644); it must be 0600 or stricter: run `chmod 600 \(path)`")
    }

    @Test func configurationMistakesNameTheirKey() throws {
        let key = try #require(Self.key)
        let other = try PrivateKey(hex: "0x" + String(repeating: "77", count: 32)).address
        let path = try Self.keyFile()
        let garbage = try Self.keyFile(contents: "not a key")
        let cases: [(String, String, String)] = [
            ("{}", "key_file", "set `key_file` (the sequencer's key, a 0600 file) on the sequencer, or `address` (the sequencer's address) on a follower"),
            (#"{"key_file": "\#(path)", "address": "\#(other)"}"#, "address", "the key in `key_file` belongs to \(key.address), not to `address` \(other); fix one of them"),
            (#"{"address": "0x1234"}"#, "address", "`address` must be 0x and 40 hex digits (mixed case only with a valid EIP-55 checksum), not 0x1234"),
            (#"{"key_file": "\#(garbage)"}"#, "key_file", "private key file \(garbage) does not hold a private key: expected 0x followed by 64 hex digits (a nonzero number below the secp256k1 curve order)"),
            (#"{"key": "0x01"}"#, "key", "unknown key `key`; known keys: address, key_file"),
        ]
        for (config, path, message) in cases {
            let error = refusal { _ = try Self.sequencer(config) }
            #expect(error?.configPath == path, "\(config)")
            #expect(error?.message == message, "\(config)")
        }
        // The key's own address is accepted beside it.
        _ = try Self.sequencer(#"{"key_file": "\#(path)", "address": "\#(key.address)"}"#)
    }
}
