import Foundation
import KeelCore
import KeelPluginTesting
import Testing

/// `keel dac-member` as an operator runs it: the key file's mode, the HTTP protocol of
/// docs/plugins/dac.md spoken with curl, batches on disk across a restart, a clean stop on SIGTERM.
@Suite struct DACMemberTests {
    /// Development account 1's key (public: the test mnemonic's).
    static let key = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
    static let address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"

    @Test func aKeyFileOthersCanReadIsRefused() throws {
        let folder = try KeelProcess.temporaryFolder("dac-member-mode")
        let keyFile = folder + "/member.key"
        try KeelProcess.writeSecret(Self.key + "\n", to: keyFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile)
        let result = try KeelProcess.keel(["dac-member", "--key-file", keyFile, "--dir", folder + "/blobs", "--port", "0"])
        #expect(result.status == 1, "\(result.transcript)")
        #expect(result.error == "private key file \(keyFile) is accessible by group or others (mode 0644); it must be 0600 or stricter: run `chmod 600 \(keyFile)`\n")
    }

    @Test func aMemberStoresSignsServesAndKeepsBatchesAcrossARestart() throws {
        let folder = try KeelProcess.temporaryFolder("dac-member-http")
        let keyFile = folder + "/member.key"
        try KeelProcess.writeSecret(Self.key + "\n", to: keyFile)
        var member = try MemberProcess(["--key-file", keyFile, "--dir", folder + "/store", "--max-blob-bytes", "1000"], log: folder + "/member.log")
        let batch = folder + "/batch.bin"
        try Data("a batch of transactions".utf8).write(to: URL(fileURLWithPath: batch))
        let hash = Keccak256.hash(Array("a batch of transactions".utf8))

        let stored = try Self.curl(["-X", "POST", "--data-binary", "@" + batch, member.url + "/blobs?chain_id=901"])
        #expect(stored.status == 200, "\(stored.body)")
        let answer = try JSONDecoder().decode([String: JSONScalar].self, from: Data(stored.body.utf8))
        #expect(answer["hash"] == .text(hash.description))
        #expect(answer["chain_id"] == .number(901))
        #expect(answer["signer"] == .text(Self.address))
        let signature = try #require(answer["signature"].flatMap { if case .text(let hex) = $0 { Hex.decode(hex) } else { nil } })
        let message = Keccak256.hash(Array("keel-dac-v1".utf8) + [0, 0, 0, 0, 0, 0, 0x03, 0x85] + hash.bytes)
        let r = try #require(Hash32(bytes: signature[0..<32])), s = try #require(Hash32(bytes: signature[32..<64]))
        #expect(try Secp256k1.recoverAddress(hash: message, signature: Signature(r: r, s: s, yParity: signature[64])).description == Self.address)
        #expect(FileManager.default.fileExists(atPath: folder + "/store/blobs/" + Hex.encode(hash.bytes, prefix: false)))

        #expect(try Self.curl([member.url + "/blobs/\(hash)"]).body == "a batch of transactions")
        let missing = try Self.curl([member.url + "/blobs/\(Keccak256.hash([1]))"])
        #expect(missing.status == 404)
        #expect(try Self.curl([member.url + "/blobs/0x12"]).status == 400)
        let noChain = try Self.curl(["-X", "POST", "--data-binary", "@" + batch, member.url + "/blobs"])
        #expect(noChain.status == 400)
        #expect(noChain.body.contains("missing or malformed chain_id"))
        try Data(repeating: 7, count: 1001).write(to: URL(fileURLWithPath: batch))
        let large = try Self.curl(["-X", "PUT", "--data-binary", "@" + batch, member.url + "/blobs?chain_id=901"])
        #expect(large.status == 413)
        #expect(large.body.contains("this member takes at most 1000 (--max-blob-bytes)"))
        let health = try Self.curl([member.url + "/health"])
        #expect(health.body == #"{"status":"ok","signer":"\#(Self.address)","blobs":1}"#)

        #expect(member.stop() == 0)
        #expect(member.output.contains("keel dac-member: stopped cleanly"))
        member = try MemberProcess(["--key-file", keyFile, "--dir", folder + "/store", "--chain-id", "902"], log: folder + "/member-2.log")
        #expect(try Self.curl([member.url + "/blobs/\(hash)"]).body == "a batch of transactions", "the batch is still there after a restart")
        let otherChain = try Self.curl(["-X", "POST", "--data-binary", "@" + batch, member.url + "/blobs?chain_id=901"])
        #expect(otherChain.status == 403)
        #expect(otherChain.body == "this member signs for chain 902 only, not chain 901\n")
        #expect(member.stop() == 0)
    }

    /// A JSON string or number, as the member's answers hold them.
    enum JSONScalar: Decodable, Equatable {
        case text(String)
        case number(UInt64)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(UInt64.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
        }
    }

    /// curl's status code and body.
    static func curl(_ arguments: [String]) throws -> (status: Int, body: String) {
        let result = try TestProcess.run("curl", ["-s", "-w", "\n%{http_code}"] + arguments)
        try #require(result.status == 0, "curl failed: \(result.output)")
        var lines = result.standardOutput.components(separatedBy: "\n")
        let status = Int(lines.removeLast()) ?? 0
        return (status, lines.joined(separator: "\n"))
    }

    /// `keel dac-member … --port 0`, its output in a log file, the port read from its banner.
    struct MemberProcess {
        let member: RunningProcess
        var url: String { member.url }
        var output: String { member.log }

        init(_ arguments: [String], log: String) throws {
            member = try RunningProcess(keel: ["dac-member", "--port", "0"] + arguments, logPath: log, listening: true, timeout: 30)
        }

        func stop() -> Int32 { member.terminate() }
    }
}
