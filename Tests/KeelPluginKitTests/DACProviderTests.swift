import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// da dac, loaded from the build folder, against real `keel dac-member` processes on loopback:
/// the DA conformance suite across a restart of the members, certification with a member down,
/// a prompt `unavailable` naming the members when too many are down or hung, and the refusal of an
/// insecure committee unless the manifest allows it.
@Suite struct DACProviderTests {
    typealias F = AttestFixtures

    @Test func theCommitteePassesTheDAConformanceSuiteAcrossARestartOfTheMembers() throws {
        let library = try F.library(.da, "dac")
        #expect(library.capabilities == ["thread-safe", "da:offchain"])
        let committee = try DACCommitteeFixture("dac-conformance")
        let extra = #", "max_blob_bytes": 1048576"#
        let client = try committee.client(extra: extra)
        #expect(client.providerID == 0x04)
        let failures = DAConformance.run(client, largestBlobToTry: 1 << 20) {
            committee.stopAll()
            try committee.start()
            return try committee.client(extra: extra)
        }
        #expect(failures.map(\.description) == [])
    }

    @Test func theCommitmentIsTheIDAndACertificateOfTheFirstKSignersInMemberOrder() throws {
        let committee = try DACCommitteeFixture("dac-certificate")
        let blob = Array("batch 1".utf8)
        let commitment = try committee.client().submit(blob)
        // 0x04 ‖ data hash ‖ bitmap (1 byte for 3 members) ‖ 2 signatures.
        #expect(commitment.count == 1 + 32 + 1 + 2 * 65)
        #expect(commitment[0] == 0x04)
        #expect(Array(commitment[1..<33]) == Keccak256.hash(blob).bytes)
        #expect(commitment[33] == 0b011, "members 0 and 1 sign first in member order")
        let message = DACMessage.hash(dataHash: Keccak256.hash(blob))
        for (index, seed) in [UInt8(1), 2].enumerated() {
            let signature = Array(commitment[(34 + index * 65)..<(34 + (index + 1) * 65)])
            #expect(DACMessage.signer(signature, message) == (try F.key(seed).address))
        }
    }

    @Test func oneMemberDownStillCertifiesAndRetrievesFromTheOthers() throws {
        let committee = try DACCommitteeFixture("dac-one-down")
        let client = try committee.client(timeout: 2000)
        #expect(committee.members[0].stop() == 0)
        let blob = Array("batch with member 0 down".utf8)
        let commitment = try client.submit(blob)
        #expect(commitment[33] == 0b110, "members 1 and 2 certify")
        #expect(try client.retrieve(commitment) == blob)
        let health = try client.health()
        #expect(health.healthy, "2 of 3 answer and 2 are needed: \(health.detail)")
    }

    @Test func tooManyMembersDownIsAnUnavailableErrorNamingThem() throws {
        let committee = try DACCommitteeFixture("dac-two-down")
        let client = try committee.client(timeout: 5000)
        let (down1, down2) = (committee.members[1].url, committee.members[2].url)
        committee.members[1].stop()
        committee.members[2].stop()
        let error = try #require(throws: PluginCallError.self) { _ = try client.submit(Array("lost batch".utf8)) }
        #expect(error.codeName == "unavailable")
        #expect(error.message.hasPrefix("the committee cannot certify the batch: 2 of 3 members failed, so fewer than the 2 signatures needed can arrive. "),
                "\(error.message)")
        #expect(error.message.contains("member 1 (\(down1)): connection refused"), "\(error.message)")
        #expect(error.message.contains("member 2 (\(down2)): connection refused"), "\(error.message)")
        #expect(!error.message.contains("member 0 ("), "member 0 signed: \(error.message)")
        let health = try client.health()
        #expect(!health.healthy)
        #expect(health.detail.hasPrefix("2 of 3 members do not answer and 2 must: member 1 ("), "\(health.detail)")
    }

    @Test func aHungMemberCountsAsFailedAtTheTimeout() throws {
        let committee = try DACCommitteeFixture("dac-hung")
        let client = try committee.client(threshold: 3, timeout: 300)
        committee.members[2].freeze()
        let error = try #require(throws: PluginCallError.self) { _ = try client.submit(Array("slow batch".utf8)) }
        #expect(error.codeName == "unavailable")
        // Which of the plugin's two wordings comes depends on whether the deadline or member 2's own
        // request times out first (a loaded machine may also slow the others): both name member 2.
        #expect(error.message.hasPrefix("the committee did not certify the batch: ")
                || error.message.hasPrefix("the committee cannot certify the batch: "), "\(error.message)")
        #expect(error.message.contains("member 2 (\(committee.members[2].url)): no answer within"), "\(error.message)")
        // With k = 2, the two that answer certify at the deadline.
        let commitment = try committee.client(threshold: 2, timeout: 300).submit(Array("slow batch".utf8))
        #expect(commitment[33] == 0b011)
    }

    @Test func aCommitteeOfOneOrAThresholdOfOneIsRefusedUnlessAllowedForDevelopment() throws {
        let committee = try DACCommitteeFixture("dac-insecure", seeds: [1])
        let one = try committee.config(threshold: 1)
        let refusal = try #require(try DACCommitteeFixture.refusal(one))
        #expect(refusal.configPath == "members")
        #expect(refusal.message.contains("allow_insecure_dev_committee: true"))
        let allowed = try committee.client(threshold: 1, extra: #", "allow_insecure_dev_committee": true"#)
        let blob = Array("dev batch".utf8)
        #expect(try allowed.retrieve(try allowed.submit(blob)) == blob)

        let two = try DACCommitteeFixture("dac-insecure-k", seeds: [1, 2])
        let k1 = try #require(try DACCommitteeFixture.refusal(try two.config(threshold: 1)))
        #expect(k1.configPath == "threshold")
        #expect(k1.message.contains("`threshold` 1 lets any single member certify"))
        #expect(try DACCommitteeFixture.refusal(try two.config(threshold: 1, extra: #", "allow_insecure_dev_committee": true"#)) == nil)
    }

    @Test func configErrorsNameTheirPath() throws {
        let address = try F.key(1).address
        let cases: [(String, String, String)] = [
            (#"{"members": [{"url": "ftp://x", "address": "\#(address)"}], "threshold": 1}"#, "members[0].url", "is not an http:// URL of a `keel dac-member` server"),
            (#"{"members": [{"url": "http://a", "address": "0x12"}], "threshold": 1}"#, "members[0].address", "is not an address"),
            (#"{"members": [{"url": "http://a", "address": "\#(address)"}, {"url": "http://b", "address": "\#(address)"}], "threshold": 2}"#,
             "members[1].address", "is listed twice"),
            (#"{"members": [{"url": "http://a", "address": "\#(address)"}], "threshold": 2}"#, "threshold", "must be from 1 to the number of members (1)"),
            (#"{"threshold": 2}"#, "members", "missing `members`"),
            (#"{"members": [], "threshold": 2, "timeout": 5}"#, "timeout", "unknown key `timeout`"),
        ]
        for (config, path, words) in cases {
            let refusal = try #require(try DACCommitteeFixture.refusal(config), "accepted \(config)")
            #expect(refusal.configPath == path, "\(config): \(refusal.message)")
            #expect(refusal.message.contains(words), "\(config): \(refusal.message)")
        }
    }
}

/// The DAC's signed message as docs/plugins/dac.md defines it, written out here from the spec.
enum DACMessage {
    static func hash(dataHash: Hash32, chainID: UInt64 = AttestFixtures.chainID) -> Hash32 {
        Keccak256.hash(Array("keel-dac-v1".utf8) + AttestationMessage.bigEndian(chainID) + dataHash.bytes)
    }

    /// The signer of a 65-byte `r ‖ s ‖ yParity` signature, or nil.
    static func signer(_ signature: [UInt8], _ message: Hash32) -> Address? {
        guard let r = Hash32(bytes: signature[0..<32]), let s = Hash32(bytes: signature[32..<64]) else { return nil }
        return try? Secp256k1.recoverAddress(hash: message, signature: Signature(r: r, s: s, yParity: signature[64]))
    }

    /// `seed`'s signature over the message for `dataHash`.
    static func sign(_ seed: UInt8, dataHash: Hash32, chainID: UInt64 = AttestFixtures.chainID) throws -> [UInt8] {
        try AttestFixtures.key(seed).sign(hash: hash(dataHash: dataHash, chainID: chainID)).compactBytes
    }
}
