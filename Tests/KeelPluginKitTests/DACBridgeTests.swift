import Foundation
import KeelKernel
import KeelPluginKit
import KeelPluginTesting
import Testing

/// bridge local with a registered data availability committee: a batch whose commitment is a `dac`
/// certificate is recorded only with k valid signatures from distinct registered members over its
/// data hash; the DAC is registered by the first process and must match later.
@Suite struct DACBridgeTests {
    typealias F = AttestFixtures

    /// The bridge's `dac` key for members `seeds` (in that order) and `threshold`.
    static func dacConfig(_ seeds: [UInt8] = [1, 2, 3], threshold: Int = 2) throws -> String {
        #", "dac": {"members": \#(try F.membersJSON(seeds)), "threshold": \#(threshold)}"#
    }

    /// `0x04 ‖ hash ‖ bitmap ‖ signatures`, signed by `signers` (seeds) and claiming `bits`.
    static func certificate(_ dataHash: Hash32, bits: UInt8, signers: [UInt8], chainID: UInt64 = F.chainID) throws -> [UInt8] {
        var bytes: [UInt8] = [0x04] + dataHash.bytes + [bits]
        for seed in signers { bytes += try DACMessage.sign(seed, dataHash: dataHash, chainID: chainID) }
        return bytes
    }

    static func record(_ commitment: [UInt8]) -> BatchRecord {
        var record = F.record(F.transition(index: 0))
        record.daCommitment = commitment
        return record
    }

    let data = Keccak256.hash(Array("the batch".utf8))

    @Test func aCertificateOfTheCommitteeFromRealMembersIsRecorded() throws {
        let l1 = try LocalBridgeFixture("dac-bridge-real")
        let bridge = try l1.bridge(extra: try Self.dacConfig())
        let committee = try DACCommitteeFixture("dac-bridge-members")
        let commitment = try committee.client().submit(Array("the batch".utf8))
        try bridge.submitBatch(Self.record(commitment))
        #expect(try bridge.batch(0).daCommitment == commitment)
    }

    @Test func kValidSignaturesInAnyPositionsAreAccepted() throws {
        let l1 = try LocalBridgeFixture("dac-bridge-valid")
        let bridge = try l1.bridge(extra: try Self.dacConfig())
        try bridge.submitBatch(Self.record(try Self.certificate(data, bits: 0b101, signers: [1, 3])))
        #expect(try bridge.batchCount().count == 1)
    }

    @Test func forgedDuplicatedAndOutsideSignaturesAreRefused() throws {
        let l1 = try LocalBridgeFixture("dac-bridge-refusals")
        let bridge = try l1.bridge(extra: try Self.dacConfig())
        var forged = try Self.certificate(data, bits: 0b011, signers: [1, 2])
        forged[34 + 65 + 5] ^= 0x40
        F.expectRefusal(.rejected, "the signature for member 1") { try bridge.submitBatch(Self.record(forged)) }
        F.expectRefusal(.rejected, "signed twice (a duplicated signature, given for member 1)") {
            try bridge.submitBatch(Self.record(try Self.certificate(data, bits: 0b011, signers: [1, 1])))
        }
        F.expectRefusal(.rejected, "which is outside the registered DAC") {
            try bridge.submitBatch(Self.record(try Self.certificate(data, bits: 0b011, signers: [1, 9])))
        }
        F.expectRefusal(.rejected, "is by member 0") {
            try bridge.submitBatch(Self.record(try Self.certificate(data, bits: 0b110, signers: [2, 1])))
        }
        F.expectRefusal(.rejected, "which is outside the registered DAC") {
            try bridge.submitBatch(Self.record(try Self.certificate(data, bits: 0b011, signers: [1, 2], chainID: 902)))
        }
        #expect(try bridge.batchCount().count == 0, "nothing refused is recorded")
    }

    @Test func malformedCertificatesAreRefusedWithTheReason() throws {
        let l1 = try LocalBridgeFixture("dac-bridge-shape")
        let bridge = try l1.bridge(extra: try Self.dacConfig())
        let valid = try Self.certificate(data, bits: 0b011, signers: [1, 2])
        F.expectRefusal(.rejected, "its bitmap names 3 signers and it carries 130 bytes of signatures, not 195") {
            var wrong = valid
            wrong[33] = 0b111
            try bridge.submitBatch(Self.record(wrong))
        }
        F.expectRefusal(.rejected, "it has 1 signature and the registered DAC needs 2 of 3") {
            try bridge.submitBatch(Self.record(try Self.certificate(data, bits: 0b001, signers: [1])))
        }
        F.expectRefusal(.rejected, "its bitmap sets bit 3 and the registered DAC has 3 members") {
            try bridge.submitBatch(Self.record(try Self.certificate(data, bits: 0b1011, signers: [1, 2, 3])))
        }
        F.expectRefusal(.rejected, "a certificate for 3 members has at least 34") {
            try bridge.submitBatch(Self.record(Array(valid.prefix(20))))
        }
    }

    @Test func aCertificateIsRefusedWhenNoDACIsRegisteredAndOtherProvidersPass() throws {
        let l1 = try LocalBridgeFixture("dac-bridge-none")
        let bridge = try l1.bridge()
        F.expectRefusal(.rejected, "this L1 has no data availability committee registered") {
            try bridge.submitBatch(Self.record(try Self.certificate(data, bits: 0b011, signers: [1, 2])))
        }
        let withDAC = try LocalBridgeFixture("dac-bridge-fallback")
        let fallback = try withDAC.bridge(extra: try Self.dacConfig())
        try fallback.submitBatch(Self.record([0x01] + data.bytes))
        #expect(try fallback.batchCount().count == 1, "a batch that fell back to sqlite needs no certificate")
    }

    @Test func theFirstProcessRegistersTheDACAndLaterOnesMustMatch() throws {
        let l1 = try LocalBridgeFixture("dac-bridge-registration")
        _ = try l1.bridge(extra: try Self.dacConfig())
        #expect(try l1.refusal(try l1.config(extra: try Self.dacConfig())) == nil, "the same DAC again")
        #expect(try l1.refusal(try l1.config(committee: false)) == nil, "leaving `dac` out")
        let reordered = try #require(try l1.refusal(try l1.config(extra: try Self.dacConfig([2, 1, 3]))))
        #expect(reordered.configPath == "dac")
        #expect(reordered.message.contains("registered the DAC 2 of 3"))
        let other = try #require(try l1.refusal(try l1.config(extra: try Self.dacConfig(threshold: 3))))
        #expect(other.configPath == "dac")

        let late = try LocalBridgeFixture("dac-bridge-late")
        let bridge = try late.bridge()
        try bridge.submitBatch(Self.record([0x01] + data.bytes))
        let refusal = try #require(try late.refusal(try late.config(extra: try Self.dacConfig())))
        #expect(refusal.configPath == "dac")
        #expect(refusal.message.contains("has recorded 1 batches without a DAC"))
    }

    @Test func dacConfigErrorsNameTheirPath() throws {
        let l1 = try LocalBridgeFixture("dac-bridge-config")
        let cases: [(String, String, String)] = [
            (#", "dac": {"members": ["0x12"], "threshold": 1}"#, "dac.members[0]", "a DAC member is an address string"),
            (#", "dac": {"members": \#(try F.membersJSON([1, 1])), "threshold": 1}"#, "dac.members[1]", "is listed twice"),
            (#", "dac": {"members": \#(try F.membersJSON([1, 2])), "threshold": 3}"#, "dac.threshold", "from 1 to the number of DAC members (2)"),
            (#", "dac": {"threshold": 1}"#, "dac.members", "missing `members`"),
            (#", "dac": {"members": \#(try F.membersJSON([1])), "threshold": 1, "k": 1}"#, "dac.k", "unknown key `k`"),
        ]
        for (extra, path, words) in cases {
            let refusal = try #require(try l1.refusal(try l1.config(extra: extra)), "accepted \(extra)")
            #expect(refusal.configPath == path, "\(extra): \(refusal.message)")
            #expect(refusal.message.contains(words), "\(extra): \(refusal.message)")
        }
    }
}
